import type { SchoolScope } from '../shared/school-scope';

/** The text fields the safeguarding team may correct (the record keeps the original). */
export const AMENDABLE_TEXT_FIELDS = [
  'location',
  'facts',
  'childsWords',
  'adultsWords',
  'leadingQuestionNote',
  'opinion',
  'actionTaken',
  'actionRequired',
] as const;

/** What an amendment may change: text, when it happened, and the lists it was filed under. */
export interface AmendmentChanges {
  readonly location?: string;
  readonly facts?: string;
  readonly childsWords?: string;
  readonly adultsWords?: string;
  readonly leadingQuestionNote?: string;
  readonly opinion?: string;
  readonly actionTaken?: string;
  readonly actionRequired?: string;
  readonly happenedAt?: Date;
  readonly categoryIds?: readonly string[];
  readonly agencyIds?: readonly string[];
}

/**
 * One correction of a record by the safeguarding team, with the reason. Records are immutable:
 * the original stays as version 1 and each amendment is the next version, applied in order.
 */
export interface IncidentAmendment extends SchoolScope {
  readonly amendmentId: string;
  readonly incidentId: string;
  /** 2 for the first amendment: version 1 is the record as submitted. */
  readonly version: number;
  readonly amendedBy: { readonly aadObjectId: string; readonly displayName: string };
  readonly amendedAt: Date;
  readonly reason: string;
  /** The new values only; the previous ones are in the record and earlier amendments. */
  readonly changes: AmendmentChanges;
}
