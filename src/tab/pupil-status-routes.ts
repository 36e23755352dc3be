import type { Server } from 'restify';
import type { TabApiDependencies, TabRoute } from './tab-api.types';
import { idSchema, parseOr400 } from './tab-requests';
import { pupilStatusAnswer, pupilStatusChangedAnswer } from './tab-responses';

/** A pupil's status (plans, care, needs, NHS number): the team reads and changes it. */
export function registerPupilStatusRoutes(
  server: Server,
  deps: Pick<TabApiDependencies, 'pupilStatus'>,
  route: TabRoute,
): void {
  server.get(
    '/api/tab/pupils/:pupilId/status',
    route(pupilStatusAnswer, async ({ req, actor, context }) => {
      const pupilId = parseOr400(idSchema, req.params?.pupilId);
      const view = await deps.pupilStatus.view(actor, pupilId, context.requestId);
      return {
        ...view,
        history: view.history.map((change) => ({
          ...change,
          changedByName: change.changedBy.displayName,
        })),
      };
    }),
  );

  server.put(
    '/api/tab/pupils/:pupilId/status',
    route(pupilStatusChangedAnswer, async ({ req, actor, context }) => {
      const pupilId = parseOr400(idSchema, req.params?.pupilId);
      return deps.pupilStatus.change(actor, pupilId, req.body as unknown, context.requestId);
    }),
  );
}
