import type { Server } from 'restify';
import type { TabApiDependencies, TabRoute } from './tab-api.types';
import { idSchema, parseOr400 } from './tab-requests';
import { flagReviewedAnswer } from './tab-responses';

/** "Flag reviewed": the team takes a pattern flag off the desk (audited once, the first wins). */
export function registerPatternFlagRoutes(
  server: Server,
  deps: Pick<TabApiDependencies, 'patterns'>,
  route: TabRoute,
): void {
  server.post(
    '/api/tab/pattern-flags/:flagId/review',
    route(flagReviewedAnswer, async ({ req, actor, context }) => {
      const flagId = parseOr400(idSchema, req.params?.flagId);
      return deps.patterns.markReviewed(actor, flagId, context.requestId);
    }),
  );
}
