import type { ReferralOrDecisionFact } from '../actions';
import type { PupilStatus } from '../pupil-status';
import type { ReportPeriod, ReportTargets } from './report.types';

/** A concern as reports count it: ids, categories and when; never a name or narrative. */
export interface ConcernFact {
  readonly incidentId: string;
  readonly pupilId: string;
  readonly categoryIds: readonly string[];
  readonly recordedAt: Date;
}

/** Everything a report is computed from, read once per report (see reports.service.ts). */
export interface ReportFacts {
  readonly period: ReportPeriod;
  readonly start: Date;
  readonly end: Date;
  /** Concerns recorded in the period. */
  readonly concerns: readonly ConcernFact[];
  readonly categories: readonly { categoryId: string; name: string }[];
  readonly yearGroupOf: ReadonlyMap<string, string>;
  /** Each pupil's status versions, oldest first. */
  readonly statusHistories: ReadonlyMap<
    string,
    readonly { changedAt: Date; status: PupilStatus }[]
  >;
  /** Referrals and decisions that happened since the period began. */
  readonly actions: readonly ReferralOrDecisionFact[];
  readonly caseStatus: ReadonlyMap<string, 'closed' | 'reopened'>;
  readonly firstTeamAck: ReadonlyMap<string, Date>;
  readonly highestEscalation: ReadonlyMap<string, number>;
  readonly targets: ReportTargets;
}
