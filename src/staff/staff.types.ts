import type { SchoolScope } from '../shared/school-scope';

/**
 * Roles a school gives its staff (from the school's own directory, never from a client).
 * dsl, deputy-dsl and safeguarding-team make up the safeguarding team; head is the top of the
 * escalation ladder; slt sees reports; admin configures the school. governor sees only aggregate
 * reports (never a child); chair-of-governors is the case manager when a concern is about the head;
 * allegations-deputy is the head's named deputy for concerns about adults.
 */
export const STAFF_ROLES = [
  'staff',
  'dsl',
  'deputy-dsl',
  'safeguarding-team',
  'slt',
  'head',
  'admin',
  'governor',
  'chair-of-governors',
  'allegations-deputy',
] as const;

export type StaffRole = (typeof STAFF_ROLES)[number];

/** The roles that make someone part of the safeguarding team (the store queries by them). */
export const SAFEGUARDING_TEAM_ROLES: readonly StaffRole[] = [
  'dsl',
  'deputy-dsl',
  'safeguarding-team',
];

/** A member of staff at one school (a person working at two schools of a trust has two). */
export interface StaffMember extends SchoolScope {
  /** Entra object id: how Teams identifies them. */
  readonly aadObjectId: string;
  readonly displayName: string;
  readonly email: string;
  readonly jobTitle: string | undefined;
  readonly roles: readonly StaffRole[];
  /** Pupils this person must not see (family at the school): a conflict of interest. */
  readonly conflictPupilIds: readonly string[];
  readonly active: boolean;
}

/** Who is acting, resolved server-side from the store for every request. */
export type Actor = Pick<
  StaffMember,
  'tenantId' | 'schoolId' | 'aadObjectId' | 'displayName' | 'roles' | 'conflictPupilIds'
>;

/** True for the DSL, deputies and named members of the safeguarding team. */
export function isSafeguardingTeam(roles: readonly StaffRole[]): boolean {
  return roles.some((r) => SAFEGUARDING_TEAM_ROLES.includes(r));
}
