import type { Shown } from './suppression';

/** Which view of the reports someone gets: full counts, or a governor's suppressed aggregates. */
export type ReportAudience = 'full' | 'governor';

/** A period of whole school-local days, inclusive: YYYY-MM-DD. */
export interface ReportPeriod {
  readonly from: string;
  readonly to: string;
}

/** The school's targets for timeliness (a per-school setting; defaults below). */
export interface ReportTargets {
  /** Minutes from a concern being recorded to the first acknowledgement by the team. */
  readonly acknowledgeMinutes: number;
  /** Hours from a referral to the team's decision on it. */
  readonly decideReferralHours: number;
}

/**
 * Defaults: KCSIE expects the DSL to act on a concern the same day, and Working Together expects a
 * decision on a referral within one working day; an hour to acknowledge is the default we chose.
 */
export const DEFAULT_REPORT_TARGETS: ReportTargets = {
  acknowledgeMinutes: 60,
  decideReferralHours: 24,
};

/** One line of a table: what it counts, and the counts (one per column). */
interface ReportRow {
  readonly label: string;
  readonly cells: readonly Shown[];
  /** The line's total (two-way tables only). */
  readonly total?: Shown;
}

/**
 * A table of counts, never of names: rows by one dimension and columns by another (or a single
 * "Concerns" column). A total row is present when the rows add up (they do not for categories
 * and statuses, where a concern can be in several).
 */
export interface ReportTable {
  readonly id: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly ReportRow[];
  readonly totals?: ReportRow;
  /** Drawn as bars beside the table in the tab. */
  readonly chart: boolean;
}

/** How long something took, against the school's target (minutes). */
export interface Timeliness {
  readonly label: string;
  /**
   * How many were measured (concerns acknowledged, referrals decided), how many still wait, and
   * how many were within the target: null in a governor view, which shows the statistics only.
   */
  readonly measured: number | null;
  readonly waiting: number | null;
  /** Minutes; null when fewer than 5 were measured in a governor view, or none at all. */
  readonly medianMinutes: number | null;
  readonly p90Minutes: number | null;
  readonly targetMinutes: number;
  readonly withinTarget: number | null;
  readonly overTarget: number | null;
}

/** A report for a period: headline figures, tables and timeliness. No names anywhere. */
export interface Report {
  readonly audience: ReportAudience;
  readonly schoolName: string;
  readonly period: ReportPeriod;
  readonly generatedAt: Date;
  readonly headline: readonly { readonly label: string; readonly value: Shown }[];
  readonly tables: readonly ReportTable[];
  readonly timeliness: readonly Timeliness[];
  /** Present in governor views: what "<5" and "*" mean. */
  readonly suppressionNote?: string;
}
