import { percentile, type ReportCounts, type Tally } from './report-counts';
import {
  HIDDEN_FOR_TOTALS,
  protectColumn,
  protectCount,
  SUPPRESSION_NOTE,
  type Shown,
} from './suppression';
import type {
  Report,
  ReportAudience,
  ReportPeriod,
  ReportTable,
  ReportTargets,
  Timeliness,
} from './report.types';

/** Timeliness figures (a median of few) are not shown to governors below this many. */
const FEWEST_FOR_GOVERNOR_STATISTICS = 5;

interface ReportHeader {
  readonly schoolName: string;
  readonly period: ReportPeriod;
  readonly generatedAt: Date;
  readonly targets: ReportTargets;
}

/**
 * The report as the team, the head and senior leaders see it: exact counts, with the cross
 * tabulations (category by month, by year group; status by year group).
 */
function fullReport(counts: ReportCounts, header: ReportHeader): Report {
  const exact = (t: Tally) => t.map((r) => r.count);
  const oneWay = (id: string, title: string, tally: Tally, total: boolean, chart = false) =>
    column(id, title, tally, exact(tally), total ? sum(exact(tally)) : undefined, chart);
  const yearColumns = counts.yearGroups;
  return {
    audience: 'full',
    ...headerOf(header),
    headline: [
      { label: 'Concerns recorded', value: counts.concerns },
      { label: 'Pupils with a concern', value: counts.pupils },
      { label: 'Referrals made', value: counts.referrals },
    ],
    tables: [
      oneWay('concerns-by-month', 'Concerns by month', counts.byMonth, true, true),
      oneWay('concerns-by-category', 'Concerns by category', counts.byCategory, false, true),
      oneWay('concerns-by-year-group', 'Concerns by year group', counts.byYearGroup, true, true),
      oneWay('concerns-by-status', 'Concerns by pupil status', counts.byStatus, false),
      twoWay(
        'category-by-month',
        'Concerns by category and month',
        counts.months,
        counts.categoryByMonth,
      ),
      twoWay(
        'category-by-year-group',
        'Concerns by category and year group',
        yearColumns,
        counts.categoryByYearGroup,
      ),
      twoWay(
        'status-by-year-group',
        'Concerns by pupil status and year group',
        yearColumns,
        counts.statusByYearGroup,
      ),
      oneWay('referrals-by-agency', 'Referrals by agency', counts.referralsByAgency, true),
      oneWay('referral-outcomes', 'Referrals by outcome', counts.referralOutcomes, true),
      oneWay('cases', 'Cases open and closed', counts.cases, true),
      oneWay('escalations', 'Alerts escalated before acknowledgement', counts.escalations, true),
    ],
    timeliness: [
      timeliness(
        'Time to acknowledge a concern',
        counts.acknowledge,
        header.targets.acknowledgeMinutes,
        false,
      ),
      timeliness(
        'Time to decide a referral',
        counts.decide,
        header.targets.decideReferralHours * 60,
        false,
      ),
    ],
  };
}

/**
 * The governor's report: one-way tables only (each a margin of the same concerns, so any two
 * share nothing but their grand total), every count of 1–4 shown as "<5" and secondary
 * suppression so that no total gives one back (see suppression.ts). Tables that share a total
 * hide it together: if one must hide it, showing it in another would undo that.
 */
