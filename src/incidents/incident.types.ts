import type { SchoolScope } from '../shared/school-scope';

/** How a linked pupil is involved in an incident. */
export const LINKED_PUPIL_ROLES = [
  'victim',
  'alleged-perpetrator',
  'witness',
  'sibling',
  'involved',
] as const;
type LinkedPupilRole = (typeof LINKED_PUPIL_ROLES)[number];

export const BODY_SIDES = ['front', 'back'] as const;
export const BODY_LATERALITIES = ['left', 'right', 'centre'] as const;
export const BODY_REGIONS = [
  'head',
  'face',
  'neck',
  'chest',
  'abdomen',
  'back',
  'buttocks',
  'genital area',
  'upper arm',
  'lower arm',
  'hand',
  'upper leg',
  'lower leg',
  'foot',
] as const;

/** A mark or injury, recorded only where child protection is suspected. */
export interface BodyMapEntry {
  readonly region: (typeof BODY_REGIONS)[number];
  readonly side: (typeof BODY_SIDES)[number];
  readonly laterality: (typeof BODY_LATERALITIES)[number];
  readonly description: string;
}

export interface LinkedPupil {
  readonly pupilId: string;
  readonly role: LinkedPupilRole;
}

/** What the recorder says happened: validated, but not yet checked against the directory. */
export interface IncidentInput {
  readonly pupilId: string;
  readonly happenedAt: Date;
  /** Typed in later from a paper "significant note" written while the system was unavailable. */
  readonly transcribedFromPaper: boolean;
  readonly location: string;
  readonly facts: string;
  readonly childsWords: string;
  readonly adultsWords: string;
  readonly leadingQuestionNote: string;
  readonly opinion: string;
  readonly actionTaken: string;
  readonly actionRequired: string;
  readonly categoryIds: readonly string[];
  readonly linkedPupils: readonly LinkedPupil[];
  readonly agencyIds: readonly string[];
  readonly bodyMap: readonly BodyMapEntry[];
  /** Staff to alert beyond the safeguarding team (who are always alerted). */
  readonly alertStaffIds: readonly string[];
}

/** A submitted record. Immutable: there is no edit path; the DSL amends with a reason (later). */
export interface Incident extends SchoolScope, IncidentInput {
  /** Opaque id used in links and other documents. */
  readonly incidentId: string;
  /** Human reference unique within the school and year, e.g. EPC-2026-00042. */
  readonly reference: string;
  readonly referenceYear: number;
  readonly referenceNumber: number;
  /** The form's idempotency key: a double click or a Teams retry makes one record. */
  readonly idempotencyKey: string;
  readonly recordedBy: {
    readonly aadObjectId: string;
    readonly displayName: string;
    readonly roles: readonly string[];
  };
  /** Server clock, never the card. */
  readonly recordedAt: Date;
}
