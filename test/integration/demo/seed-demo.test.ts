import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { DEMO_CONFLICT_PUPIL_ID } from '../../../src/demo/demo-pupils';
import { seedDemo } from '../../../src/demo/seed-demo';
import { PupilDirectory, PupilRepository } from '../../../src/pupils';
import { SchoolLists, SchoolListsRepository } from '../../../src/schools';
import { isSafeguardingTeam, StaffDirectory, StaffRepository } from '../../../src/staff';
import { dropTestStore, openTestStore } from '../../support/test-store';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const scope = { tenantId: TENANT, schoolId: 'elm-park' };

/** name → aadObjectId for every user in the Playground's config (current user and others). */
function playgroundUsers(): Map<string, string> {
  const yml = fs.readFileSync(
    path.join(__dirname, '..', '..', '..', '.m365agentsplayground.yml'),
    'utf8',
  );
  const users = new Map<string, string>();
  for (const match of yml.matchAll(/^\s+name: (.+)\n(?:.*\n){0,2}?\s+aadObjectId: (\S+)$/gm)) {
    users.set(match[1]!.trim(), match[2]!);
  }
  return users;
}

describe('the demo school seed, on the real store', () => {
  let connection: Connection;
  const counts = async () => ({
    schools: await connection.collection('schools').countDocuments(),
    pupils: await connection.collection('pupils').countDocuments(scope),
    staff: await connection.collection('staff').countDocuments(scope),
    categories: await connection.collection('categories').countDocuments(scope),
    agencies: await connection.collection('agencies').countDocuments(scope),
  });

  beforeAll(async () => {
    connection = await openTestStore(__filename);
  });
  afterAll(() => dropTestStore(connection));

  it('when seeded twice, then the second run writes nothing and the counts stay the same', async () => {
    const first = await seedDemo(connection, TENANT);
    expect(first).toEqual({
      school: { ...scope, name: 'Elm Park Community School', referencePrefix: 'EPC' },
      lists: { categoriesAdded: 25, agenciesAdded: 9 },
      pupils: { created: 196, updated: 0, unchanged: 0 },
      // 20 staff and the chair of governors.
      staff: { created: 21, updated: 0, unchanged: 0 },
    });
    const after1 = await counts();
    expect(after1).toEqual({ schools: 1, pupils: 196, staff: 21, categories: 25, agencies: 9 });

    const second = await seedDemo(connection, TENANT);
    expect(second).toMatchObject({
      lists: { categoriesAdded: 0, agenciesAdded: 0 },
      pupils: { created: 0, updated: 0, unchanged: 196 },
      staff: { created: 0, updated: 0, unchanged: 21 },
    });
    expect(await counts()).toEqual(after1);
  });

  it('when the Playground users sign in, then each resolves with exactly their demo roles', async () => {
    const users = playgroundUsers();
    expect(users.size).toBe(6);
    const staff = new StaffDirectory(new StaffRepository(connection));
    const rolesOf = async (name: string) => {
      const id = users.get(name);
      if (!id) throw new Error(`${name} is not in .m365agentsplayground.yml`);
      return (await staff.resolveActor(TENANT, id)).roles;
    };
    expect(await rolesOf('Sam Taylor')).toEqual(['staff']);
    expect(await rolesOf('Priya Shah')).toEqual(['staff', 'dsl']);
    expect(await rolesOf('Daniel Okafor')).toEqual(['staff', 'deputy-dsl']);
    const helen = await rolesOf('Helen Marsh');
    expect(helen).toEqual(['staff', 'head', 'slt']);
    expect(isSafeguardingTeam(helen)).toBe(false);
    expect(await rolesOf('Tom Reilly')).toEqual(['staff']);
    expect(await rolesOf('Aisha Begum')).toEqual(['staff']);
  });

  it('when the safeguarding team is listed, then it is the DSL, both deputies and the SENDCo', async () => {
    const staff = new StaffDirectory(new StaffRepository(connection));
    const team = await staff.listSafeguardingTeam(scope);
    expect(team.map((m) => [m.displayName, m.jobTitle])).toEqual([
      ['Daniel Okafor', 'Assistant head teacher and deputy DSL'],
      ['Grace Adeyemi', 'Year 2 teacher and deputy DSL'],
      ['Priya Shah', 'Deputy head teacher and Designated Safeguarding Lead'],
      ['Rachel Adams', 'SENDCo'],
    ]);
    const all = await staff.listActiveStaff(scope);
    // 19 active staff and the chair of governors (governor roles only).
    expect(all).toHaveLength(20);
    expect(all.filter((m) => m.roles.includes('admin')).map((m) => m.displayName)).toEqual([
      'Gareth Lewis',
    ]);
  });

  it('when the member of staff with family at the school is read, then their conflict names a real pupil', async () => {
    const staff = new StaffDirectory(new StaffRepository(connection));
    const conflicted = (await staff.listActiveStaff(scope)).filter(
      (m) => m.conflictPupilIds.length,
    );
    expect(conflicted.map((m) => [m.displayName, m.conflictPupilIds])).toEqual([
      ['Joanne Clarke', [DEMO_CONFLICT_PUPIL_ID]],
    ]);
    const pupils = new PupilDirectory(new PupilRepository(connection));
    expect(await pupils.getPupil(scope, DEMO_CONFLICT_PUPIL_ID)).toMatchObject({
      legalFirstName: 'Ruby',
      legalLastName: 'Clarke',
    });
  });

  it('when the demo pupils are read, then they fill Reception to Year 6 in two forms each, with distinct names', async () => {
    const docs = await connection.collection('pupils').find(scope).toArray();
    const forms = new Map<string, number>();
    for (const d of docs)
      forms.set(`${d.yearGroup}/${d.form}`, (forms.get(`${d.yearGroup}/${d.form}`) ?? 0) + 1);
    expect([...forms.keys()].sort()).toEqual(
      [
        'Reception/RE',
        'Reception/RP',
        ...[1, 2, 3, 4, 5, 6].flatMap((y) => [`Year ${y}/${y}E`, `Year ${y}/${y}P`]),
      ].sort(),
    );
    expect([...forms.values()].every((n) => n === 14)).toBe(true);
    const names = new Set(docs.map((d) => `${d.legalFirstName} ${d.legalLastName}`));
    expect(names.size).toBe(196);
    expect(
      docs.filter((d) => d.preferredFirstName || d.preferredLastName).length,
    ).toBeGreaterThanOrEqual(4);
    expect(docs.filter((d) => !d.onRoll)).toHaveLength(2);
  });

  it('when staff search the demo school, then preferred names and accents work as in the app', async () => {
    const pupils = new PupilDirectory(new PupilRepository(connection));
    const [sasha] = await pupils.searchPupils(scope, 'sasha');
    expect(sasha).toMatchObject({ legalFirstName: 'Alexander', preferredFirstName: 'Sasha' });
    expect((await pupils.searchPupils(scope, 'zoe')).every((p) => p.legalFirstName === 'Zoë')).toBe(
      true,
    );
    expect(await pupils.searchPupils(scope, 'zoe')).not.toHaveLength(0);
  });

  it('when the lists are read, then the defaults are there for the incident form', async () => {
    const lists = new SchoolLists(new SchoolListsRepository(connection));
    expect(await lists.listCategories(scope)).toHaveLength(25);
    expect((await lists.listAgencies(scope)).map((a) => a.agencyId)).toContain('social-care-mash');
  });
});
