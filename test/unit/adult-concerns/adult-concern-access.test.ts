import {
  ADULT_CONCERN_OPERATIONS,
  decideAdultConcernAccess,
  type AdultConcernAccessFacts,
  type AdultConcernActor,
  type AdultConcernOperation,
} from '../../../src/adult-concerns';
import { STAFF_ROLES, type StaffRole } from '../../../src/staff';

const SCHOOL = { tenantId: 't1', schoolId: 'elm-park' };
const TEACHER_SUBJECT = 'subject-teacher';
const HEAD_ID = 'the-head';

function concern(
  route: 'head' | 'chair',
  more: Partial<AdultConcernAccessFacts> = {},
): AdultConcernAccessFacts {
  return {
    ...SCHOOL,
    caseManagerRoute: route,
    subjectAadObjectId: route === 'chair' ? HEAD_ID : TEACHER_SUBJECT,
    invitedAadObjectIds: ['invited-dsl'],
    conflictedAadObjectIds: ['conflicted-deputy'],
    ...more,
  };
}

function actor(
  aadObjectId: string,
  roles: StaffRole[],
  more: Partial<AdultConcernActor> = {},
): AdultConcernActor {
  return { ...SCHOOL, aadObjectId, displayName: aadObjectId, roles, steppedUp: true, ...more };
}

type Expect = 'allow' | string;
const allOps = (e: Expect): Record<AdultConcernOperation, Expect> => ({
  view: e,
  viewDetails: e,
  acknowledge: e,
  manage: e,
});
const invitedOnly: Record<AdultConcernOperation, Expect> = {
  view: 'allow',
  viewDetails: 'allow',
  acknowledge: 'invited-read-only',
  manage: 'invited-read-only',
};

/** The people the issue names, on both routes, and what each may do (stepped up). */
const MATRIX: [
  string,
  AdultConcernActor,
  'head' | 'chair',
  Record<AdultConcernOperation, Expect>,
][] = [
  ['the head', actor(HEAD_ID, ['staff', 'head', 'slt']), 'head', allOps('allow')],
  ['the named deputy', actor('deputy', ['staff', 'allegations-deputy']), 'head', allOps('allow')],
  [
    'the chair (last step of the ladder)',
    actor('chair', ['chair-of-governors']),
    'head',
    allOps('allow'),
  ],
  ['the DSL, not invited', actor('dsl', ['staff', 'dsl']), 'head', allOps('not-case-manager')],
  ['the DSL, invited', actor('invited-dsl', ['staff', 'dsl']), 'head', invitedOnly],
  ['the subject', actor(TEACHER_SUBJECT, ['staff']), 'head', allOps('subject-of-concern')],
  [
    'a conflicted colleague (even the named deputy)',
    actor('conflicted-deputy', ['staff', 'allegations-deputy']),
    'head',
    allOps('conflict-of-interest'),
  ],
  ['a teacher', actor('teacher', ['staff']), 'head', allOps('not-case-manager')],
  ['a deputy DSL', actor('ddsl', ['staff', 'deputy-dsl']), 'head', allOps('not-case-manager')],
  ['a governor', actor('gov', ['governor']), 'head', allOps('not-case-manager')],
  [
    'the head of another school',
    actor('other-head', ['head'], { schoolId: 'oak-lane' }),
    'head',
    allOps('other-school'),
  ],
  [
    'the head, when it is about the head',
    actor(HEAD_ID, ['staff', 'head']),
    'chair',
    allOps('subject-of-concern'),
  ],
  [
    "the head's deputy, when it is about the head",
    actor('deputy', ['staff', 'allegations-deputy']),
    'chair',
    allOps('not-case-manager'),
  ],
  [
    'the chair, when it is about the head',
    actor('chair', ['chair-of-governors']),
    'chair',
    allOps('allow'),
  ],
  [
    'the DSL, not invited, about the head',
    actor('dsl', ['staff', 'dsl']),
    'chair',
    allOps('not-case-manager'),
  ],
  [
    'the DSL, invited, about the head',
    actor('invited-dsl', ['staff', 'dsl']),
    'chair',
    invitedOnly,
  ],
  ['a teacher, about the head', actor('teacher', ['staff']), 'chair', allOps('not-case-manager')],
];

