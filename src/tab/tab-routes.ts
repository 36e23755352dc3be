// A little over 300 lines: every record route of the tab API in one place, so the whole surface
// (what is read, what is audited, what needs step-up) can be reviewed together; the route wrapper's
// types, dev sign-in and the pupil status routes are in files of their own.
import type { Request, Response, Server } from 'restify';
import { isGovernorOnly, type AccessActor } from '../access';
import type { AuditTrail } from '../audit';
import { auditEvent } from '../audit';
import type { ChronologyLine } from '../chronology';
import { pupilDisplayName, type Pupil } from '../pupils';
import type { RecordReview } from '../reviews';
import { AppError } from '../shared/errors';
import { isSafeguardingTeam } from '../staff';
import { registerDevSignIn } from './dev-sign-in-routes';
import { registerPupilStatusRoutes } from './pupil-status-routes';
import { registerAdultConcernRoutes } from './adult-concerns/adult-concern-routes';
import { registerReportRoutes } from './report-routes';
import { registerSarRoutes } from './sar-routes';
import { registerTransferRoutes } from './transfer-routes';
import { registerPatternFlagRoutes } from './pattern-flag-routes';
import { registerRetentionRoutes } from './retention-routes';
import { API_CONTENT_SECURITY_POLICY } from './security-headers';
import type { TabApiDependencies, TabFail, TabRoute } from './tab-api.types';
import { sendTabError } from './tab-errors';
import {
  idSchema,
  parseChronologyQuery,
  parseExportQuery,
  parseOr400,
  pupilSearchSchema,
} from './tab-requests';
import {
  amendedAnswer,
  caseStatusAnswer,
  chartAnswer,
  chronologyPageAnswer,
  deskAnswer,
  exportAnswer,
  meAnswer,
  pupilSearchAnswer,
  recordAnswer,
  recordAuditAnswer,
  reviewedAnswer,
} from './tab-responses';

/**
 * The tab's JSON API under /api/tab/: every request is rate-limited by address, authenticated by
 * its bearer token, resolved to an actor from our directory (roles and school never from the
 * client), rate-limited by user, then answered by one service call. Routes only: the rules live in
 * the chronology service and the access policy.
 */
