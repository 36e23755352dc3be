import type { SchoolScope } from '../shared/school-scope';

/** Who the adult is to the school (KCSIE Part 4 covers all of them). */
export const ADULT_KINDS = ['staff', 'supply', 'volunteer', 'contractor'] as const;
export type AdultKind = (typeof ADULT_KINDS)[number];

/**
 * The two routes: an allegation that may meet the harm threshold (the LADO route), or a
 * low-level concern that does not (recorded, reviewed for patterns, may be escalated).
 */
export type AdultConcernRoute = 'allegation' | 'low-level';

/** Who manages the case: the head, or the chair of governors when the concern is about the head. */
export type CaseManagerRoute = 'head' | 'chair';

/** The statutory outcomes of an allegation (KCSIE Part 4), and no other. */
export const ALLEGATION_OUTCOMES = [
  'substantiated',
  'false',
  'malicious',
  'unsubstantiated',
  'unfounded',
] as const;
export type AllegationOutcome = (typeof ALLEGATION_OUTCOMES)[number];

/** How a low-level concern ends: dealt with, or escalated to the allegation route. */
export const LOW_LEVEL_OUTCOMES = ['addressed-with-adult', 'no-further-action'] as const;
export type LowLevelOutcome = (typeof LOW_LEVEL_OUTCOMES)[number];

/** The steps of the case after the record: the LADO route, then the employer's actions. */
export const CASE_STEP_KINDS = [
  'lado-referral',
  'lado-advice',
  'lado-decision',
  'suspension-considered',
  'police',
  'hr',
  'pattern-review',
  'note',
] as const;
export type CaseStepKind = (typeof CASE_STEP_KINDS)[number];

/** What a concern says, sealed at rest: only the case manager (and invited) ever open it. */
export interface AdultConcernDetails {
  /** The adult's name as the recorder wrote it (also when they are in the staff directory). */
  readonly adultName: string;
  /** Their job or role as the recorder knows it ("Year 6 teacher", "cleaning contractor"). */
  readonly adultRole: string;
  readonly whatHappened: string;
  readonly location: string;
}

/** What the form gives, checked (see adult-concern.schemas.ts). */
export interface AdultConcernInput {
  readonly adultKind: AdultKind;
  /** The adult's Entra object id when they are in the school's staff directory. */
  readonly subjectAadObjectId: string | undefined;
  readonly happenedAt: Date;
  readonly mayMeetHarmThreshold: boolean;
  readonly details: AdultConcernDetails;
}

/** One step of the case, in order; its note is sealed like the details. */
export interface CaseStep {
  readonly kind: CaseStepKind;
  readonly at: Date;
  readonly recordedAt: Date;
  readonly by: { readonly aadObjectId: string; readonly displayName: string };
  readonly note: string;
}

/** The outcome and what it means for how long the record is kept. */
export interface CaseOutcome {
  readonly outcome: AllegationOutcome | LowLevelOutcome;
  /** The date the outcome was reached (YYYY-MM-DD, school time). */
  readonly date: string;
  readonly recordedAt: Date;
  readonly by: { readonly aadObjectId: string; readonly displayName: string };
  /** What was learned (low-level concerns especially); sealed with the steps. */
  readonly learning: string;
}

/** The retention rule in force and when the record must next be looked at. */
export interface RetentionDecision {
  readonly rule:
    | 'pension-age-or-10-years'
    | 'remove-from-personnel-record'
    | 'low-level-policy-review'
    | 'until-outcome';
  /** The date the record is due for review or disposal (YYYY-MM-DD). */
  readonly reviewOn: string;
  readonly explanation: string;
}

/** The header of a concern: what a list may show. No name and no narrative. */
export interface AdultConcernHeader extends SchoolScope {
  readonly concernId: string;
  readonly reference: string;
  readonly route: AdultConcernRoute;
  readonly caseManagerRoute: CaseManagerRoute;
  readonly adultKind: AdultKind;
  readonly subjectAadObjectId: string | undefined;
  /**
   * Same adult, same key: the directory id, or a hash of the name as written. What pattern
   * review groups by, without a name in clear.
   */
  readonly subjectKey: string;
  readonly happenedAt: Date;
  readonly recordedAt: Date;
  readonly recordedBy: { readonly aadObjectId: string; readonly displayName: string };
  readonly mayMeetHarmThreshold: boolean;
  /** When the LADO should have the referral: one working day after the allegation was known. */
  readonly ladoReferralDueAt: Date | undefined;
  readonly ladoReferredAt: Date | undefined;
  readonly acknowledgedAt: Date | undefined;
  readonly acknowledgedBy: string | undefined;
  readonly invitedAadObjectIds: readonly string[];
  readonly outcome: CaseOutcome | undefined;
  readonly retention: RetentionDecision;
}

/** A concern with what it says and its steps, for the case manager's view. */
export interface AdultConcern extends AdultConcernHeader {
  readonly details: AdultConcernDetails;
  readonly steps: readonly CaseStep[];
}
