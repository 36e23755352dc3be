import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { importPupils, importStaff } from '../../../src/directory-import/import-directory';
import { PupilDirectory, PupilRepository } from '../../../src/pupils';
import { StaffDirectory, StaffRepository } from '../../../src/staff';
import { syncAllIndexes } from '../../../src/store/connection';
import {
  csv,
  PUPILS_HEADER,
  pupilLine,
  STAFF_HEADER,
  staffLine,
} from '../../support/directory-builders';
import { dropTestStore, openTestStore } from '../../support/test-store';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'directory');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const now = new Date('2026-11-23T09:00:00Z');

describe('importing a school directory from CSV, on the real store', () => {
  let connection: Connection;
  let pupils: PupilRepository;
  let staff: StaffRepository;
  let scopeCounter = 0;

  /** A fresh tenant and school per test, so tests do not see each other's imports. */
  function newSchool() {
    scopeCounter += 1;
    return { tenantId: `tenant-${scopeCounter}`, schoolId: `school-${scopeCounter}` };
  }
  const countPupils = (scope: object) => connection.collection('pupils').countDocuments(scope);
  const countStaff = (scope: object) => connection.collection('staff').countDocuments(scope);

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    pupils = new PupilRepository(connection);
    staff = new StaffRepository(connection);
    await syncAllIndexes(connection);
  });
  afterAll(() => dropTestStore(connection));

  it('when the same pupils file is imported twice, then the second run changes nothing', async () => {
    const scope = newSchool();
    expect(await importPupils(pupils, scope, fixture('pupils.csv'), { now })).toEqual({
      ok: true,
      rows: 10,
      counts: { created: 10, updated: 0, unchanged: 0 },
    });
    const before = await connection.collection('pupils').find(scope).sort({ pupilId: 1 }).toArray();
    expect(await importPupils(pupils, scope, fixture('pupils.csv'), { now })).toEqual({
      ok: true,
      rows: 10,
      counts: { created: 0, updated: 0, unchanged: 10 },
    });
    const after = await connection.collection('pupils').find(scope).sort({ pupilId: 1 }).toArray();
    expect(after).toEqual(before); // updatedAt included: nothing was rewritten
  });

  it('when a pupil changes form or loses a preferred name, then re-importing updates just that pupil', async () => {
    const scope = newSchool();
    await importPupils(pupils, scope, fixture('pupils.csv'), { now });
    const changed = fixture('pupils.csv').replace(
      'A1001,Z00000000001A,James,Smith,Jim,,2017-03-14,Year 4,4E,yes',
      'A1001,Z00000000001A,James,Smith,,,2017-03-14,Year 5,5P,yes',
    );
    expect(await importPupils(pupils, scope, changed, { now })).toMatchObject({
      ok: true,
      counts: { created: 0, updated: 1, unchanged: 9 },
    });
    const directory = new PupilDirectory(pupils);
    expect(await directory.getPupil(scope, 'A1001')).toMatchObject({
      form: '5P',
      yearGroup: 'Year 5',
      preferredFirstName: undefined,
    });
    // The search field follows the name: "Jim" no longer finds the pupil.
    expect(await directory.searchPupils(scope, 'jim')).toEqual([]);
    expect(await countPupils(scope)).toBe(10);
  });

  it('when one line of a pupils file is bad, then nothing at all is imported', async () => {
    const scope = newSchool();
    const text = csv(
      PUPILS_HEADER,
      pupilLine({ mis_id: 'G1' }),
      pupilLine({ mis_id: 'G2' }),
      pupilLine({ mis_id: 'G3', date_of_birth: '2030-01-01' }),
      pupilLine({ mis_id: 'G4' }),
    );
    expect(await importPupils(pupils, scope, text, { now })).toEqual({
      ok: false,
      errors: [{ line: 4, column: 'date_of_birth', reason: 'date_of_birth must be in the past' }],
    });
    expect(await countPupils(scope)).toBe(0);
  });

  it('when the bad pupils example is imported, then every bad line is returned and nothing is stored', async () => {
    const scope = newSchool();
    const outcome = await importPupils(pupils, scope, fixture('pupils-bad.csv'), { now });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors.map((e) => e.line)).toEqual([
      3, 4, 5, 6, 7, 8, 9, 10, 12, 13,
    ]);
    expect(await countPupils(scope)).toBe(0);
  });

  it('when staff are imported twice after their pupils, then the second run changes nothing', async () => {
    const scope = newSchool();
    await importPupils(pupils, scope, fixture('pupils.csv'), { now });
    expect(await importStaff({ pupils, staff }, scope, fixture('staff.csv'))).toEqual({
      ok: true,
      rows: 6,
      counts: { created: 6, updated: 0, unchanged: 0 },
    });
    expect(await importStaff({ pupils, staff }, scope, fixture('staff.csv'))).toEqual({
      ok: true,
      rows: 6,
      counts: { created: 0, updated: 0, unchanged: 6 },
    });
    expect(await countStaff(scope)).toBe(6);
    const directory = new StaffDirectory(staff);
    expect((await directory.listSafeguardingTeam(scope)).map((m) => m.displayName)).toEqual([
      'Dana Whitfield',
      'Ola Bankole',
      'Sol Ahmed',
    ]);
    expect(
      await directory.resolveActor(scope.tenantId, '11111111-1111-4111-8111-00000000000A'),
    ).toMatchObject({
      schoolId: scope.schoolId,
      conflictPupilIds: ['A1003', 'A1004'],
    });
  });

  it('when a staff member leaves and gains a role, then re-importing updates just their row', async () => {
    const scope = newSchool();
    await importPupils(pupils, scope, fixture('pupils.csv'), { now });
    await importStaff({ pupils, staff }, scope, fixture('staff.csv'));
    const changed = fixture('staff.csv').replace(
      'Ola Bankole,ola.bankole@school.example,Deputy DSL,staff; deputy-dsl,,yes',
      'Ola Bankole,ola.bankole@school.example,Deputy DSL,staff; deputy-dsl,,no',
    );
    expect(await importStaff({ pupils, staff }, scope, changed)).toMatchObject({
      ok: true,
      counts: { created: 0, updated: 1, unchanged: 5 },
    });
    const error = await new StaffDirectory(staff)
      .resolveActor(scope.tenantId, '11111111-1111-4111-8111-000000000002')
      .catch((e: { code?: string }) => e.code);
    expect(error).toBe('STAFF.NOT_FOUND');
  });

  it('when staff name conflict pupils the school does not have, then those lines are refused and nothing is imported', async () => {
    const scope = newSchool();
    await importPupils(pupils, scope, fixture('pupils.csv'), { now });
    const text = csv(
      STAFF_HEADER,
      staffLine({
        aad_object_id: '66666666-6666-4666-8666-000000000001',
        conflict_pupil_ids: 'A1001',
      }),
      staffLine({
        aad_object_id: '66666666-6666-4666-8666-000000000002',
        conflict_pupil_ids: 'A1002;Z9',
      }),
      staffLine({ aad_object_id: '66666666-6666-4666-8666-000000000003', active: 'perhaps' }),
    );
    expect(await importStaff({ pupils, staff }, scope, text)).toEqual({
      ok: false,
      errors: [
        {
          line: 3,
          column: 'conflict_pupil_ids',
          reason: 'conflict_pupil_ids names no pupil of this school: Z9',
        },
        { line: 4, column: 'active', reason: 'active must be yes or no (or true/false, 1/0)' },
      ],
    });
    expect(await countStaff(scope)).toBe(0);
  });

  it('when conflict pupils exist only at another school, then they do not count', async () => {
    const withPupils = newSchool();
    await importPupils(pupils, withPupils, fixture('pupils.csv'), { now });
    const scope = { tenantId: withPupils.tenantId, schoolId: 'sister-school' };
    const outcome = await importStaff({ pupils, staff }, scope, fixture('staff.csv'));
    expect(!outcome.ok && outcome.errors.map((e) => [e.line, e.column])).toEqual([
      [4, 'conflict_pupil_ids'],
      [7, 'conflict_pupil_ids'],
    ]);
    expect(await countStaff(scope)).toBe(0);
  });
});
