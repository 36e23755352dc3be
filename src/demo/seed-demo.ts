import { PupilRepository } from '../pupils';
import { SchoolListsRepository, SchoolLists, SchoolRepository, type School } from '../schools';
import type { SeededLists } from '../schools';
import { StaffRepository } from '../staff';
import { syncAllIndexes } from '../store/connection';
import type { OpenStore } from '../store/open-store';
import { demoPupils } from './demo-pupils';
import { DEMO_STAFF } from './demo-staff';
import { seedDemoSchool } from './seed-demo-school';

/** What one seeding run wrote; a second run creates and updates nothing. */
export interface DemoSeedSummary {
  readonly school: School;
  readonly pupils: {
    readonly created: number;
    readonly updated: number;
    readonly unchanged: number;
  };
  readonly staff: {
    readonly created: number;
    readonly updated: number;
    readonly unchanged: number;
  };
  readonly lists: SeededLists;
}

/**
 * Seeds the fictional Elm Park Community School for development mode and the Agents Playground:
 * the school, its default categories and agencies, 196 pupils and 20 staff (the Playground's six
 * users among them). Idempotent and cheap when nothing changed, so every `npm start` runs it;
 * it writes through the same repositories as the CSV import.
 */
export async function seedDemo(
  connection: OpenStore['connection'],
  tenantId: string,
): Promise<DemoSeedSummary> {
  const schools = new SchoolRepository(connection);
  const lists = new SchoolListsRepository(connection);
  const pupils = new PupilRepository(connection);
  const staff = new StaffRepository(connection);
  // Unique indexes must exist before the first write (they are what keeps re-runs single).
  await syncAllIndexes(connection);

  const school = await seedDemoSchool(schools, tenantId);
  const scope = { tenantId: school.tenantId, schoolId: school.schoolId };
  return {
    school,
    lists: await new SchoolLists(lists).seedDefaultLists(scope),
    pupils: await pupils.upsertMany(scope, demoPupils()),
    staff: await staff.upsertMany(scope, DEMO_STAFF),
  };
}
