import type { Connection } from 'mongoose';
import type { AppServices } from '../../src/app-services';
import type { Actor } from '../../src/staff';
import { StaffRepository } from '../../src/staff';
import { DEMO_TENANT } from './activities';

/** The demo school's scope. */
export const ELM_PARK = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };

/** The demo school's people a concern about an adult involves (Playground ids e01 to e06). */
export const ADULTS = {
  sam: '00000000-0000-0000-0000-000000000e01',
  dsl: '00000000-0000-0000-0000-000000000e02',
  head: '00000000-0000-0000-0000-000000000e04',
  tom: '00000000-0000-0000-0000-000000000e05',
  aisha: '00000000-0000-0000-0000-000000000e06',
  /** Added by addAllegationsRoles: the head's named deputy. */
  deputy: '00000000-0000-0000-0000-0000000a0d01',
  /** The demo school's chair of governors (Olivia Grant). */
  chair: '00000000-0000-0000-0000-000000000e21',
} as const;

/** Gives the demo school a named allegations deputy (its chair of governors is in the demo). */
export async function addAllegationsRoles(connection: Connection): Promise<void> {
  await new StaffRepository(connection).upsertMany(ELM_PARK, [
    {
      aadObjectId: ADULTS.deputy,
      displayName: 'Dana Deputy',
      email: 'dana.deputy@elmpark.example',
      jobTitle: 'Deputy head teacher',
      roles: ['staff', 'slt', 'allegations-deputy'],
      conflictPupilIds: [],
      active: true,
    },
  ]);
}

/** A concern form as a member of staff fills it in (card values are strings). */
export function aConcernForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    adultKind: 'staff',
    subjectAadObjectId: ADULTS.tom,
    adultName: 'Tom Reilly',
    adultRole: 'Year 6 teacher',
    happenedDate: '2026-11-23',
    happenedTime: '10:00',
    location: 'Year 6 classroom',
    whatHappened: 'Seen alone with a pupil in the store room with the door locked.',
    harmThreshold: 'yes',
    ...overrides,
  };
}

/** The demo person with this id, as the services see them, stepped up or not. */
export async function adultActor(
  services: AppServices,
  aadObjectId: string,
  steppedUp = true,
): Promise<Actor & { steppedUp: boolean }> {
  return { ...(await services.staff.resolveActor(DEMO_TENANT, aadObjectId)), steppedUp };
}
