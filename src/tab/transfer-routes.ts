import type { Server } from 'restify';
import { pupilDisplayName } from '../pupils';
import { AppError } from '../shared/errors';
import type { TransferLine } from '../transfers';
import type { TabApiDependencies, TabRoute } from './tab-api.types';
import { idSchema, parseOr400 } from './tab-requests';
import { z } from 'zod';
import {
  transferAnswer,
  transferImportCheckAnswer,
  transferImportedAnswer,
  transferredFileAnswer,
  transferredRecordAnswer,
  transferListAnswer,
  transferSentAnswer,
} from './tab-responses';

/** Another school's ids (packages, records, files), as its format allows them. */
const sentId = z.string().min(1).max(500);

/** A transfer line as the tab reads it (the service's case, its state and clock). */
function toAnswer(line: TransferLine) {
  return {
    ...line.transfer,
    state: line.state,
    overdue: line.overdue,
    chasesDue: line.chasesDue,
  };
}

/**
 * Child protection file transfers for the team (after step-up, every call audited by the
 * service): list, open, record the advance notice, and send the package.
 */
export function registerTransferRoutes(
  server: Server,
  deps: Pick<
    TabApiDependencies,
    'transferDelivery' | 'transferImport' | 'transferredInView' | 'publicBaseUrl'
  > &
    Required<Pick<TabApiDependencies, 'transfers'>>,
  route: TabRoute,
): void {
  server.get(
    '/api/tab/transfers',
    route(transferListAnswer, async ({ actor, context }) => ({
      transfers: (await deps.transfers.list(actor, context.requestId)).map(toAnswer),
    })),
  );

  server.post(
    '/api/tab/transfers',
    route(transferAnswer, async ({ req, actor, context }) =>
      toAnswer(await deps.transfers.open(actor, req.body as unknown, context.requestId)),
    ),
  );

  server.get(
    '/api/tab/transfers/:transferId',
    route(transferAnswer, async ({ req, actor, context }) => {
      const transferId = parseOr400(idSchema, req.params?.transferId);
      return toAnswer(await deps.transfers.view(actor, transferId, context.requestId));
    }),
  );

  server.post(
    '/api/tab/transfers/:transferId/notice',
    route(transferAnswer, async ({ req, actor, context }) => {
      const transferId = parseOr400(idSchema, req.params?.transferId);
      return toAnswer(
        await deps.transfers.recordNotice(
          actor,
          transferId,
          req.body as unknown,
          context.requestId,
        ),
      );
    }),
  );

  server.post(
    '/api/tab/transfers/:transferId/send',
    route(transferSentAnswer, async ({ req, actor, context }) => {
      const transferId = parseOr400(idSchema, req.params?.transferId);
      if (!deps.transferDelivery) throw new AppError('TAB.NOT_FOUND', 'sending is not set up');
      const sent = await deps.transferDelivery.send(
        actor,
        transferId,
        req.body as unknown,
        context.requestId,
      );
      return {
        transfer: toAnswer(sent.transfer),
        downloadUrl: `${(deps.publicBaseUrl ?? '').replace(/\/$/, '')}${sent.downloadPath}`,
        oneTimeCode: sent.oneTimeCode,
        expiresAt: sent.expiresAt,
        sha256: sent.sha256,
      };
    }),
  );

  // Before importing: the upload checked and the pupils on our roll it may be (nothing kept).
  server.post(
    '/api/tab/transfers/import/check',
    route(transferImportCheckAnswer, async ({ req, actor, context }) => {
      if (!deps.transferImport) throw new AppError('TAB.NOT_FOUND', 'importing is not set up');
      const checked = await deps.transferImport.checkPackage(
        actor,
        req.body as unknown,
        context.requestId,
      );
      return {
        ...checked,
        proposals: checked.proposals.map(({ pupil, matchedOn }) => ({
          pupilId: pupil.pupilId,
          displayName: pupilDisplayName(pupil),
          yearGroup: pupil.yearGroup,
          dateOfBirth: pupil.dateOfBirth,
          matchedOn,
        })),
      };
    }),
  );

  // A record another school sent, read-only as it arrived, and its files (each read audited).
  server.get(
    '/api/tab/transferred-in/:packageId/records/:incidentId',
    route(transferredRecordAnswer, async ({ req, actor, context }) => {
      if (!deps.transferredInView) throw new AppError('TAB.NOT_FOUND', 'not set up');
      return deps.transferredInView.viewRecord(
        actor,
        parseOr400(sentId, req.params?.packageId),
        parseOr400(sentId, req.params?.incidentId),
        context.requestId,
      );
    }),
  );

  server.get(
    '/api/tab/transferred-in/:packageId/records/:incidentId/files/:fileId',
    route(transferredFileAnswer, async ({ req, actor, context }) => {
      if (!deps.transferredInView) throw new AppError('TAB.NOT_FOUND', 'not set up');
      const file = await deps.transferredInView.file(
        actor,
        parseOr400(sentId, req.params?.packageId),
        parseOr400(sentId, req.params?.incidentId),
        parseOr400(sentId, req.params?.fileId),
        context.requestId,
      );
      return {
        fileName: file.name,
        contentType: 'application/octet-stream',
        base64: file.bytes.toString('base64'),
      };
    }),
  );

  server.post(
    '/api/tab/transfers/import',
    route(transferImportedAnswer, async ({ req, actor, context }) => {
      if (!deps.transferImport) throw new AppError('TAB.NOT_FOUND', 'importing is not set up');
      return deps.transferImport.importPackage(actor, req.body as unknown, context.requestId);
    }),
  );
}
