import {
  decideRecordAccess,
  isInListingScope,
  listingScopeFor,
  isGovernorOnly,
  mayChangeReportTargets,
  mayRunReports,
  RECORD_OPERATIONS,
  reportAudienceOf,
  type AccessActor,
  type RecordAccessFacts,
  type RecordOperation,
} from '../../../src/access';
import type { StaffRole } from '../../../src/staff';

const TENANT = 't-1';
const SCHOOL = 'school-a';
const ME = 'aad-me';
const PUPIL = 'pupil-1';
const LINKED = 'pupil-2';

type Relationship = 'recorder' | 'alerted' | 'invited' | 'none';
type Boundary = 'same-school' | 'other-school' | 'other-tenant';
type Expected = 'allow' | string;

const RELATIONSHIPS: readonly Relationship[] = ['recorder', 'alerted', 'invited', 'none'];
const BOUNDARIES: readonly Boundary[] = ['same-school', 'other-school', 'other-tenant'];
const CONFLICTS = ['none', 'with-subject', 'with-linked-pupil'] as const;

/** Every role set a school gives, alone and in the combinations schools use. */
const ROLE_SETS: Record<string, readonly StaffRole[]> = {
  staff: ['staff'],
  slt: ['staff', 'slt'],
  head: ['staff', 'head', 'slt'],
  admin: ['admin'],
  'no roles': [],
  dsl: ['staff', 'dsl'],
  'deputy dsl': ['staff', 'deputy-dsl'],
  'named team member': ['staff', 'safeguarding-team'],
  'head on the team': ['head', 'slt', 'safeguarding-team'],
  governor: ['governor'],
  'chair of governors': ['governor', 'chair-of-governors'],
  'allegations deputy': ['staff', 'slt', 'allegations-deputy'],
};
const TEAM = new Set(['dsl', 'deputy dsl', 'named team member', 'head on the team']);

/**
 * The rules written out by hand, not derived from the policy: for someone outside the team, by
 * operation × relationship, for ordinary and team-only categories.
 */
const OUTSIDE_TEAM: Record<'ordinary' | 'team-only', Record<RecordOperation, Expected[]>> = {
  //                   recorder  alerted                 invited                 none
  ordinary: {
    view: ['allow', 'allow', 'allow', 'no-relationship'],
    viewNarrative: ['allow', 'allow', 'allow', 'no-relationship'],
    addAction: ['allow', 'allow', 'allow', 'no-relationship'],
    amend: Array(4).fill('team-only-operation'),
    export: Array(4).fill('team-only-operation'),
    viewAudit: Array(4).fill('team-only-operation'),
    close: Array(4).fill('team-only-operation'),
    review: Array(4).fill('team-only-operation'),
  },
  'team-only': {
    view: ['allow', 'team-only-category', 'team-only-category', 'no-relationship'],
    viewNarrative: ['allow', 'team-only-category', 'team-only-category', 'no-relationship'],
    addAction: ['allow', 'team-only-category', 'team-only-category', 'no-relationship'],
    amend: Array(4).fill('team-only-operation'),
    export: Array(4).fill('team-only-operation'),
    viewAudit: Array(4).fill('team-only-operation'),
    close: Array(4).fill('team-only-operation'),
    review: Array(4).fill('team-only-operation'),
  },
};

/** For the team, by operation: without and with a recent second factor. */
const TEAM_MEMBER: Record<RecordOperation, [Expected, Expected]> = {
  view: ['allow', 'allow'],
  viewNarrative: ['step-up-required', 'allow'],
  addAction: ['allow', 'allow'],
  amend: ['step-up-required', 'allow'],
  export: ['step-up-required', 'allow'],
  viewAudit: ['step-up-required', 'allow'],
  close: ['step-up-required', 'allow'],
  // Marking a concern reviewed reads nothing of it: no second factor.
  review: ['allow', 'allow'],
};

function actorWith(roles: readonly StaffRole[], conflict: string, steppedUp: boolean): AccessActor {
  return {
    tenantId: TENANT,
    schoolId: SCHOOL,
    aadObjectId: ME,
    displayName: 'Someone',
    roles,
    conflictPupilIds:
      conflict === 'with-subject' ? [PUPIL] : conflict === 'with-linked-pupil' ? [LINKED] : [],
    steppedUp,
  };
}

function recordWith(relationship: Relationship, teamOnly: boolean, boundary: Boundary) {
  const facts: RecordAccessFacts = {
    tenantId: boundary === 'other-tenant' ? 't-2' : TENANT,
    schoolId: boundary === 'other-school' ? 'school-b' : SCHOOL,
    recordedByAadObjectId: relationship === 'recorder' ? ME : 'aad-colleague',
    pupilIds: [PUPIL, LINKED],
    alertedAadObjectIds: relationship === 'alerted' ? ['aad-dsl', ME] : ['aad-dsl'],
    invitedAadObjectIds: relationship === 'invited' ? [ME] : [],
    teamOnly,
  };
  return facts;
}

