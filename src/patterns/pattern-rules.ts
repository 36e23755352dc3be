import { z } from 'zod';
import type { PatternRule } from './pattern.types';

/** The rules a school starts with (issue 14): the runs most policies ask the DSL to look at. */
export const DEFAULT_PATTERN_RULES: readonly PatternRule[] = [
  { ruleId: 'three-in-30-days', kind: 'concerns-in-days', count: 3, days: 30 },
  { ruleId: 'two-in-a-category-in-7-days', kind: 'category-in-days', count: 2, days: 7 },
  {
    ruleId: 'any-concern-on-cp-plan',
    kind: 'concern-with-status',
    status: 'childProtectionPlan',
    days: 1,
  },
];

const ruleId = z.string({ error: 'Each rule needs an id.' }).regex(/^[a-z0-9][a-z0-9-]{0,47}$/, {
  error: 'A rule id is up to 48 lower-case letters, digits and dashes, e.g. "three-in-30-days".',
});
const days = z
  .number({ error: 'Say over how many days the rule counts (a whole number).' })
  .int({ error: 'Days must be a whole number.' })
  .min(1, { error: 'A rule counts over at least 1 day.' })
  .max(366, { error: 'A rule counts over at most 366 days.' });
const count = z
  .number({ error: 'Say how many concerns make the pattern (a whole number).' })
  .int({ error: 'The number of concerns must be a whole number.' })
  .min(2, { error: 'A pattern needs at least 2 concerns (use a status rule for any one).' })
  .max(50, { error: 'A pattern counts at most 50 concerns.' });

const ruleSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ ruleId, kind: z.literal('concerns-in-days'), count, days }).strict(),
    z.object({ ruleId, kind: z.literal('category-in-days'), count, days }).strict(),
    z
      .object({
        ruleId,
        kind: z.literal('concern-with-status'),
        status: z.enum(['childProtectionPlan', 'childInNeed', 'lookedAfter'], {
          error: 'The status is one of childProtectionPlan, childInNeed, lookedAfter.',
        }),
        days,
      })
      .strict(),
  ],
  {
    error: 'Each rule is of kind concerns-in-days, category-in-days or concern-with-status.',
  },
);

/** A school's rules as it sends them: checked as unknown, every problem said in words. */
export const patternRulesSchema = z
  .array(ruleSchema, { error: 'The rules are a list.' })
  .max(20, { error: 'A school has at most 20 pattern rules.' })
  .refine((rules) => new Set(rules.map((r) => r.ruleId)).size === rules.length, {
    error: 'Two rules have the same id: each rule needs its own.',
  });

const STATUS_WORDS: Record<
  Extract<PatternRule, { kind: 'concern-with-status' }>['status'],
  string
> = {
  childProtectionPlan: 'a child protection plan',
  childInNeed: 'a child in need plan',
  lookedAfter: 'looked after',
};

/** The rule in the words the card and the desk use. */
export function describeRule(rule: PatternRule): string {
  const inDays = `${rule.days} day${rule.days === 1 ? '' : 's'}`;
  switch (rule.kind) {
    case 'concerns-in-days':
      return `${rule.count} concerns in ${inDays}`;
    case 'category-in-days':
      return `${rule.count} concerns in one category in ${inDays}`;
    case 'concern-with-status':
      return rule.status === 'lookedAfter'
        ? 'A concern about a looked-after child'
        : `A concern about a child on ${STATUS_WORDS[rule.status]}`;
  }
}
