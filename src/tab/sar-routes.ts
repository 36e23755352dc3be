import type { Server } from 'restify';
import type { SarService } from '../sar';
import type { SharingEntry } from '../sharing';
import type { SarTabDependencies } from './sar-tab.types';
import type { TabRoute } from './tab-api.types';
import { idSchema, parseOr400 } from './tab-requests';
import {
  sarAnswer,
  sarListAnswer,
  sarResponsePdfAnswer,
  sarReviewAnswer,
  sarReviewSavedAnswer,
  sharingEntryAnswer,
  sharingLogAnswer,
} from './tab-responses';

type RegisterLine = Awaited<ReturnType<SarService['get']>>;

/**
 * The SAR register, the bundle's review and response, and the information-sharing log. The
 * rules (team only, step-up for the bundle, the decisions before release) live in the services.
 */
export function registerSarRoutes(server: Server, deps: SarTabDependencies, route: TabRoute): void {
  const sarId = (params: unknown) =>
    parseOr400(idSchema, (params as { sarId?: unknown } | undefined)?.sarId);
  const line = (r: RegisterLine) => registerLine(r, deps.clock.now());

  server.get(
    '/api/tab/sars',
    route(sarListAnswer, async ({ actor, context }) => ({
      requests: (await deps.sars.list(actor, context.requestId)).map(line),
    })),
  );
  server.post(
    '/api/tab/sars',
    route(sarAnswer, async ({ req, actor, context }) => ({
      request: line(await deps.sars.register(actor, req.body as unknown, context.requestId)),
    })),
  );
  server.get(
    '/api/tab/sars/:sarId',
    route(sarAnswer, async ({ req, actor, context }) => ({
      request: line(await deps.sars.get(actor, sarId(req.params), context.requestId)),
    })),
  );
  for (const [path, change] of [
    ['extension', 'extend'],
    ['decisions', 'decide'],
    ['close', 'close'],
  ] as const) {
    server.post(
      `/api/tab/sars/:sarId/${path}`,
      route(sarAnswer, async ({ req, actor, context }) => ({
        request: line(
          await deps.sars[change](actor, sarId(req.params), req.body as unknown, context.requestId),
        ),
      })),
    );
  }
  server.get(
    '/api/tab/sars/:sarId/review',
    route(sarReviewAnswer, async ({ req, actor, context }) => {
      const review = await deps.sarBundles.review(actor, sarId(req.params), context);
      return {
        ...review,
        request: line({
          ...review.request,
          pupilName: review.pupilName,
          releaseBlockers: review.blockers,
        }),
      };
    }),
  );
  server.put(
    '/api/tab/sars/:sarId/review',
    route(sarReviewSavedAnswer, async ({ req, actor, context }) =>
      deps.sarBundles.saveDecisions(actor, sarId(req.params), req.body as unknown, context),
    ),
  );
  server.get(
    '/api/tab/sars/:sarId/response',
    route(sarResponsePdfAnswer, async ({ req, actor, context }) => {
      const { fileName, pdf, redactions } = await deps.sarBundles.finalPdf(
        actor,
        sarId(req.params),
        context,
      );
      return { fileName, pdfBase64: Buffer.from(pdf).toString('base64'), redactions };
    }),
  );

  server.post(
    '/api/tab/incidents/:incidentId/sharing',
    route(sharingEntryAnswer, async ({ req, actor, context }) => {
      const incidentId = parseOr400(idSchema, req.params?.incidentId);
      const entry = await deps.sharing.record(
        actor,
        incidentId,
        req.body as unknown,
        context.requestId,
      );
      return { entry: sharingLine(entry) };
    }),
  );
  server.get(
    '/api/tab/pupils/:pupilId/sharing',
    route(sharingLogAnswer, async ({ req, actor, context }) => {
      const pupilId = parseOr400(idSchema, req.params?.pupilId);
      const entries = await deps.sharing.listForPupil(actor, pupilId, context.requestId);
      return { entries: entries.map(sharingLine) };
    }),
  );
}

function registerLine(r: RegisterLine, now: Date) {
  const decision = (d: RegisterLine['competence'] | RegisterLine['parentalResponsibility']) =>
    d
      ? {
          decision: d.decision,
          reason: d.reason,
          decidedByName: d.decidedBy.displayName,
          decidedAt: d.decidedAt,
        }
      : null;
  return {
    sarId: r.sarId,
    reference: r.reference,
    pupilId: r.pupilId,
    pupilName: r.pupilName,
    requesterName: r.requesterName,
    relationship: r.relationship,
    identityCheck: r.identityCheck,
    scopeOfRequest: r.scopeOfRequest,
    receivedAt: r.receivedAt,
    dueAt: r.dueAt,
    overdue: (r.status === 'open' || r.status === 'extended') && r.dueAt.getTime() < now.getTime(),
    status: r.status,
    extension: r.extension ?? null,
    parentalResponsibility: decision(r.parentalResponsibility),
    competence: decision(r.competence),
    response: r.response ?? null,
    loggedByName: r.loggedBy.displayName,
    releaseBlockers: r.releaseBlockers,
  };
}

function sharingLine(e: SharingEntry) {
  return {
    entryId: e.entryId,
    kind: e.kind,
    incidentId: e.incidentId ?? null,
    reference: e.reference ?? null,
    what: e.what,
    recipient: e.recipient,
    at: e.at,
    why: e.why,
    lawfulBasis: e.lawfulBasis ?? null,
    decidedByName: e.decidedBy.displayName,
    recordedByName: e.recordedBy.displayName,
    recordedAt: e.recordedAt,
    source: e.source,
  };
}
