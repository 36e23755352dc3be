import type { Connection } from 'mongoose';
import { ConversationReferenceRepository } from '../../src/conversations';
import { demoPupils } from '../../src/demo/demo-pupils';
import { DEMO_STAFF } from '../../src/demo/demo-staff';
import { PupilRepository } from '../../src/pupils';
import { SchoolLists, SchoolListsRepository, SchoolRepository } from '../../src/schools';
import { StaffRepository, isSafeguardingTeam, type StaffRole } from '../../src/staff';
import type { SimulatedUser } from '../../bench/support/teams-activities';

/** The demo tenant (config's DEMO_TENANT_ID default) and its school. */
export const TENANT_ID = '00000000-0000-0000-0000-0000000000d1';
const SCHOOL_ID = 'elm-park';
/** A second school in the same tenant (a trust): the owner of the "forged" ids. */
const OTHER_SCHOOL_ID = 'oak-hill';

const elmPark = { tenantId: TENANT_ID, schoolId: SCHOOL_ID };
const oakHill = { tenantId: TENANT_ID, schoolId: OTHER_SCHOOL_ID };

/** How the soak's members of staff appear to Teams: one 1:1 chat each. */
export function simulatedUser(aadObjectId: string, displayName: string): SimulatedUser {
  return {
    aadObjectId,
    displayName,
    teamsId: `29:soak-${aadObjectId.slice(-5)}`,
    conversationId: `a:soak-chat-${aadObjectId.slice(-5)}`,
  };
}

/** The demo school's safeguarding team (active), who get every alert and poll the desk. */
export function demoTeam(): SimulatedUser[] {
  return DEMO_STAFF.filter((s) => s.active && isSafeguardingTeam(s.roles)).map((s) =>
    simulatedUser(s.aadObjectId, s.displayName),
  );
}

/**
 * `count` members of staff at Elm Park who may record concerns: the demo's plain staff first,
 * topped up with soak-only teachers (…00000000c001 on), written through the directory's own
 * repository as an import would.
 */
export async function prepareStaff(
  connection: Connection,
  count: number,
): Promise<SimulatedUser[]> {
  const demo = DEMO_STAFF.filter(
    (s) =>
      s.active && s.roles.length === 1 && s.roles[0] === 'staff' && s.conflictPupilIds.length === 0,
  );
  const extras = Array.from({ length: Math.max(0, count - demo.length) }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    return {
      aadObjectId: `00000000-0000-0000-0000-00000000c${n}`,
      displayName: `Soak Teacher ${n}`,
      email: `soak.teacher.${n}@elmpark.example`,
      jobTitle: 'Simulated teacher (soak)',
      roles: ['staff'] as StaffRole[],
      conflictPupilIds: [],
      active: true,
    };
  });
  if (extras.length > 0) await new StaffRepository(connection).upsertMany(elmPark, extras);
  return [...demo, ...extras]
    .slice(0, count)
    .map((s) => simulatedUser(s.aadObjectId, s.displayName));
}

/** Pupils at Elm Park nobody in the soak has a conflict with. */
export function demoPupilIds(): string[] {
  const conflicts = new Set(DEMO_STAFF.flatMap((s) => s.conflictPupilIds));
  return demoPupils()
    .filter((p) => p.onRoll && !conflicts.has(p.pupilId))
    .map((p) => p.pupilId);
}

/**
 * Saves a 1:1 chat at the stand-in connector for everyone who is alerted (as Teams would have
 * given when they installed the app), so alert sends are part of the load.
 */
export async function saveChats(
  connection: Connection,
  serviceUrl: string,
  users: readonly { scope: { tenantId: string; schoolId: string }; user: SimulatedUser }[],
): Promise<void> {
  const references = new ConversationReferenceRepository(connection);
  for (const { scope, user } of users) {
    await references.save({
      ...scope,
      aadObjectId: user.aadObjectId,
      reference: {
        channelId: 'msteams',
        serviceUrl,
        conversation: {
          id: user.conversationId,
          conversationType: 'personal',
          tenantId: TENANT_ID,
        },
        bot: { id: '28:safeguarding-bot', name: 'Safeguarding' },
        user: { id: user.teamsId, aadObjectId: user.aadObjectId },
      },
      updatedAt: new Date(),
    });
  }
}

/** Oak Hill: a second school of the trust, with a teacher, a DSL and three pupils of its own. */
export interface OtherSchool {
  readonly teacher: SimulatedUser;
  readonly dsl: SimulatedUser;
  readonly pupilIds: readonly string[];
}

export async function seedOtherSchool(connection: Connection): Promise<OtherSchool> {
  await new SchoolRepository(connection).upsert({
    ...oakHill,
    name: 'Oak Hill Primary (soak)',
    referencePrefix: 'OHP',
  });
  await new SchoolLists(new SchoolListsRepository(connection)).seedDefaultLists(oakHill);
  const pupils = demoPupils()
    .slice(0, 3)
    .map((p, i) => ({ ...p, pupilId: `OH${2000 + i}` }));
  await new PupilRepository(connection).upsertMany(oakHill, pupils);
  const member = (n: string, displayName: string, roles: StaffRole[]) => ({
    aadObjectId: `00000000-0000-0000-0000-00000000f${n}`,
    displayName,
    email: `${displayName.toLowerCase().replace(/\W+/g, '.')}@oakhill.example`,
    jobTitle: 'Oak Hill (soak)',
    roles,
    conflictPupilIds: [],
    active: true,
  });
  const teacher = member('001', 'Oak Teacher', ['staff']);
  const dsl = member('002', 'Oak DSL', ['staff', 'dsl']);
  await new StaffRepository(connection).upsertMany(oakHill, [teacher, dsl]);
  return {
    teacher: simulatedUser(teacher.aadObjectId, teacher.displayName),
    dsl: simulatedUser(dsl.aadObjectId, dsl.displayName),
    pupilIds: pupils.map((p) => p.pupilId),
  };
}

/** The scope of each school, for saveChats. */
export const SCOPES = { elmPark, oakHill } as const;
