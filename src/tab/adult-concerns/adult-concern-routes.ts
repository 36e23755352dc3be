import type { Server } from 'restify';
import { z } from 'zod';
import { ladoClockOf, type AdultConcernHeader } from '../../adult-concerns';
import type { TabRoute } from '../tab-api.types';
import { idSchema, parseOr400 } from '../tab-requests';
import { adultConcernAnswer, adultConcernListAnswer } from '../tab-responses';
import type { AdultConcernTabServices } from './adult-concern-tab.types';

const text = (max: number) => z.string().max(max);
const stepBody = z.object({
  kind: text(40),
  date: text(20),
  time: text(20),
  note: text(10_000).default(''),
});
const outcomeBody = z.object({
  outcome: text(40),
  date: text(20),
  learning: text(10_000).default(''),
  subjectDateOfBirth: text(20).optional(),
});
const escalateBody = z.object({ reason: text(2_000) });
const inviteBody = z.object({ aadObjectId: idSchema });

/**
 * The case manager's view of concerns about adults: the list (with the LADO clock and pattern
 * review), one concern, and its steps and outcome. The policy is the feature's own; every read
 * and change is audited there.
 */
export function registerAdultConcernRoutes(
  server: Server,
  deps: { adultConcerns?: AdultConcernTabServices; clock: { now(): Date } },
  route: TabRoute,
): void {
  const services = deps.adultConcerns;
  if (!services) return;
  const { concerns, cases } = services;

  server.get(
    '/api/tab/adult-concerns',
    route(adultConcernListAnswer, async ({ actor }) => {
      const visible = await concerns.list(actor);
      const patterns = visible.length > 0 ? await cases.patterns(actor) : [];
      return {
        concerns: visible.map((c) => lineOf(c, deps.clock.now())),
        patterns: patterns.map((p) => ({ references: p.references, concernIds: p.concernIds })),
      };
    }),
  );

  server.get(
    '/api/tab/adult-concerns/:concernId',
    route(adultConcernAnswer, async ({ req, actor }) => {
      const concernId = parseOr400(idSchema, req.params?.concernId);
      const concern = await concerns.view(actor, concernId);
      return {
        ...lineOf(concern, deps.clock.now()),
        recordedByName: concern.recordedBy.displayName,
        acknowledgedBy: concern.acknowledgedBy ?? null,
        details: concern.details,
        steps: concern.steps.map((s) => ({
          kind: s.kind,
          at: s.at,
          byName: s.by.displayName,
          note: s.note,
        })),
        outcomeDetail: concern.outcome
          ? {
              outcome: concern.outcome.outcome,
              date: concern.outcome.date,
              byName: concern.outcome.by.displayName,
              learning: concern.outcome.learning,
            }
          : null,
      };
    }),
  );

  server.post(
    '/api/tab/adult-concerns/:concernId/steps',
    route(adultConcernListAnswer.pick({ concerns: true }), async ({ req, actor }) => {
      const concernId = parseOr400(idSchema, req.params?.concernId);
      const header = await cases.addStep(actor, concernId, parseOr400(stepBody, req.body));
      return { concerns: [lineOf(header, deps.clock.now())] };
    }),
  );

  server.post(
    '/api/tab/adult-concerns/:concernId/outcome',
    route(adultConcernListAnswer.pick({ concerns: true }), async ({ req, actor }) => {
      const concernId = parseOr400(idSchema, req.params?.concernId);
      const header = await cases.recordOutcome(actor, concernId, parseOr400(outcomeBody, req.body));
      return { concerns: [lineOf(header, deps.clock.now())] };
    }),
  );

  // The case manager invites the DSL (or a deputy DSL) to read it; nobody else can be invited.
  server.post(
    '/api/tab/adult-concerns/:concernId/invite',
    route(adultConcernListAnswer.pick({ concerns: true }), async ({ req, actor }) => {
      const concernId = parseOr400(idSchema, req.params?.concernId);
      const { aadObjectId } = parseOr400(inviteBody, req.body);
      await concerns.invite(actor, concernId, aadObjectId);
      return { concerns: [] };
    }),
  );

  server.post(
    '/api/tab/adult-concerns/:concernId/escalate',
    route(adultConcernListAnswer.pick({ concerns: true }), async ({ req, actor }) => {
      const concernId = parseOr400(idSchema, req.params?.concernId);
      const { reason } = parseOr400(escalateBody, req.body);
      const header = await cases.escalateToAllegation(actor, concernId, reason);
      return { concerns: [lineOf(header, deps.clock.now())] };
    }),
  );
}

/** A concern as a line of the list: ids, dates, route, clock and retention; no name. */
function lineOf(c: AdultConcernHeader, now: Date) {
  return {
    concernId: c.concernId,
    reference: c.reference,
    route: c.route,
    caseManagerRoute: c.caseManagerRoute,
    adultKind: c.adultKind,
    happenedAt: c.happenedAt,
    recordedAt: c.recordedAt,
    acknowledged: c.acknowledgedAt !== undefined,
    outcome: c.outcome?.outcome ?? null,
    lado: ladoClockOf(c, now),
    retention: c.retention,
  };
}
