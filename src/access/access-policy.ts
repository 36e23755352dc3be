import { isSafeguardingTeam, type StaffRole } from '../staff';
import type {
  AccessActor,
  AccessDecision,
  DenyReason,
  ListingScope,
  RecordAccessFacts,
  RecordOperation,
} from './access.types';

const ALLOW: AccessDecision = { allowed: true };
const deny = (reason: DenyReason): AccessDecision => ({ allowed: false, reason });

/** What only the safeguarding team may do, whatever their relationship to the record. */
const TEAM_ONLY_OPERATIONS: ReadonlySet<RecordOperation> = new Set([
  'amend',
  'export',
  'viewAudit',
  'close',
  'review',
]);

/**
 * Operations the team may do only after a recent second factor. Seeing that a record exists
 * (lists, alert cards) and adding an action from an alert card do not need it; reading what
 * happened, changing it and taking it out of the system do.
 */
const STEP_UP_OPERATIONS: ReadonlySet<RecordOperation> = new Set([
  'viewNarrative',
  'amend',
  'export',
  'viewAudit',
  'close',
]);

type Relationship = 'recorder' | 'alerted' | 'invited' | 'none';

function relationshipOf(actor: AccessActor, record: RecordAccessFacts): Relationship {
  const me = actor.aadObjectId;
  if (record.recordedByAadObjectId === me) return 'recorder';
  if (record.alertedAadObjectIds.includes(me)) return 'alerted';
  if (record.invitedAadObjectIds.includes(me)) return 'invited';
  return 'none';
}

/**
 * The one access policy: may this actor do this to this record? Pure (no I/O) so every read path
 * — bot commands, the tab API, exports, search results and counts — asks the same rules, and a
 * table test can enumerate them all. Deny by default; checks run from the widest boundary in:
 * school, conflict of interest, then role and relationship.
 */
export function decideRecordAccess(
  actor: AccessActor,
  record: RecordAccessFacts,
  operation: RecordOperation,
): AccessDecision {
  if (actor.tenantId !== record.tenantId || actor.schoolId !== record.schoolId) {
    return deny('other-school');
  }
  // A conflict of interest excludes a person from the pupil's records whatever their role.
  if (record.pupilIds.some((id) => actor.conflictPupilIds.includes(id))) {
    return deny('conflict-of-interest');
  }
  if (isSafeguardingTeam(actor.roles)) {
    if (STEP_UP_OPERATIONS.has(operation) && !actor.steppedUp) return deny('step-up-required');
    return ALLOW;
  }
  if (TEAM_ONLY_OPERATIONS.has(operation)) return deny('team-only-operation');
  const relationship = relationshipOf(actor, record);
  if (relationship === 'none') return deny('no-relationship');
  // Team-only categories are hidden from everyone but the team and the person who recorded it.
  if (record.teamOnly && relationship !== 'recorder') return deny('team-only-category');
  return ALLOW;
}

/**
 * Which records a list or count may include for `view`, expressed so a repository can turn it into
 * a query: the team sees the whole school but their conflicts; others only what they recorded,
 * were alerted to or were invited to, without team-only categories unless they recorded it.
 */
export function listingScopeFor(actor: AccessActor): ListingScope {
  const base = {
    tenantId: actor.tenantId,
    schoolId: actor.schoolId,
    excludePupilIds: actor.conflictPupilIds,
  };
  if (isSafeguardingTeam(actor.roles)) return { kind: 'whole-school', ...base };
  return {
    kind: 'related-to-me',
    ...base,
    aadObjectId: actor.aadObjectId,
    hideTeamOnlyUnlessRecorder: true,
  };
}

/** Reports (counts without names, for governors and Ofsted) are for the team and senior leaders. */
export function mayRunReports(actor: Pick<AccessActor, 'roles'>): boolean {
  return (
    isSafeguardingTeam(actor.roles) || actor.roles.includes('slt') || actor.roles.includes('head')
  );
}

/**
 * Whether a record falls inside a listing scope: the rule a repository's query implements, kept
 * here so a test can prove scope and policy agree record by record.
 */
export function isInListingScope(scope: ListingScope, record: RecordAccessFacts): boolean {
  if (scope.tenantId !== record.tenantId || scope.schoolId !== record.schoolId) return false;
  if (record.pupilIds.some((id) => scope.excludePupilIds.includes(id))) return false;
  if (scope.kind === 'whole-school') return true;
  const me = scope.aadObjectId;
  if (record.recordedByAadObjectId === me) return true;
  if (record.teamOnly) return false;
  return record.alertedAadObjectIds.includes(me) || record.invitedAadObjectIds.includes(me);
}

/** The roles of a governing board: aggregate reports only, never a child. */
const GOVERNOR_ROLES: readonly StaffRole[] = ['governor', 'chair-of-governors'];

/**
 * Which reports someone sees: the team, the head and senior leaders full counts; a governor only
 * aggregates with small numbers suppressed; everyone else none (deny by default).
 */
export function reportAudienceOf(
  actor: Pick<AccessActor, 'roles'>,
): 'full' | 'governor' | undefined {
  if (mayRunReports(actor)) return 'full';
  if (actor.roles.some((r) => GOVERNOR_ROLES.includes(r))) return 'governor';
  return undefined;
}

/**
 * True for someone who is only a governor (not also staff): the tab gives them the reports and
 * nothing else, and the server refuses them pupil search and the desk.
 */
export function isGovernorOnly(roles: readonly StaffRole[]): boolean {
  return (
    roles.some((r) => GOVERNOR_ROLES.includes(r)) && roles.every((r) => GOVERNOR_ROLES.includes(r))
  );
}

/** The school's report targets are set by the DSL's team and the head. */
export function mayChangeReportTargets(actor: Pick<AccessActor, 'roles'>): boolean {
  return isSafeguardingTeam(actor.roles) || actor.roles.includes('head');
}
