import type { Server } from 'restify';
import { describeRule, type PatternRule } from '../patterns';
import type { TabApiDependencies, TabRoute } from './tab-api.types';
import { idSchema, parseOr400 } from './tab-requests';
import { flagReviewedAnswer, patternRulesAnswer } from './tab-responses';

/**
 * "Flag reviewed": the team takes a pattern flag off the desk (audited once, the first wins); and
 * the school's pattern rules, read by the team or an admin and set by them (checked, audited).
 */
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

  server.get(
    '/api/tab/pattern-rules',
    route(patternRulesAnswer, async ({ actor, context }) => ({
      rules: (await deps.patterns.readRules(actor, context.requestId)).map(withText),
    })),
  );

  server.put(
    '/api/tab/pattern-rules',
    route(patternRulesAnswer, async ({ req, actor, context }) => {
      const body = (req.body ?? {}) as { rules?: unknown };
      const rules = await deps.patterns.setRules(actor, body.rules, context.requestId);
      return { rules: rules.map(withText) };
    }),
  );
}

function withText(rule: PatternRule) {
  return { ...rule, text: describeRule(rule) };
}