function expectedFor(
  roleSet: string,
  relationship: Relationship,
  teamOnly: boolean,
  boundary: Boundary,
  conflict: string,
  steppedUp: boolean,
  operation: RecordOperation,
): Expected {
  if (boundary !== 'same-school') return 'other-school';
  if (conflict !== 'none') return 'conflict-of-interest';
  if (TEAM.has(roleSet)) return TEAM_MEMBER[operation][steppedUp ? 1 : 0];
  return OUTSIDE_TEAM[teamOnly ? 'team-only' : 'ordinary'][operation][
    RELATIONSHIPS.indexOf(relationship)
  ]!;
}

describe('access policy: the whole matrix', () => {
  it.each(Object.keys(ROLE_SETS))(
    'when a %s asks, then every relationship × category kind × boundary × conflict × step-up × operation is decided as written',
    (roleSet) => {
      const mismatches: string[] = [];
      let cases = 0;
      for (const relationship of RELATIONSHIPS)
        for (const teamOnly of [false, true])
          for (const boundary of BOUNDARIES)
            for (const conflict of CONFLICTS)
              for (const steppedUp of [false, true])
                for (const operation of RECORD_OPERATIONS) {
                  cases += 1;
                  const actor = actorWith(ROLE_SETS[roleSet]!, conflict, steppedUp);
                  const record = recordWith(relationship, teamOnly, boundary);
                  const decision = decideRecordAccess(actor, record, operation);
                  const got = decision.allowed ? 'allow' : decision.reason;
                  const want = expectedFor(
                    roleSet,
                    relationship,
                    teamOnly,
                    boundary,
                    conflict,
                    steppedUp,
                    operation,
                  );
                  if (got !== want) {
                    mismatches.push(
                      `${relationship} ${teamOnly ? 'team-only' : 'ordinary'} ${boundary} conflict=${conflict} steppedUp=${steppedUp} ${operation}: got ${got}, want ${want}`,
                    );
                  }
                }
      expect(cases).toBe(4 * 2 * 3 * 3 * 2 * RECORD_OPERATIONS.length);
      expect(mismatches).toEqual([]);
    },
  );
});

describe('listing scope', () => {
  it.each(Object.keys(ROLE_SETS))(
    'when a %s lists records, then the scope holds exactly the records the policy lets them view',
    (roleSet) => {
      for (const relationship of RELATIONSHIPS)
        for (const teamOnly of [false, true])
          for (const boundary of BOUNDARIES)
            for (const conflict of CONFLICTS) {
              // Listing shows that a record exists, which the team may see without step-up.
              const actor = actorWith(ROLE_SETS[roleSet]!, conflict, false);
              const record = recordWith(relationship, teamOnly, boundary);
              expect({
                relationship,
                teamOnly,
                boundary,
                conflict,
                listed: isInListingScope(listingScopeFor(actor), record),
              }).toEqual({
                relationship,
                teamOnly,
                boundary,
                conflict,
                listed: decideRecordAccess(actor, record, 'view').allowed,
              });
            }
    },
  );
});

describe('reports', () => {
  it('when senior leaders or the team ask for counts, then they may; other staff may not', () => {
    const may = Object.fromEntries(
      Object.entries(ROLE_SETS).map(([name, roles]) => [
        name,
        mayRunReports(actorWith(roles, 'none', false)),
      ]),
    );
    expect(may).toEqual({
      staff: false,
      slt: true,
      head: true,
      admin: false,
      'no roles': false,
      dsl: true,
      'deputy dsl': true,
      'named team member': true,
      'head on the team': true,
      // Governors see aggregates through the reports module's own rule, never these record counts.
      governor: false,
      'chair of governors': false,
      'allegations deputy': true,
    });
  });
});

describe('which reports each role sees', () => {
  it('when each role asks for reports, then the team and senior leaders get full counts, governors suppressed aggregates, everyone else nothing', () => {
    const seen = Object.fromEntries(
      Object.entries(ROLE_SETS).map(([name, roles]) => [
        name,
        reportAudienceOf(actorWith(roles, 'none', false)) ?? 'denied',
      ]),
    );
    expect(seen).toEqual({
      staff: 'denied',
      slt: 'full',
      head: 'full',
      admin: 'denied',
      'no roles': 'denied',
      dsl: 'full',
      'deputy dsl': 'full',
      'named team member': 'full',
      'head on the team': 'full',
      governor: 'governor',
      'chair of governors': 'governor',
      'allegations deputy': 'full',
    });
  });

  it('when the tab decides who gets the governor home, then only people with governor roles alone do', () => {
    const only = Object.entries(ROLE_SETS)
      .filter(([, roles]) => isGovernorOnly(roles))
      .map(([name]) => name);
    expect(only).toEqual(['governor', 'chair of governors']);
    // A staff governor (a teacher elected to the board) keeps the tab of a member of staff.
    expect(isGovernorOnly(['staff', 'governor'])).toBe(false);
  });

  it("when someone changes the school's report targets, then only the team and the head may", () => {
    const may = Object.entries(ROLE_SETS)
      .filter(([, roles]) => mayChangeReportTargets(actorWith(roles, 'none', false)))
      .map(([name]) => name);
    expect(may).toEqual(['head', 'dsl', 'deputy dsl', 'named team member', 'head on the team']);
  });
});
