import type { Connection } from 'mongoose';
import { StaffDirectory, StaffRepository } from '../../../src/staff';
import { syncAllIndexes } from '../../../src/store/connection';
import { aStaffMember } from '../../support/directory-builders';
import { dropTestStore, openTestStore } from '../../support/test-store';
import { codeOf } from '../../support/error-code';

const north = { tenantId: 'trust-1', schoolId: 'north' };
const south = { tenantId: 'trust-1', schoolId: 'south' };
const elsewhere = { tenantId: 'trust-2', schoolId: 'north' };

const guid = (n: number) => `55555555-5555-4555-8555-${String(n).padStart(12, '0')}`;

describe('StaffDirectory on the real store', () => {
  let connection: Connection;
  let directory: StaffDirectory;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    const repository = new StaffRepository(connection);
    await syncAllIndexes(connection);
    await repository.upsertMany(north, [
      aStaffMember({ aadObjectId: guid(1), displayName: 'Priya Shah', roles: ['staff', 'dsl'] }),
      aStaffMember({
        aadObjectId: guid(2),
        displayName: 'Daniel Okafor',
        roles: ['staff', 'deputy-dsl'],
        conflictPupilIds: ['P7'],
      }),
      aStaffMember({
        aadObjectId: guid(3),
        displayName: 'Helen Marsh',
        roles: ['staff', 'head', 'slt'],
      }),
      aStaffMember({
        aadObjectId: guid(4),
        displayName: 'Rachel Adams',
        email: 'r.adams@north.example',
        roles: ['staff', 'safeguarding-team'],
      }),
      aStaffMember({ aadObjectId: guid(5), displayName: 'Zoë Ãlvarez', roles: ['staff'] }),
      aStaffMember({
        aadObjectId: guid(6),
        displayName: 'Old Dsl',
        roles: ['staff', 'dsl'],
        active: false,
      }),
      // Works at both schools of the trust.
      aStaffMember({ aadObjectId: guid(7), displayName: 'Sam Both', roles: ['staff'] }),
      // Left north, now at south only.
      aStaffMember({ aadObjectId: guid(8), displayName: 'Moved South', active: false }),
      aStaffMember({ aadObjectId: guid(9), displayName: 'Aaron Able', roles: ['staff', 'admin'] }),
    ]);
    await repository.upsertMany(south, [
      aStaffMember({ aadObjectId: guid(7), displayName: 'Sam Both', roles: ['staff'] }),
      aStaffMember({ aadObjectId: guid(8), displayName: 'Moved South', roles: ['staff', 'slt'] }),
      aStaffMember({ aadObjectId: guid(20), displayName: 'South Dsl', roles: ['staff', 'dsl'] }),
    ]);
    await repository.upsertMany(elsewhere, [
      aStaffMember({ aadObjectId: guid(1), displayName: 'Priya Shah', roles: ['staff'] }),
    ]);
    directory = new StaffDirectory(repository);
  });
  afterAll(() => dropTestStore(connection));

  it('when an active member signs in, then they resolve to an actor with their school, roles and conflicts', async () => {
    expect(await directory.resolveActor('trust-1', guid(2))).toEqual({
      tenantId: 'trust-1',
      schoolId: 'north',
      aadObjectId: guid(2),
      displayName: 'Daniel Okafor',
      roles: ['staff', 'deputy-dsl'],
      conflictPupilIds: ['P7'],
    });
  });

  it('when the same person is in another tenant, then each tenant resolves its own membership', async () => {
    expect((await directory.resolveActor('trust-1', guid(1))).roles).toEqual(['staff', 'dsl']);
    expect(await directory.resolveActor('trust-2', guid(1))).toMatchObject({
      schoolId: 'north',
      roles: ['staff'],
    });
  });

  it('when someone is not in the directory, then resolving refuses with STAFF.NOT_FOUND', async () => {
    expect(await codeOf(directory.resolveActor('trust-1', guid(99)))).toBe('STAFF.NOT_FOUND');
    expect(await codeOf(directory.resolveActor('trust-3', guid(1)))).toBe('STAFF.NOT_FOUND');
  });

  it('when someone is in the directory but inactive, then resolving refuses with STAFF.NOT_FOUND', async () => {
    expect(await codeOf(directory.resolveActor('trust-1', guid(6)))).toBe('STAFF.NOT_FOUND');
  });

  it('when someone is active at two schools of the trust, then resolving refuses with STAFF.SEVERAL_SCHOOLS', async () => {
    expect(await codeOf(directory.resolveActor('trust-1', guid(7)))).toBe('STAFF.SEVERAL_SCHOOLS');
  });

  it('when someone left one school and is active at another, then they resolve to the active one', async () => {
    expect(await directory.resolveActor('trust-1', guid(8))).toMatchObject({
      schoolId: 'south',
      roles: ['staff', 'slt'],
    });
  });

  it('when the safeguarding team is listed, then it is the active DSL, deputies and named members, by name', async () => {
    const team = await directory.listSafeguardingTeam(north);
    expect(team.map((m) => m.displayName)).toEqual(['Daniel Okafor', 'Priya Shah', 'Rachel Adams']);
    expect((await directory.listSafeguardingTeam(south)).map((m) => m.displayName)).toEqual([
      'South Dsl',
    ]);
  });

  it('when active staff are listed, then they are this school’s active staff by name, within the limit', async () => {
    const names = (await directory.listActiveStaff(north)).map((m) => m.displayName);
    expect(names).toEqual([
      'Aaron Able',
      'Daniel Okafor',
      'Helen Marsh',
      'Priya Shah',
      'Rachel Adams',
      'Sam Both',
      'Zoë Ãlvarez',
    ]);
    expect(await directory.listActiveStaff(north, 2)).toHaveLength(2);
  });

  it('when staff are found by id, then inactive members come back too but other schools’ do not', async () => {
    const found = await directory.findStaff(north, [guid(6), guid(20), guid(2)]);
    expect(found.map((m) => [m.aadObjectId, m.active]).sort()).toEqual([
      [guid(2), true],
      [guid(6), false],
    ]);
    expect(found.find((m) => m.aadObjectId === guid(2))).toEqual({
      tenantId: 'trust-1',
      schoolId: 'north',
      aadObjectId: guid(2),
      displayName: 'Daniel Okafor',
      email: 'jo.example@school.example',
      jobTitle: 'Teacher',
      roles: ['staff', 'deputy-dsl'],
      conflictPupilIds: ['P7'],
      active: true,
    });
  });

  it('when staff are searched, then partial, accent-free and e-mail queries find active members only', async () => {
    const names = async (query: string) =>
      (await directory.searchStaff(north, query)).map((m) => m.displayName);
    expect(await names('pri sh')).toEqual(['Priya Shah']);
    expect(await names('zoe alv')).toEqual(['Zoë Ãlvarez']);
    expect(await names('r.adams@')).toEqual(['Rachel Adams']);
    expect(await names('old')).toEqual([]);
    expect(await names('.*')).toEqual([]);
    expect(await names('')).toEqual([]);
  });
});
