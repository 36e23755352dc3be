import type { SchoolScope } from '../shared/school-scope';

/** The kinds of record retention schedules: records about pupils, and concerns about adults. */
type RecordKind = 'incident' | 'adult-concern';

/** What a rule counts its years from. */
export const RETENTION_BASES = ['date-of-birth', 'recorded'] as const;
type RetentionBasis = (typeof RETENTION_BASES)[number];

/**
 * How long one record type is kept before review. `recordType` is a category id of the school's
 * list, or `default` for records none of whose categories has a rule of its own.
 */
export interface RetentionRule {
  readonly recordType: string;
  readonly basis: RetentionBasis;
  readonly years: number;
}

/** Who acted, as the directory names them. */
interface Person {
  readonly aadObjectId: string;
  readonly displayName: string;
}

/**
 * A record's place in the retention schedule: which rule dates it and when it is next reviewed.
 * Ids, reference, dates and categories only: no narrative, no name.
 */
export interface ScheduledRecord extends SchoolScope {
  /** `<kind>:<recordId>`. */
  readonly scheduleId: string;
  readonly recordKind: RecordKind;
  readonly recordId: string;
  readonly reference: string;
  /** The subject and every linked pupil (holds on any of them stop a disposal); none for adults. */
  readonly pupilIds: readonly string[];
  readonly categoryIds: readonly string[];
  readonly happenedAt: Date;
  readonly recordedAt: Date;
  /** The rule in words, e.g. "child-protection: date of birth + 25 years". */
  readonly rule: string;
  /** YYYY-MM-DD (school calendar date). */
  readonly reviewOn: string;
  /** `rule`: dated by the school's rules; `retained`: a review moved it; `stored`: the record's own. */
  readonly source: 'rule' | 'retained' | 'stored';
}

/** A review that kept the record: why, until when, who. */
export interface RetainDecision extends SchoolScope {
  readonly scheduleId: string;
  readonly reason: string;
  readonly reviewOn: string;
  readonly by: Person;
  readonly at: Date;
}

type HoldScope = 'pupil' | 'record' | 'school';

/** A legal hold: while in force nothing it covers is disposed of. */
export interface LegalHold extends SchoolScope {
  readonly holdId: string;
  readonly scope: HoldScope;
  /** The pupil id, the record's schedule id, or the school id. */
  readonly targetId: string;
  /** The record's reference, for a record hold (shown in refusals); '' otherwise. */
  readonly targetReference: string;
  readonly reason: string;
  /** The inquiry's or case's reference, e.g. "IICSA-2027-014": every refusal names it. */
  readonly reference: string;
  readonly placedBy: Person;
  readonly placedAt: Date;
  readonly lifted?: { readonly by: Person; readonly at: Date; readonly reason: string };
}

/**
 * What is left of a disposed record: reference, dates, categories, who disposed of it and under
 * which rule. The chronology and the audit chain stay whole through it.
 */
export interface Tombstone extends SchoolScope {
  readonly scheduleId: string;
  readonly recordKind: RecordKind;
  readonly recordId: string;
  readonly reference: string;
  readonly happenedAt: Date;
  readonly recordedAt: Date;
  readonly categoryIds: readonly string[];
  readonly rule: string;
  readonly disposedBy: Person;
  readonly disposedAt: Date;
  /** The disposal certificate's id, also in its audit event. */
  readonly certificateId: string;
}

/** What a disposal removed, counted (the certificate lists these). */
export type ShredCounts = Readonly<Record<string, number>>;