export function registerTabApi(server: Server, deps: TabApiDependencies): void {
  const log = deps.logger.child({ component: 'tab-api' });

  const fail: TabFail = (res, error, retryAfterSeconds) => {
    const code = sendTabError(res, error, {
      stepUpContext: deps.stepUpContext,
      ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
    });
    // Codes only: a token, a name or a narrative never reaches the log.
    log.warn({ event: 'tab.refused', code, reason: reasonOf(error) }, code);
  };

  // Each answer goes through its schema (tab-responses.ts): typed against the contract here, and
  // stripped of any field the contract does not name before it leaves.
  const route: TabRoute = (answer, handler) => async (req: Request, res: Response) => {
    res.setHeader('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
    res.setHeader('Cache-Control', 'no-store');
    const byAddress = deps.limits.perAddress.take(`ip:${req.socket.remoteAddress ?? 'unknown'}`);
    if (!byAddress.allowed) {
      fail(
        res,
        new AppError('TAB.RATE_LIMITED', 'address over limit'),
        byAddress.retryAfterSeconds,
      );
      return;
    }
    try {
      const identity = await deps.verifier.verify(bearerToken(req));
      const byUser = deps.limits.perUser.take(`user:${identity.tenantId}|${identity.aadObjectId}`);
      if (!byUser.allowed) {
        fail(res, new AppError('TAB.RATE_LIMITED', 'user over limit'), byUser.retryAfterSeconds);
        return;
      }
      const resolved = await deps.staff.resolveActor(identity.tenantId, identity.aadObjectId);
      const context = { requestId: req.getId() };
      const steppedUp = identity.authContexts.includes(deps.stepUpContext);
      if (steppedUp) await deps.stepUp.noteStepUp(resolved, identity.issuedAt, context.requestId);
      const body = await handler({ req, actor: { ...resolved, steppedUp }, identity, context });
      res.send(200, answer.parse(body));
    } catch (error) {
      fail(res, error);
    }
  };

  server.get(
    '/api/tab/me',
    route(meAnswer, async ({ actor, context }) => {
      const team = isSafeguardingTeam(actor.roles);
      if (team) await audit(deps.audit, actor, 'session.sign-in', context.requestId);
      const school = await deps.schools.get(actor.tenantId, actor.schoolId);
      return {
        displayName: actor.displayName,
        roles: actor.roles,
        isSafeguardingTeam: team,
        steppedUp: actor.steppedUp,
        schoolName: school?.name ?? '',
        development: deps.development,
        inactivityMinutes: deps.inactivityMinutes,
      };
    }),
  );

  server.get(
    '/api/tab/desk',
    route(deskAnswer, async ({ actor }) => deps.desk.deskFor(refuseGovernorOnly(actor))),
  );

  server.get(
    '/api/tab/pupils',
    route(pupilSearchAnswer, async ({ req, actor }) => {
      const { q } = parseOr400(pupilSearchSchema, queryOf(req));
      const pupils = await deps.pupils.searchPupils(refuseGovernorOnly(actor), q, 20);
      return { pupils: pupils.map(pupilSummary) };
    }),
  );

  server.get(
    '/api/tab/pupils/:pupilId/chronology',
    route(chronologyPageAnswer, async ({ req, actor, context }) => {
      const pupilId = parseOr400(idSchema, req.params?.pupilId);
      const view = await deps.chronology.page(
        actor,
        pupilId,
        parseChronologyQuery(queryOf(req)),
        context,
      );
      return {
        pupil: pupilSummary(view.pupil),
        entries: view.entries.map(entryJson),
        nextCursor: view.nextCursor,
        categories: view.categories,
      };
    }),
  );

  server.get(
    '/api/tab/pupils/:pupilId/chart',
    route(chartAnswer, async ({ req, actor, context }) => {
      const pupilId = parseOr400(idSchema, req.params?.pupilId);
      return deps.chronology.chart(actor, pupilId, context);
    }),
  );

  registerPupilStatusRoutes(server, deps, route);
  registerAdultConcernRoutes(server, deps, route);
  registerReportRoutes(server, deps, route, queryOf);
  registerSarRoutes(server, deps, route);
  if (deps.transfers) registerTransferRoutes(server, { ...deps, transfers: deps.transfers }, route);
  registerPatternFlagRoutes(server, deps, route);
  if (deps.retention && deps.legalHolds) {
    registerRetentionRoutes(
      server,
      { retention: deps.retention, legalHolds: deps.legalHolds },
      route,
    );
  }

  server.get(
    '/api/tab/incidents/:incidentId',
    route(recordAnswer, async ({ req, actor, context }) => {
      const incidentId = parseOr400(idSchema, req.params?.incidentId);
      const view = await deps.records.viewRecord(actor, incidentId, context);
      const review = (await deps.reviews.reviewsOf(actor, [incidentId])).get(incidentId);
      return { ...view, review: review ? reviewLine(review) : null };
    }),
  );

  server.post(
    '/api/tab/incidents/:incidentId/review',
    route(reviewedAnswer, async ({ req, actor, context }) => {
      const incidentId = parseOr400(idSchema, req.params?.incidentId);
      const { review, first } = await deps.reviews.markReviewed(
        actor,
        incidentId,
        context.requestId,
      );
      return { review: reviewLine(review), first };
    }),
  );

  server.post(
    '/api/tab/incidents/:incidentId/amendments',
    route(amendedAnswer, async ({ req, actor, context }) => {
      const incidentId = parseOr400(idSchema, req.params?.incidentId);
      const amendment = await deps.amendments.amend(
        actor,
        incidentId,
        req.body as unknown,
        context.requestId,
      );
      return { version: amendment.version };
    }),
  );

  server.post(
    '/api/tab/incidents/:incidentId/close',
    route(caseStatusAnswer, async ({ req, actor, context }) => {
      const incidentId = parseOr400(idSchema, req.params?.incidentId);
      await deps.cases.close(actor, incidentId, undefined, context.requestId);
      return { status: 'closed' as const };
    }),
  );

  server.post(
    '/api/tab/incidents/:incidentId/reopen',
    route(caseStatusAnswer, async ({ req, actor, context }) => {
      const incidentId = parseOr400(idSchema, req.params?.incidentId);
      const body = (req.body ?? {}) as { reason?: unknown };
      const reason = typeof body.reason === 'string' ? body.reason.slice(0, 2_000) : '';
      await deps.cases.reopen(actor, incidentId, reason, context.requestId);
      return { status: 'open' as const };
    }),
  );

  server.get(
    '/api/tab/incidents/:incidentId/audit',
    route(recordAuditAnswer, async ({ req, actor, context }) => {
      const incidentId = parseOr400(idSchema, req.params?.incidentId);
      return { events: await deps.recordAudit.forRecord(actor, incidentId, context.requestId) };
    }),
  );

  server.get(
    '/api/tab/pupils/:pupilId/export',
    route(exportAnswer, async ({ req, actor, context }) => {
      const pupilId = parseOr400(idSchema, req.params?.pupilId);
      const filter = parseExportQuery(queryOf(req));
      const { pupil, entries } = await deps.chronology.entriesForExport(
        actor,
        pupilId,
        filter,
        context,
      );
      const records = await deps.records.recordsForExport(
        actor,
        entries.map((e) => e.incidentId),
        context,
      );
      return {
        exportedByName: actor.displayName,
        exportedAt: deps.clock.now(),
        pupil: pupilSummary(pupil),
        entries: entries.map((entry) => {
          const record = entry.type === 'incident' ? records.get(entry.incidentId) : undefined;
          return {
            ...entryJson(entry),
            ...(record
              ? {
                  location: record.location,
                  facts: record.facts,
                  childsWords: record.childsWords,
                  adultsWords: record.adultsWords,
                  leadingQuestionNote: record.leadingQuestionNote,
                  opinion: record.opinion,
                  actionTaken: record.actionTaken,
                  actionRequired: record.actionRequired,
                  bodyMap: record.bodyMap,
                }
              : {}),
          };
        }),
      };
    }),
  );

  if (deps.devSignIn) registerDevSignIn(server, deps, deps.devSignIn, fail);
}

/** A governor (and nothing else) sees reports only: no pupil search, no desk. */
function refuseGovernorOnly(actor: AccessActor): AccessActor {
  if (isGovernorOnly(actor.roles))
    throw new AppError('ACCESS.DENIED', 'governors see reports only');
  return actor;
}

/** The query string as an object (the server runs no query parser; each route parses its own). */
function queryOf(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url ?? '/', 'http://tab.invalid').searchParams);
}

