import type { StaffRole } from '../staff';
import type { CaseManagerRoute } from './adult-concern.types';

/**
 * What someone may try to do with a concern about an adult. Its own list, apart from the pupil
 * records' operations: nothing here grants anything on a pupil's record, and nothing there here.
 */
export const ADULT_CONCERN_OPERATIONS = [
  /** See that it exists: reference, dates, route, whether acknowledged (lists, alert cards). */
  'view',
  /** Read who it is about and what happened, and the case's steps. */
  'viewDetails',
  /** "I have seen this" from the alert card: stops the escalation. */
  'acknowledge',
  /** Run the case: LADO steps, actions, outcome, escalating a low-level concern, inviting the DSL. */
  'manage',
] as const;
export type AdultConcernOperation = (typeof ADULT_CONCERN_OPERATIONS)[number];

/** Who is asking, resolved from our store; `steppedUp` is a recent second factor. */
export interface AdultConcernActor {
  readonly tenantId: string;
  readonly schoolId: string;
  readonly aadObjectId: string;
  readonly displayName: string;
  readonly roles: readonly StaffRole[];
  readonly steppedUp: boolean;
}

/** The facts about a concern the policy reads: ids and the route, never a name. */
export interface AdultConcernAccessFacts {
  readonly tenantId: string;
  readonly schoolId: string;
  readonly caseManagerRoute: CaseManagerRoute;
  /** The adult it is about, when they are in the staff directory. */
  readonly subjectAadObjectId: string | undefined;
  /** Invited by the case manager (the DSL, when the case manager wants them). */
  readonly invitedAadObjectIds: readonly string[];
  /** Staff who declared a conflict of interest with this adult. */
  readonly conflictedAadObjectIds: readonly string[];
}

type AdultConcernDenyReason =
  | 'other-school'
  | 'subject-of-concern'
  | 'conflict-of-interest'
  | 'step-up-required'
  | 'invited-read-only'
  | 'not-case-manager';

export type AdultConcernDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: AdultConcernDenyReason };

/**
 * Who may act as case manager on each route: the head and their named deputy for concerns about
 * anyone but the head, with the chair of governors as the last step of its escalation; the chair
 * of governors alone when it is about the head.
 */
const CASE_MANAGER_ROLES: Readonly<Record<CaseManagerRoute, readonly StaffRole[]>> = {
  head: ['head', 'allegations-deputy', 'chair-of-governors'],
  chair: ['chair-of-governors'],
};

/** Reading what happened and running the case need a recent second factor. */
const STEP_UP: ReadonlySet<AdultConcernOperation> = new Set(['viewDetails', 'manage']);
const INVITED_MAY: ReadonlySet<AdultConcernOperation> = new Set(['view', 'viewDetails']);

const ALLOW: AdultConcernDecision = { allowed: true };
const deny = (reason: AdultConcernDenyReason): AdultConcernDecision => ({ allowed: false, reason });

/**
 * The access policy of concerns about adults. Pure; deny by default; widest boundary first:
 * school, the subject, a declared conflict, then case manager or invited. The safeguarding team,
 * SLT, admin, governors and the recorder have no standing here: the recorder hands the concern
 * over and keeps no copy, and the DSL sees it only when the case manager invites them.
 */
export function decideAdultConcernAccess(
  actor: AdultConcernActor,
  concern: AdultConcernAccessFacts,
  operation: AdultConcernOperation,
): AdultConcernDecision {
  if (actor.tenantId !== concern.tenantId || actor.schoolId !== concern.schoolId) {
    return deny('other-school');
  }
  if (concern.subjectAadObjectId === actor.aadObjectId) return deny('subject-of-concern');
  if (concern.conflictedAadObjectIds.includes(actor.aadObjectId)) {
    return deny('conflict-of-interest');
  }
  const isCaseManager = actor.roles.some((r) =>
    CASE_MANAGER_ROLES[concern.caseManagerRoute].includes(r),
  );
  const invited = concern.invitedAadObjectIds.includes(actor.aadObjectId);
  if (!isCaseManager && !invited) return deny('not-case-manager');
  if (!isCaseManager && !INVITED_MAY.has(operation)) return deny('invited-read-only');
  if (STEP_UP.has(operation) && !actor.steppedUp) return deny('step-up-required');
  return ALLOW;
}
