import { PupilDirectory, type PupilStore } from '../../../src/pupils';
import { StaffDirectory, type StaffStore } from '../../../src/staff';
import type { Pupil } from '../../../src/pupils';
import type { StaffMember } from '../../../src/staff';
import { AppError } from '../../../src/shared/errors';
import { aPupil, aStaffMember } from '../../support/directory-builders';

const scope = { tenantId: 't1', schoolId: 's1' };

/** Records what the service asked of its store. */
function fakePupilStore(pupils: Pupil[]) {
  const searches: { words: readonly string[]; limit: number }[] = [];
  const store: PupilStore = {
    async search(_scope, words, limit) {
      searches.push({ words, limit });
      return [];
    },
    async findByIds(s, ids) {
      return pupils.filter((p) => p.schoolId === s.schoolId && ids.includes(p.pupilId));
    },
    async listAll(s, limit) {
      return pupils.filter((p) => p.schoolId === s.schoolId).slice(0, limit);
    },
  };
  return { store, searches };
}

describe('PupilDirectory rules (in-memory store)', () => {
  it('when the query is blank, then no search reaches the store', async () => {
    const { store, searches } = fakePupilStore([]);
    const directory = new PupilDirectory(store);
    expect(await directory.searchPupils(scope, '   ')).toEqual([]);
    expect(await directory.searchPupils(scope, ' - , ')).toEqual([]);
    expect(searches).toEqual([]);
  });

  it('when a caller asks for too many or too few results, then the store is asked for 1 to 50', async () => {
    const { store, searches } = fakePupilStore([]);
    const directory = new PupilDirectory(store);
    await directory.searchPupils(scope, 'Jam Smi');
    await directory.searchPupils(scope, 'a', 1000);
    await directory.searchPupils(scope, 'a', -3);
    expect(searches).toEqual([
      { words: ['jam', 'smi'], limit: 15 },
      { words: ['a'], limit: 50 },
      { words: ['a'], limit: 1 },
    ]);
  });

  it('when pupils are found by id, then they come back in the order asked, once each', async () => {
    const pupils = ['P1', 'P2', 'P3'].map((pupilId) => ({ ...scope, ...aPupil({ pupilId }) }));
    const directory = new PupilDirectory(fakePupilStore(pupils).store);
    const found = await directory.findPupils(scope, ['P3', 'nope', 'P1', 'P3']);
    expect(found.map((p) => p.pupilId)).toEqual(['P3', 'P1']);
    expect(await directory.findPupils(scope, [])).toEqual([]);
  });
});

function fakeStaffStore(memberships: StaffMember[]): StaffStore {
  return {
    async findActiveMemberships(tenantId, aadObjectId) {
      return memberships.filter(
        (m) => m.tenantId === tenantId && m.aadObjectId === aadObjectId && m.active,
      );
    },
    async listActive() {
      return [];
    },
    async findByAadObjectIds() {
      return [];
    },
    async search() {
      return [];
    },
  };
}

describe('StaffDirectory.resolveActor rules (in-memory store)', () => {
  const id = '33333333-3333-4333-8333-000000000001';

  it('when the person has one active membership, then the actor carries only who they are and what they may do', async () => {
    const member = {
      ...scope,
      ...aStaffMember({ roles: ['staff', 'dsl'], conflictPupilIds: ['P9'] }),
    };
    const actor = await new StaffDirectory(fakeStaffStore([member])).resolveActor(
      't1',
      id.toUpperCase(),
    );
    expect(actor).toEqual({
      tenantId: 't1',
      schoolId: 's1',
      aadObjectId: id,
      displayName: 'Jo Example',
      roles: ['staff', 'dsl'],
      conflictPupilIds: ['P9'],
    });
  });

  it('when the person is active at two schools, then resolving refuses with STAFF.SEVERAL_SCHOOLS', async () => {
    const store = fakeStaffStore([
      { ...scope, ...aStaffMember() },
      { tenantId: 't1', schoolId: 's2', ...aStaffMember() },
    ]);
    const error = await new StaffDirectory(store).resolveActor('t1', id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('STAFF.SEVERAL_SCHOOLS');
  });
});