function reviewLine(review: RecordReview): { reviewedByName: string; reviewedAt: Date } {
  return { reviewedByName: review.reviewedBy.displayName, reviewedAt: review.reviewedAt };
}

function bearerToken(req: Request): string {
  const header = req.header('authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,8000})$/.exec(header.trim());
  if (!match?.[1]) throw new AppError('TAB.UNAUTHENTICATED', 'token not accepted: no-token');
  return match[1];
}

function pupilSummary(pupil: Pupil): { pupilId: string; displayName: string; yearGroup: string } {
  return {
    pupilId: pupil.pupilId,
    displayName: pupilDisplayName(pupil),
    yearGroup: pupil.yearGroup,
  };
}

// The list's fields, whitelisted (no narrative, no access facts).
function entryJson(entry: ChronologyLine) {
  return {
    entryId: entry.entryId,
    type: entry.type,
    incidentId: entry.incidentId,
    reference: entry.reference,
    happenedAt: entry.happenedAt,
    recordedAt: entry.recordedAt,
    recordedByName: entry.recordedByName,
    categoryNames: entry.categoryNames,
    pupilRole: entry.pupilRole,
    status: entry.status,
    amended: entry.amended,
    ...(entry.reviewed !== undefined ? { reviewed: entry.reviewed } : {}),
    title: entry.title,
    ...(entry.transferredIn ? { transferredIn: { ...entry.transferredIn } } : {}),
  };
}

async function audit(
  trail: AuditTrail,
  actor: AccessActor,
  action: 'session.sign-in',
  requestId: string,
): Promise<void> {
  await trail.record(
    auditEvent(actor, action, { kind: 'session', id: actor.aadObjectId }, { requestId }),
  );
}

/** The internal reason of a refusal (e.g. "token not accepted: expired"), safe for logs. */
function reasonOf(error: unknown): string | undefined {
  if (!(error instanceof AppError) || error.code !== 'TAB.UNAUTHENTICATED') return undefined;
  return error.message.replace(/^token not accepted: /, '').slice(0, 40);
}