export function governorReport(counts: ReportCounts, header: ReportHeader): Report {
  const concernsGroup = protectGroup(counts.concerns, [
    counts.byMonth,
    counts.byYearGroup,
    counts.cases,
    counts.escalations,
  ]);
  const referralGroup = protectGroup(counts.referrals, [
    counts.referralsByAgency,
    counts.referralOutcomes,
  ]);
  // Categories and statuses overlap (a concern can be in several): no total is shown, but each
  // is protected as if its sum were known, in case every concern has exactly one.
  const overlapping = (tally: Tally) => {
    const cells = tally.map((r) => r.count);
    return protectColumn(cells, sum(cells)).cells;
  };
  const [byMonth, byYearGroup, cases, escalations] = concernsGroup.cells;
  const [byAgency, outcomes] = referralGroup.cells;
  const g = concernsGroup.total;
  const r = referralGroup.total;
  return {
    audience: 'governor',
    ...headerOf(header),
    headline: [
      { label: 'Concerns recorded', value: g },
      { label: 'Pupils with a concern', value: protectCount(counts.pupils) },
      { label: 'Referrals made', value: r },
    ],
    tables: [
      column('concerns-by-month', 'Concerns by month', counts.byMonth, byMonth!, g, true),
      column(
        'concerns-by-category',
        'Concerns by category',
        counts.byCategory,
        overlapping(counts.byCategory),
        undefined,
        true,
      ),
      column(
        'concerns-by-year-group',
        'Concerns by year group',
        counts.byYearGroup,
        byYearGroup!,
        g,
        true,
      ),
      column(
        'concerns-by-status',
        'Concerns by pupil status',
        counts.byStatus,
        overlapping(counts.byStatus),
        undefined,
      ),
      column('referrals-by-agency', 'Referrals by agency', counts.referralsByAgency, byAgency!, r),
      column('referral-outcomes', 'Referrals by outcome', counts.referralOutcomes, outcomes!, r),
      column('cases', 'Cases open and closed', counts.cases, cases!, g),
      column(
        'escalations',
        'Alerts escalated before acknowledgement',
        counts.escalations,
        escalations!,
        g,
      ),
    ],
    timeliness: [
      timeliness(
        'Time to acknowledge a concern',
        counts.acknowledge,
        header.targets.acknowledgeMinutes,
        true,
      ),
      timeliness(
        'Time to decide a referral',
        counts.decide,
        header.targets.decideReferralHours * 60,
        true,
      ),
    ],
    suppressionNote: SUPPRESSION_NOTE,
  };
}

/** Builds the view an audience may see. */
export function reportFor(
  audience: ReportAudience,
  counts: ReportCounts,
  header: ReportHeader,
): Report {
  return audience === 'full' ? fullReport(counts, header) : governorReport(counts, header);
}

function headerOf(header: ReportHeader) {
  return { schoolName: header.schoolName, period: header.period, generatedAt: header.generatedAt };
}

/** Protects tallies that partition the same total; any that must hide it hides it for all. */
function protectGroup(
  total: number,
  tallies: readonly Tally[],
): { cells: Shown[][]; total: Shown } {
  const columns = tallies.map((t) =>
    protectColumn(
      t.map((r) => r.count),
      total,
    ),
  );
  const hidden = columns.some((c) => c.total === HIDDEN_FOR_TOTALS);
  return {
    cells: columns.map((c) => [...c.cells]),
    total: hidden ? HIDDEN_FOR_TOTALS : (columns[0]?.total ?? protectCount(total)),
  };
}

function column(
  id: string,
  title: string,
  tally: Tally,
  cells: readonly Shown[],
  total: Shown | undefined,
  chart = false,
): ReportTable {
  return {
    id,
    title,
    columns: [id.startsWith('referral') ? 'Referrals' : 'Concerns'],
    rows: tally.map((row, i) => ({ label: row.label, cells: [cells[i] ?? 0] })),
    ...(total !== undefined ? { totals: { label: 'Total', cells: [total] } } : {}),
    chart,
  };
}

function twoWay(
  id: string,
  title: string,
  columns: readonly string[],
  rows: readonly { label: string; counts: readonly number[] }[],
): ReportTable {
  return {
    id,
    title,
    columns,
    rows: rows.map((r) => ({ label: r.label, cells: r.counts, total: sum(r.counts) })),
    chart: false,
  };
}

function timeliness(
  label: string,
  measure: { minutes: readonly number[]; waiting: number },
  targetMinutes: number,
  governor: boolean,
): Timeliness {
  const within = measure.minutes.filter((m) => m <= targetMinutes).length;
  const tooFew = governor && measure.minutes.length < FEWEST_FOR_GOVERNOR_STATISTICS;
  const round = (n: number | null) => (n === null || tooFew ? null : Math.round(n));
  // A governor sees the statistics only: the counts behind them would be a second partition of
  // the same records, sharing cells with the tables above.
  const count = (n: number): number | null => (governor ? null : n);
  return {
    label,
    measured: count(measure.minutes.length),
    waiting: count(measure.waiting),
    medianMinutes: round(percentile(measure.minutes, 50)),
    p90Minutes: round(percentile(measure.minutes, 90)),
    targetMinutes,
    withinTarget: count(within),
    overTarget: count(measure.minutes.length - within),
  };
}

const sum = (cells: readonly number[]) => cells.reduce((a, b) => a + b, 0);
