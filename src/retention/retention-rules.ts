import { z } from 'zod';
import { RETENTION_BASES, type RetentionRule } from './retention.types';

/**
 * The rules a school starts with (IRMS toolkit): a child protection file until the pupil's date
 * of birth + 25 years; every other record type 6 years from when it was recorded, a common school
 * policy that the team changes in the tab (per category, or `default`).
 */
export const DEFAULT_RETENTION_RULES: readonly RetentionRule[] = Object.freeze([
  { recordType: 'child-protection', basis: 'date-of-birth', years: 25 },
  { recordType: 'default', basis: 'recorded', years: 6 },
]);

const ruleSchema = z.object({
  recordType: z
    .string({ error: 'Choose the record type (a category, or default).' })
    .trim()
    .min(1, 'Choose the record type (a category, or default).')
    .max(100, 'The record type is too long.'),
  basis: z.enum(RETENTION_BASES, {
    error: 'Count the years from the date of birth or from the date recorded.',
  }),
  years: z
    .number({ error: 'Give the number of years as a whole number.' })
    .int('Give the number of years as a whole number.')
    .min(1, 'Keep a record for at least 1 year.')
    .max(100, 'Keep a record for at most 100 years.'),
});

/** The rules as the tab sends them: one per record type, a `default` among them. */
export const retentionRulesSchema = z
  .object({ rules: z.array(ruleSchema).min(1, 'Give at least the default rule.').max(100) })
  .refine((v) => v.rules.some((r) => r.recordType === 'default'), {
    message: 'Keep a default rule: it dates every record type without a rule of its own.',
    path: ['rules'],
  })
  .refine((v) => new Set(v.rules.map((r) => r.recordType)).size === v.rules.length, {
    message: 'Give each record type one rule only.',
    path: ['rules'],
  });

/** A rule in words, as schedules, tombstones and certificates name it. */
function ruleName(rule: RetentionRule): string {
  const from = rule.basis === 'date-of-birth' ? 'date of birth' : 'date recorded';
  return `${rule.recordType}: ${from} + ${rule.years} years`;
}

/**
 * When a record is reviewed: each of its categories with a rule gives a date (the default rule
 * when none has one) and the latest wins, so a record kept for child protection is never reviewed
 * early because it is also about attendance. Without a date of birth (a pupil no longer in the
 * directory) a date-of-birth rule counts from the date recorded, and says so.
 */
export function reviewDateFor(
  rules: readonly RetentionRule[],
  record: { readonly categoryIds: readonly string[]; readonly recordedOn: string },
  dateOfBirth: string | undefined,
): { reviewOn: string; rule: string } {
  const own = rules.filter((r) => record.categoryIds.includes(r.recordType));
  const fallback = rules.find((r) => r.recordType === 'default') ?? DEFAULT_RETENTION_RULES[1]!;
  const applying = own.length > 0 ? own : [fallback];
  let best: { reviewOn: string; rule: string } | undefined;
  for (const rule of applying) {
    const from = rule.basis === 'date-of-birth' ? dateOfBirth : record.recordedOn;
    const reviewOn = addYears(from ?? record.recordedOn, rule.years);
    const name = ruleName(rule) + (from ? '' : ' (no date of birth: from the date recorded)');
    if (!best || reviewOn > best.reviewOn) best = { reviewOn, rule: name };
  }
  return best!;
}

/**
 * A YYYY-MM-DD date `years` later (29 February becomes 28 February in a common year). The same
 * arithmetic as src/adult-concerns' own, which this feature may not import (kept apart).
 */
function addYears(date: string, years: number): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y + years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}
