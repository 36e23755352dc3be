import type { Actor } from '../staff';

/** What someone may try to do with a record. Each read path names the one it needs. */
export const RECORD_OPERATIONS = [
  /** See that the record exists: date, categories, reference, recorder (lists, counts, cards). */
  'view',
  /** Read what happened: facts, the child's words, opinion, body map, files. */
  'viewNarrative',
  'addAction',
  'amend',
  'export',
  /** Read who viewed and changed the record. */
  'viewAudit',
  'close',
  /** Mark a new concern as seen by the safeguarding team (from its alert or the desk). */
  'review',
] as const;
export type RecordOperation = (typeof RECORD_OPERATIONS)[number];

/**
 * The facts about a record that access depends on, gathered server-side by whoever asks the policy
 * (the record itself, its alert outbox, its invitations). Ids only: the policy never needs a name.
 */
export interface RecordAccessFacts {
  readonly tenantId: string;
  readonly schoolId: string;
  readonly recordedByAadObjectId: string;
  /** The subject and every linked pupil. */
  readonly pupilIds: readonly string[];
  /** People an alert about the record was addressed to (chosen by the recorder, or escalation). */
  readonly alertedAadObjectIds: readonly string[];
  /** People invited to the record later (an action's recipients, a task's assignee). */
  readonly invitedAadObjectIds: readonly string[];
  /** True when any of its categories is one the school keeps to the safeguarding team. */
  readonly teamOnly: boolean;
}

/** Who is asking: the actor as resolved from our store, and whether they stepped up recently. */
export interface AccessActor extends Actor {
  /** A recent second factor (Entra `acrs` in the tab, or recorded server-side for the bot). */
  readonly steppedUp: boolean;
}

/** Why a request was refused; stable strings, written to the audit trail. */
export type DenyReason =
  | 'other-school'
  | 'conflict-of-interest'
  | 'team-only-category'
  | 'no-relationship'
  | 'team-only-operation'
  | 'step-up-required';

export type AccessDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: DenyReason };

/**
 * Which records a listing may include, so a query (and its count) never touches what the actor
 * cannot see. Derived from the same rules as `decideRecordAccess` (a test keeps them equal).
 */
export type ListingScope =
  | {
      readonly kind: 'whole-school';
      readonly tenantId: string;
      readonly schoolId: string;
      readonly excludePupilIds: readonly string[];
    }
  | {
      readonly kind: 'related-to-me';
      readonly tenantId: string;
      readonly schoolId: string;
      readonly aadObjectId: string;
      readonly excludePupilIds: readonly string[];
      /** Records they did not record themselves are hidden when a category is team-only. */
      readonly hideTeamOnlyUnlessRecorder: true;
    };
