import type { IncidentDirectory } from '../../src/incidents';
import type { IncidentInput } from '../../src/incidents/incident.types';
import type { Pupil } from '../../src/pupils/pupil.types';
import type { Agency, Category } from '../../src/schools/school-lists.types';
import type { Actor, StaffMember } from '../../src/staff/staff.types';

export const SCOPE = { tenantId: 'tenant-a', schoolId: 'school-a' } as const;

/** A member of staff acting at SCOPE's school. */
export function anActor(overrides: Partial<Actor> = {}): Actor {
  return {
    ...SCOPE,
    aadObjectId: 'aad-recorder',
    displayName: 'Sam Taylor',
    roles: ['staff'],
    conflictPupilIds: [],
    ...overrides,
  };
}

/** A complete, valid incident input about pupil p1 (override any field). */
export function anIncidentInput(overrides: Partial<IncidentInput> = {}): IncidentInput {
  return {
    pupilId: 'p1',
    happenedAt: new Date('2026-11-23T10:15:00.000Z'),
    transcribedFromPaper: false,
    location: 'Year 4 classroom',
    facts:
      'At 10:15 during maths Jamie said his dad hit him last night. I saw a bruise on his left arm.',
    childsWords: 'MY DAD HIT ME WITH A BELT',
    adultsWords: 'I said "Tell me more about that."',
    leadingQuestionNote: '',
    opinion: 'Jamie seemed frightened to go home.',
    actionTaken: 'Spoke to the DSL in person at 10:30.',
    actionRequired: 'DSL to decide on a referral before home time.',
    categoryIds: ['child-protection'],
    linkedPupils: [{ pupilId: 'p2', role: 'sibling' }],
    agencyIds: ['mash'],
    bodyMap: [
      { region: 'upper arm', side: 'front', laterality: 'left', description: '3cm purple bruise' },
    ],
    alertStaffIds: ['aad-teacher'],
    ...overrides,
  };
}

function pupil(pupilId: string, schoolId: string = SCOPE.schoolId): Pupil {
  return {
    tenantId: SCOPE.tenantId,
    schoolId,
    pupilId,
    upn: undefined,
    legalFirstName: 'Pupil',
    legalLastName: pupilId,
    preferredFirstName: undefined,
    preferredLastName: undefined,
    dateOfBirth: '2017-05-01',
    yearGroup: 'Year 4',
    form: '4E',
    onRoll: true,
  };
}

function category(categoryId: string, offersBodyMap: boolean, active = true): Category {
  return {
    ...SCOPE,
    categoryId,
    name: categoryId,
    teamOnly: false,
    offersBodyMap,
    active,
    order: 0,
  };
}

/**
 * An in-memory fake of our own IncidentDirectory interface: pupils p1..p3 at SCOPE's school,
 * pupil x1 at another school, a few categories, agencies and staff.
 */
export function aDirectory(): IncidentDirectory {
  const pupils = [pupil('p1'), pupil('p2'), pupil('p3'), pupil('x1', 'school-b')];
  const categories = [
    category('child-protection', true),
    category('behaviour', false),
    category('retired', false, false),
  ];
  const agencies: Agency[] = [
    {
      ...SCOPE,
      agencyId: 'mash',
      name: 'MASH',
      childrensSocialCare: true,
      active: true,
      order: 0,
    },
  ];
  const staff: StaffMember[] = [
    {
      ...SCOPE,
      aadObjectId: 'aad-teacher',
      displayName: 'Tom Reilly',
      email: 'tom@example.invalid',
      jobTitle: undefined,
      roles: ['staff'],
      conflictPupilIds: [],
      active: true,
    },
  ];
  const inScope = <T extends { tenantId: string; schoolId: string }>(
    s: typeof SCOPE | { tenantId: string; schoolId: string },
    items: T[],
  ) => items.filter((i) => i.tenantId === s.tenantId && i.schoolId === s.schoolId);
  return {
    findPupils: async (s, ids) => inScope(s, pupils).filter((p) => ids.includes(p.pupilId)),
    listCategories: async (s) => inScope(s, categories),
    listAgencies: async (s) => inScope(s, agencies),
    findStaff: async (s, ids) => inScope(s, staff).filter((m) => ids.includes(m.aadObjectId)),
    referencePrefix: async () => 'EPC',
  };
}
