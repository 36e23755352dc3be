import { DECISION_OUTCOME_LABELS, statusLabelsOf, sortYearGroups } from './report-labels';
import { SCHOOL_TIME_ZONE } from '../shared/school-time';
import { monthsOf } from './report-period';
import type { ConcernFact, ReportFacts } from './report-facts';

/** A labelled list of exact counts. */
export type Tally = readonly { readonly label: string; readonly count: number }[];

/** Exact counts of a period: what both views are drawn from (the governor's after suppression). */
export interface ReportCounts {
  readonly concerns: number;
  readonly pupils: number;
  readonly months: readonly string[];
  readonly byMonth: Tally;
  readonly byCategory: Tally;
  readonly byYearGroup: Tally;
  readonly byStatus: Tally;
  readonly categoryByMonth: readonly { label: string; counts: readonly number[] }[];
  readonly categoryByYearGroup: readonly { label: string; counts: readonly number[] }[];
  readonly statusByYearGroup: readonly { label: string; counts: readonly number[] }[];
  readonly yearGroups: readonly string[];
  readonly referrals: number;
  readonly referralsByAgency: Tally;
  readonly referralOutcomes: Tally;
  readonly cases: Tally;
  readonly escalations: Tally;
  /** Minutes from recording to the team's first acknowledgement, and how many are waiting. */
  readonly acknowledge: { readonly minutes: readonly number[]; readonly waiting: number };
  /** Minutes from a referral to the decision after it, and how many are waiting. */
  readonly decide: { readonly minutes: readonly number[]; readonly waiting: number };
}

const MINUTE = 60_000;

/** Counts a period's facts. Pure: the numbers of a report, checked by hand in the tests. */
export function countReport(facts: ReportFacts): ReportCounts {
  const { concerns } = facts;
  const months = monthsOf(facts.period);
  // Each concern's month once: formatting in school time is the dearest step (a year's report
  // would format every concern once per month of the period otherwise).
  const monthByConcern = new Map(concerns.map((c) => [c, schoolMonth(c.recordedAt)] as const));
  const monthOf = (c: ConcernFact) => monthByConcern.get(c) ?? schoolMonth(c.recordedAt);
  const categoryName = new Map(facts.categories.map((c) => [c.categoryId, c.name]));
  const categories = [
    ...facts.categories.map((c) => c.name),
    ...new Set(concerns.flatMap((c) => c.categoryIds).filter((id) => !categoryName.has(id))),
  ];
  const categoriesOf = (c: ConcernFact) => c.categoryIds.map((id) => categoryName.get(id) ?? id);
  const yearOf = (c: ConcernFact) => facts.yearGroupOf.get(c.pupilId) ?? 'Not on roll';
  const yearGroups = sortYearGroups([...new Set(concerns.map(yearOf))]);
  const statusesOf = (c: ConcernFact) =>
    statusLabelsOf(statusAt(facts.statusHistories.get(c.pupilId) ?? [], c.recordedAt));
  const statuses = statusLabelsOf(undefined, true);

  const grid = (
    rows: readonly string[],
    cols: readonly string[],
    keys: (c: ConcernFact) => [string[], string],
  ) => {
    const counts = rows.map(() => cols.map(() => 0));
    for (const c of concerns) {
      const [rowKeys, col] = keys(c);
      for (const row of rowKeys) {
        const r = rows.indexOf(row);
        const k = cols.indexOf(col);
        if (r >= 0 && k >= 0) counts[r]![k]! += 1;
      }
    }
    return rows.map((label, r) => ({ label, counts: counts[r]! }));
  };
  const categoryByMonth = grid(categories, months, (c) => [categoriesOf(c), monthOf(c)]);
  const categoryByYearGroup = grid(categories, yearGroups, (c) => [categoriesOf(c), yearOf(c)]);
  const statusByYearGroup = grid(statuses, yearGroups, (c) => [statusesOf(c), yearOf(c)]);
  const sumRows = (rows: readonly { label: string; counts: readonly number[] }[]) =>
    rows.map((r) => ({ label: r.label, count: r.counts.reduce((a, b) => a + b, 0) }));

  const referralCounts = countReferrals(facts);
  const escalated = (step: (wave: number) => boolean) =>
    concerns.filter((c) => step(facts.highestEscalation.get(c.incidentId) ?? 0)).length;
  const acknowledged = concerns.flatMap((c) => {
    const at = facts.firstTeamAck.get(c.incidentId);
    return at ? [Math.max(0, (at.getTime() - c.recordedAt.getTime()) / MINUTE)] : [];
  });
  const closed = concerns.filter((c) => facts.caseStatus.get(c.incidentId) === 'closed').length;

  return {
    concerns: concerns.length,
    pupils: new Set(concerns.map((c) => c.pupilId)).size,
    months,
    byMonth: months.map((m) => ({
      label: m,
      count: concerns.filter((c) => monthOf(c) === m).length,
    })),
    byCategory: sumRows(categoryByMonth),
    byYearGroup: yearGroups.map((y) => ({
      label: y,
      count: concerns.filter((c) => yearOf(c) === y).length,
    })),
    byStatus: sumRows(statusByYearGroup),
    categoryByMonth,
    categoryByYearGroup,
    statusByYearGroup,
    yearGroups,
    ...referralCounts,
    cases: [
      { label: 'Open', count: concerns.length - closed },
      { label: 'Closed', count: closed },
    ],
    escalations: [
      { label: 'Not escalated', count: escalated((w) => w === 0) },
      { label: 'Escalated once', count: escalated((w) => w === 1) },
      { label: 'Escalated twice', count: escalated((w) => w === 2) },
      { label: 'Escalated three times or more', count: escalated((w) => w >= 3) },
    ],
    acknowledge: { minutes: acknowledged, waiting: concerns.length - acknowledged.length },
  };
}

