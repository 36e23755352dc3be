import { toSchoolDateTime } from '../shared/school-time';
import { describeRule } from './pattern-rules';
import type { PatternFiring, PatternRecord, PatternRule } from './pattern.types';

const DAY_MS = 86_400_000;

/** What a status rule asks of the pupil's status when the record was stored. */
export interface StatusAtRecording {
  readonly childProtectionPlan: boolean;
  readonly childInNeed: boolean;
  readonly lookedAfter: string;
}

/** How far either side of a record its rule needs the pupil's other records. */
export function reachOf(rule: PatternRule): number {
  return rule.days * DAY_MS;
}

/**
 * Which rules a newly stored record fires, from the pupil's records around it (its subject's,
 * `reachOf` either side of when it happened) and the pupil's status when it was stored. Pure and
 * deterministic: evaluating the same record again, on another instance or after a restart, finds
 * the same firings with the same windows, so the flag's unique key makes a repeat harmless.
 *
 * A count rule fires when some span of `days` days (both ends included: exactly 30 days counts,
 * 30 days and 1 ms does not) holds `count` records including this one. Spans ending at this record
 * or at a later one are tried, so a concern typed in later with its original time still completes
 * a run. The window is the span's last day counted in blocks of `days` school days: one flag per
 * pupil, rule and block.
 */
export function evaluateRecord(
  rules: readonly PatternRule[],
  record: PatternRecord,
  around: readonly PatternRecord[],
  status: StatusAtRecording | undefined,
): PatternFiring[] {
  const pool = uniqueRecords([record, ...around.filter((r) => r.pupilId === record.pupilId)]);
  return rules.flatMap((rule) => {
    const firing = fire(rule, record, pool, status);
    return firing ? [firing] : [];
  });
}

function fire(
  rule: PatternRule,
  record: PatternRecord,
  pool: readonly PatternRecord[],
  status: StatusAtRecording | undefined,
): PatternFiring | undefined {
  if (rule.kind === 'concern-with-status') {
    const on =
      rule.status === 'lookedAfter'
        ? status?.lookedAfter === 'looked-after'
        : status?.[rule.status];
    return on ? firingOf(rule, [record], record.happenedAt) : undefined;
  }
  if (rule.kind === 'concerns-in-days') return runOf(rule, record, pool);
  for (const categoryId of record.categoryIds) {
    const inCategory = pool.filter((r) => r.categoryIds.includes(categoryId));
    const firing = runOf(rule, record, inCategory);
    if (firing) return { ...firing, categoryId };
  }
  return undefined;
}

/** The first span of `days` ending at or after the record that holds `count` records with it. */
function runOf(
  rule: Extract<PatternRule, { count: number }>,
  record: PatternRecord,
  pool: readonly PatternRecord[],
): PatternFiring | undefined {
  const at = (r: PatternRecord) => r.happenedAt.getTime();
  const span = reachOf(rule);
  const ends = pool.filter((r) => at(r) >= at(record)).sort((a, b) => at(a) - at(b));
  for (const end of ends) {
    if (at(end) - at(record) > span) break;
    const members = pool
      .filter((r) => at(r) <= at(end) && at(r) >= at(end) - span)
      .sort((a, b) => at(a) - at(b) || a.reference.localeCompare(b.reference));
    if (members.length >= rule.count) return firingOf(rule, members, end.happenedAt);
  }
  return undefined;
}

function firingOf(
  rule: PatternRule,
  members: readonly PatternRecord[],
  windowEnd: Date,
): PatternFiring {
  return {
    ruleId: rule.ruleId,
    ruleText: describeRule(rule),
    window: Math.floor(schoolDayNumber(windowEnd) / rule.days),
    incidentIds: members.map((r) => r.incidentId),
    references: members.map((r) => r.reference),
  };
}

/** Days since 1970-01-01 of the school-local date of an instant (BST and GMT alike). */
export function schoolDayNumber(instant: Date): number {
  const [y, m, d] = toSchoolDateTime(instant).date.split('-').map(Number);
  return Math.round(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS);
}

function uniqueRecords(records: readonly PatternRecord[]): PatternRecord[] {
  return [...new Map(records.map((r) => [r.incidentId, r] as const)).values()];
}
