import type { Server } from 'restify';
import type { LegalHold, Tombstone } from '../retention';
import type { RetentionTabDependencies } from './retention-tab.types';
import type { TabRoute } from './tab-api.types';
import { idSchema, parseOr400 } from './tab-requests';
import {
  legalHoldAnswer,
  legalHoldsAnswer,
  retentionDisposedAnswer,
  retentionDueAnswer,
  retentionOutcomeAnswer,
  retentionRulesAnswer,
} from './tab-responses';

/**
 * Retention rules, records due for review with their outcome (retain or dispose), disposals, and
 * legal holds. Every disposal goes through the review outcome, which the legal holds guard.
 */
export function registerRetentionRoutes(
  server: Server,
  deps: Required<RetentionTabDependencies>,
  route: TabRoute,
): void {
  const { retention, legalHolds } = deps;
  const param = (params: unknown, name: string) =>
    parseOr400(idSchema, (params as Record<string, unknown> | undefined)?.[name]);

  server.get(
    '/api/tab/retention/rules',
    route(retentionRulesAnswer, async ({ actor, context }) =>
      retention.rules(actor, context.requestId),
    ),
  );
  server.put(
    '/api/tab/retention/rules',
    route(retentionRulesAnswer, async ({ req, actor, context }) =>
      retention.setRules(actor, req.body as unknown, context.requestId),
    ),
  );
  server.get(
    '/api/tab/retention/due',
    route(retentionDueAnswer, async ({ actor, context }) => ({
      records: (await retention.due(actor, context.requestId)).map((line) => ({
        ...line.record,
        pupilName: line.pupilName,
        categoryNames: line.categoryNames,
        lastRetained: line.lastRetained ?? null,
        holds: line.holds,
      })),
    })),
  );
  server.post(
    '/api/tab/retention/records/:scheduleId/outcome',
    route(retentionOutcomeAnswer, async ({ req, actor, context }) => {
      const outcome = await retention.decide(
        actor,
        param(req.params, 'scheduleId'),
        req.body as unknown,
        context.requestId,
      );
      return outcome.decision === 'retained'
        ? {
            decision: 'retained' as const,
            scheduleId: outcome.record.scheduleId,
            reviewOn: outcome.record.reviewOn,
          }
        : { decision: 'disposed' as const, tombstone: tombstoneLine(outcome.tombstone) };
    }),
  );
  server.get(
    '/api/tab/retention/disposed',
    route(retentionDisposedAnswer, async ({ actor, context }) => ({
      disposed: (await retention.disposed(actor, context.requestId)).map(tombstoneLine),
    })),
  );
  server.get(
    '/api/tab/retention/holds',
    route(legalHoldsAnswer, async ({ actor, context }) => ({
      holds: (await legalHolds.list(actor, context.requestId)).map(holdLine),
    })),
  );
  server.post(
    '/api/tab/retention/holds',
    route(legalHoldAnswer, async ({ req, actor, context }) => ({
      hold: holdLine(await legalHolds.place(actor, req.body as unknown, context.requestId)),
    })),
  );
  server.post(
    '/api/tab/retention/holds/:holdId/lift',
    route(legalHoldAnswer, async ({ req, actor, context }) => ({
      hold: holdLine(
        await legalHolds.lift(
          actor,
          param(req.params, 'holdId'),
          req.body as unknown,
          context.requestId,
        ),
      ),
    })),
  );
}

function tombstoneLine(t: Tombstone) {
  return {
    scheduleId: t.scheduleId,
    recordKind: t.recordKind,
    reference: t.reference,
    happenedAt: t.happenedAt,
    recordedAt: t.recordedAt,
    rule: t.rule,
    disposedByName: t.disposedBy.displayName,
    disposedAt: t.disposedAt,
    certificateId: t.certificateId,
  };
}

function holdLine(h: LegalHold) {
  return {
    holdId: h.holdId,
    scope: h.scope,
    targetId: h.targetId,
    targetReference: h.targetReference,
    reason: h.reason,
    reference: h.reference,
    placedByName: h.placedBy.displayName,
    placedAt: h.placedAt,
    lifted: h.lifted
      ? { byName: h.lifted.by.displayName, at: h.lifted.at, reason: h.lifted.reason }
      : null,
  };
}