/** Referrals made in the period, by agency and by the decision that followed. */
function countReferrals(facts: ReportFacts) {
  const referrals = facts.actions.filter(
    (a) =>
      a.kind === 'referral' &&
      (a.referredAt ?? a.happenedAt) >= facts.start &&
      (a.referredAt ?? a.happenedAt) < facts.end,
  );
  const decisionAfter = (r: (typeof referrals)[number]) =>
    facts.actions
      .filter(
        (a) => a.kind === 'decision' && a.incidentId === r.incidentId && a.sequence > r.sequence,
      )
      .sort((a, b) => a.sequence - b.sequence)[0];
  const agencies = [...new Set(referrals.map((r) => r.agencyName || 'Other agency'))].sort();
  const outcomes = new Map<string, number>(
    [...Object.values(DECISION_OUTCOME_LABELS), 'Awaiting a decision'].map((l) => [l, 0]),
  );
  const minutes: number[] = [];
  for (const r of referrals) {
    const decision = decisionAfter(r);
    const label = decision
      ? DECISION_OUTCOME_LABELS[decision.outcome ?? 'other']
      : 'Awaiting a decision';
    outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
    if (decision) {
      const from = (r.referredAt ?? r.happenedAt).getTime();
      minutes.push(Math.max(0, (decision.happenedAt.getTime() - from) / MINUTE));
    }
  }
  return {
    referrals: referrals.length,
    referralsByAgency: agencies.map((label) => ({
      label,
      count: referrals.filter((r) => (r.agencyName || 'Other agency') === label).length,
    })),
    referralOutcomes: [...outcomes].map(([label, count]) => ({ label, count })),
    decide: { minutes, waiting: referrals.length - minutes.length },
  };
}

/**
 * The status a pupil had when a concern was recorded: the latest version before it, or, when the
 * school recorded statuses only later (an MIS import after the fact), the first version known.
 */
function statusAt<T extends { changedAt: Date; status: unknown }>(
  history: readonly T[],
  at: Date,
): T['status'] | undefined {
  const before = history.filter((h) => h.changedAt <= at);
  return (before[before.length - 1] ?? history[0])?.status;
}

// One formatter for every record: building one is far dearer than using it.
const MONTH_IN_SCHOOL_TIME = new Intl.DateTimeFormat('en-CA', {
  timeZone: SCHOOL_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
});

function schoolMonth(instant: Date): string {
  return MONTH_IN_SCHOOL_TIME.format(instant).slice(0, 7);
}

/** The p-th percentile by nearest rank (p in 0–100); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}
