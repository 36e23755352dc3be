import type { Server } from 'restify';
import { AppError } from '../shared/errors';
import type { TransferLine } from '../transfers';
import type { TabApiDependencies, TabRoute } from './tab-api.types';
import { idSchema, parseOr400 } from './tab-requests';
import {
  transferAnswer,
  transferImportedAnswer,
  transferListAnswer,
  transferSentAnswer,
} from './tab-responses';

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
  deps: Pick<TabApiDependencies, 'transferDelivery' | 'transferImport' | 'publicBaseUrl'> &
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

  server.post(
    '/api/tab/transfers/import',
    route(transferImportedAnswer, async ({ req, actor, context }) => {
      if (!deps.transferImport) throw new AppError('TAB.NOT_FOUND', 'importing is not set up');
      return deps.transferImport.importPackage(actor, req.body as unknown, context.requestId);
    }),
  );
}