function outcome(a: AdultConcernActor, c: AdultConcernAccessFacts, op: AdultConcernOperation) {
  const decision = decideAdultConcernAccess(a, c, op);
  return decision.allowed ? 'allow' : decision.reason;
}

describe('the access policy of concerns about adults', () => {
  describe.each(MATRIX)('%s', (_who, who, route, expected) => {
    it.each([...ADULT_CONCERN_OPERATIONS])(
      `when they ask to %s on the ${route} route, then the matrix's answer is given`,
      (operation) => {
        expect(outcome(who, concern(route), operation)).toBe(expected[operation]);
      },
    );
  });

  it('when a case manager has not stepped up, then they may see it exists and acknowledge, but not read or run it', () => {
    const head = actor(HEAD_ID, ['head'], { steppedUp: false });
    expect(outcome(head, concern('head'), 'view')).toBe('allow');
    expect(outcome(head, concern('head'), 'acknowledge')).toBe('allow');
    expect(outcome(head, concern('head'), 'viewDetails')).toBe('step-up-required');
    expect(outcome(head, concern('head'), 'manage')).toBe('step-up-required');
  });

  it('when a concern names someone outside the directory, then nobody is refused as its subject', () => {
    const head = actor(HEAD_ID, ['head']);
    expect(outcome(head, concern('head', { subjectAadObjectId: undefined }), 'manage')).toBe(
      'allow',
    );
  });

  /**
   * Every role alone, every relationship, both routes, every operation, stepped up or not, in
   * this school or another: the policy agrees with this independent statement of the rules.
   */
  it('when every combination is enumerated, then the policy matches the rules as written', () => {
    const relations = ['none', 'invited', 'subject', 'conflicted'] as const;
    let checked = 0;
    for (const role of STAFF_ROLES) {
      for (const relation of relations) {
        for (const route of ['head', 'chair'] as const) {
          for (const steppedUp of [true, false]) {
            for (const otherSchool of [false, true]) {
              for (const operation of ADULT_CONCERN_OPERATIONS) {
                const id = 'person';
                const facts = concern(route, {
                  subjectAadObjectId: relation === 'subject' ? id : 'someone-else',
                  invitedAadObjectIds: relation === 'invited' ? [id] : [],
                  conflictedAadObjectIds: relation === 'conflicted' ? [id] : [],
                });
                const who = actor(id, [role], {
                  steppedUp,
                  ...(otherSchool ? { schoolId: 'oak-lane' } : {}),
                });
                const managers =
                  route === 'chair'
                    ? ['chair-of-governors']
                    : ['head', 'allegations-deputy', 'chair-of-governors'];
                const isManager = managers.includes(role);
                const expected = otherSchool
                  ? 'other-school'
                  : relation === 'subject'
                    ? 'subject-of-concern'
                    : relation === 'conflicted'
                      ? 'conflict-of-interest'
                      : !isManager && relation !== 'invited'
                        ? 'not-case-manager'
                        : !isManager && (operation === 'acknowledge' || operation === 'manage')
                          ? 'invited-read-only'
                          : !steppedUp && (operation === 'viewDetails' || operation === 'manage')
                            ? 'step-up-required'
                            : 'allow';
                expect([
                  role,
                  relation,
                  route,
                  steppedUp,
                  otherSchool,
                  operation,
                  outcome(who, facts, operation),
                ]).toEqual([role, relation, route, steppedUp, otherSchool, operation, expected]);
                checked += 1;
              }
            }
          }
        }
      }
    }
    expect(checked).toBe(STAFF_ROLES.length * 4 * 2 * 2 * 2 * ADULT_CONCERN_OPERATIONS.length);
  });
});
