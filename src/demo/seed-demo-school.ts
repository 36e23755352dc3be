import type { School } from '../schools';

/** The demo school's id within its tenant. */
export const DEMO_SCHOOL_ID = 'elm-park';

/** The fictional demo school used in development mode and by the Agents Playground. */
function demoSchool(tenantId: string): School {
  return {
    tenantId,
    schoolId: DEMO_SCHOOL_ID,
    name: 'Elm Park Community School',
    referencePrefix: 'EPC',
  };
}

/** Seeds the demo school; idempotent, so every development start may run it. */
export async function seedDemoSchool(
  schools: { upsert(school: School): Promise<void> },
  tenantId: string,
): Promise<School> {
  const school = demoSchool(tenantId);
  await schools.upsert(school);
  return school;
}
