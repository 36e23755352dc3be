import type { Connection } from 'mongoose';
import { PupilDirectory, PupilRepository } from '../../../src/pupils';
import { syncAllIndexes } from '../../../src/store/connection';
import { aPupil } from '../../support/directory-builders';
import { dropTestStore, openTestStore } from '../../support/test-store';

const elmPark = { tenantId: 'tenant-a', schoolId: 'elm-park' };
const otherSchool = { tenantId: 'tenant-a', schoolId: 'oak-lane' };
const otherTenant = { tenantId: 'tenant-b', schoolId: 'elm-park' };

describe('PupilDirectory on the real store', () => {
  let connection: Connection;
  let directory: PupilDirectory;

  const ids = (pupils: { pupilId: string }[]) => pupils.map((p) => p.pupilId);

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    const repository = new PupilRepository(connection);
    await syncAllIndexes(connection);
    await repository.upsertMany(elmPark, [
      aPupil({
        pupilId: 'P1',
        legalFirstName: 'James',
        legalLastName: 'Smith',
        preferredFirstName: 'Jim',
      }),
      aPupil({ pupilId: 'P2', legalFirstName: 'Jamie', legalLastName: 'Smithson' }),
      aPupil({ pupilId: 'P3', legalFirstName: 'Zoë', legalLastName: 'Brontë' }),
      aPupil({ pupilId: 'P4', legalFirstName: 'Siobhán', legalLastName: "O'Brien" }),
      aPupil({ pupilId: 'P5', legalFirstName: 'Mary-Jane', legalLastName: 'Smith-Jones' }),
      aPupil({ pupilId: 'P6', legalFirstName: 'James', legalLastName: 'Adams', onRoll: false }),
      aPupil({ pupilId: 'P7', legalFirstName: 'Aaron', legalLastName: 'Smith' }),
      aPupil({
        pupilId: 'P8',
        legalFirstName: 'Alexander',
        legalLastName: 'Novak',
        preferredFirstName: 'Sasha',
        preferredLastName: 'Green',
      }),
      aPupil({ pupilId: 'P9', legalFirstName: 'Amir', legalLastName: 'Ahmed' }),
    ]);
    // Namesakes elsewhere: never returned for Elm Park in tenant A.
    await repository.upsertMany(otherSchool, [
      aPupil({ pupilId: 'X1', legalFirstName: 'James', legalLastName: 'Smith' }),
    ]);
    await repository.upsertMany(otherTenant, [
      aPupil({ pupilId: 'P1', legalFirstName: 'James', legalLastName: 'Smith' }),
      aPupil({ pupilId: 'Y1', legalFirstName: 'James', legalLastName: 'Smith' }),
    ]);
    directory = new PupilDirectory(repository);
  });
  afterAll(() => dropTestStore(connection));

  it('when staff type the start of a first and last name, then the pupil is found', async () => {
    expect(ids(await directory.searchPupils(elmPark, 'jam smi'))).toEqual(['P1', 'P2']);
  });

  it('when the words come in another order, then the same pupils are found', async () => {
    expect(ids(await directory.searchPupils(elmPark, 'smi jam'))).toEqual(['P1', 'P2']);
  });

  it('when staff use the preferred name, or the legal one, then either finds the pupil', async () => {
    expect(ids(await directory.searchPupils(elmPark, 'JIM'))).toEqual(['P1']);
    expect(ids(await directory.searchPupils(elmPark, 'sasha gre'))).toEqual(['P8']);
    expect(ids(await directory.searchPupils(elmPark, 'alexander novak'))).toEqual(['P8']);
  });

  it('when accents are typed or left out, then the match is the same', async () => {
    expect(ids(await directory.searchPupils(elmPark, 'zoe bronte'))).toEqual(['P3']);
    expect(ids(await directory.searchPupils(elmPark, 'ZOË'))).toEqual(['P3']);
    expect(ids(await directory.searchPupils(elmPark, 'siobhan'))).toEqual(['P4']);
  });

  it('when names have apostrophes or hyphens, then each part and the whole are found', async () => {
    for (const query of ["o'brien", 'obrien', 'brien', "o'b"]) {
      expect(ids(await directory.searchPupils(elmPark, query))).toEqual(['P4']);
    }
    expect(ids(await directory.searchPupils(elmPark, 'jones'))).toEqual(['P5']);
    expect(ids(await directory.searchPupils(elmPark, 'mary jane'))).toEqual(['P5']);
    expect(ids(await directory.searchPupils(elmPark, 'smith-jones'))).toEqual(['P5']);
  });

  it('when a word is only inside a name (not its start), then it does not match', async () => {
    expect(await directory.searchPupils(elmPark, 'mith')).toEqual([]);
  });

  it('when several match, then pupils on roll come first, then by last name', async () => {
    expect(ids(await directory.searchPupils(elmPark, 'james'))).toEqual(['P1', 'P6']);
    // P8 is listed under Green (the name staff use); Adams left, so comes last despite the A.
    expect(ids(await directory.searchPupils(elmPark, 'a'))).toEqual(['P9', 'P8', 'P7', 'P6']);
  });

  it.each(['(', '.*', 'jam.*', '[a-z]', 'a|j', '^j', '\\', 'j+', '?', '$', '{1}'])(
    'when the query holds regex metacharacters (%s), then they are literal and match no name',
    async (query) => {
      await expect(directory.searchPupils(elmPark, query)).resolves.toEqual([]);
    },
  );

  it('when the query is blank, then no pupils are listed', async () => {
    expect(await directory.searchPupils(elmPark, '')).toEqual([]);
    expect(await directory.searchPupils(elmPark, '   ')).toEqual([]);
  });

  it('when another school or tenant has the same names, then only this school’s pupils come back', async () => {
    const found = await directory.searchPupils(elmPark, 'james smith');
    expect(found.map((p) => [p.tenantId, p.schoolId, p.pupilId])).toEqual([
      ['tenant-a', 'elm-park', 'P1'],
    ]);
    expect(ids(await directory.searchPupils(otherSchool, 'james'))).toEqual(['X1']);
  });

  it('when ids of another school or tenant are asked for, then they are simply absent', async () => {
    expect(await directory.findPupils(elmPark, ['X1', 'Y1'])).toEqual([]);
    expect(await directory.getPupil(elmPark, 'X1')).toBeUndefined();
    // Same MIS id in another tenant: each school gets its own pupil.
    expect((await directory.getPupil(otherTenant, 'P1'))?.tenantId).toBe('tenant-b');
  });

  it('when pupils are found by id, then they come in the order asked and unknown ids are absent', async () => {
    expect(ids(await directory.findPupils(elmPark, ['P3', 'nope', 'P1']))).toEqual(['P3', 'P1']);
  });

  it('when one pupil is read, then exactly the Pupil fields come back (no store internals)', async () => {
    expect(await directory.getPupil(elmPark, 'P8')).toEqual({
      tenantId: 'tenant-a',
      schoolId: 'elm-park',
      pupilId: 'P8',
      upn: undefined,
      legalFirstName: 'Alexander',
      legalLastName: 'Novak',
      preferredFirstName: 'Sasha',
      preferredLastName: 'Green',
      dateOfBirth: '2017-05-01',
      yearGroup: 'Year 4',
      form: '4E',
      onRoll: true,
    });
  });

  it('when more pupils match than the limit, then at most the limit (and never more than 50) come back', async () => {
    const repository = new PupilRepository(connection);
    const many = { tenantId: 'tenant-a', schoolId: 'big-school' };
    await repository.upsertMany(
      many,
      Array.from({ length: 60 }, (_, i) =>
        aPupil({ pupilId: `M${i}`, legalFirstName: 'Sam', legalLastName: `Many${i}` }),
      ),
    );
    expect(await directory.searchPupils(many, 'sam')).toHaveLength(15);
    expect(await directory.searchPupils(many, 'sam', 5)).toHaveLength(5);
    expect(await directory.searchPupils(many, 'sam', 500)).toHaveLength(50);
  });
});
