import type { SchoolScope } from '../shared/school-scope';
import type { StaffMember, StaffRole } from '../staff';
import { DEMO_CONFLICT_PUPIL_ID } from './demo-pupils';

/**
 * Elm Park's fictional staff. The first six are the Agents Playground's users, with exactly the
 * aadObjectIds in .m365agentsplayground.yml, so whoever you are in the Playground is found in the
 * directory with the right roles. Everyone has the `staff` role; the others add to it.
 */
type DemoStaff = Omit<StaffMember, keyof SchoolScope>;

function member(
  n: string,
  displayName: string,
  jobTitle: string,
  extraRoles: readonly StaffRole[] = [],
  more: Partial<Pick<DemoStaff, 'conflictPupilIds' | 'active'>> = {},
): DemoStaff {
  return {
    // Obviously fake GUIDs in one block, e01 to e20.
    aadObjectId: `00000000-0000-0000-0000-000000000e${n}`,
    displayName,
    email: `${displayName.toLowerCase().replace(/[^a-z]+/g, '.')}@elmpark.example`,
    jobTitle,
    roles: ['staff', ...extraRoles],
    conflictPupilIds: more.conflictPupilIds ?? [],
    active: more.active ?? true,
  };
}

/** The demo school's staff (20), the same on every call. */
export const DEMO_STAFF: readonly DemoStaff[] = [
  // The Playground's users.
  member('01', 'Sam Taylor', 'Year 4 teacher'),
  member('02', 'Priya Shah', 'Deputy head teacher and Designated Safeguarding Lead', ['dsl']),
  member('03', 'Daniel Okafor', 'Assistant head teacher and deputy DSL', ['deputy-dsl']),
  member('04', 'Helen Marsh', 'Head teacher', ['head', 'slt']),
  member('05', 'Tom Reilly', 'Year 6 teacher'),
  member('06', 'Aisha Begum', 'Teaching assistant'),
  // The rest of the school.
  member('07', 'Grace Adeyemi', 'Year 2 teacher and deputy DSL', ['deputy-dsl']),
  member('08', 'Rachel Adams', 'SENDCo', ['safeguarding-team']),
  member('09', 'Gareth Lewis', 'School business manager', ['admin']),
  member('10', 'Joanne Clarke', 'Teaching assistant', [], {
    conflictPupilIds: [DEMO_CONFLICT_PUPIL_ID],
  }),
  member('11', 'Ben Hughes', 'Reception teacher'),
  member('12', 'Fiona Campbell', 'Year 1 teacher'),
  member('13', 'Marcus Osei', 'Year 3 teacher'),
  member('14', 'Hannah Price', 'Year 5 teacher'),
  member('15', 'Ewan MacDonald', 'Year 6 teacher'),
  member('16', 'Nadia Rahman', 'Learning mentor'),
  member('17', 'Chris Walker', 'Sports coach'),
  member('18', 'Linda Morgan', 'Office manager'),
  member('19', 'Sunita Patel', 'Assistant head teacher', ['slt']),
  member('20', 'Peter Ward', 'Site manager (left in July)', [], { active: false }),
  // The chair of governors: not staff, so only the governor roles (reports, never a child).
  {
    ...member('21', 'Olivia Grant', 'Chair of governors'),
    roles: ['governor', 'chair-of-governors'],
  },
];

/** The demo school's DSL: `npm start` gives her an Agents Playground of her own. */
export const DEMO_DSL_NAME = 'Priya Shah';

/** How `npm start` introduces a demo person beside their Playground's address. */
export function demoRoleLabel(displayName: string): string | undefined {
  const member = DEMO_STAFF.find((m) => m.displayName === displayName);
  if (!member) return undefined;
  if (member.roles.includes('dsl')) return 'DSL';
  if (member.roles.includes('deputy-dsl')) return 'deputy DSL';
  return member.jobTitle;
}
