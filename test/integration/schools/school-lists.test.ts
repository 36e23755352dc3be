import type { Connection } from 'mongoose';
import {
  DEFAULT_AGENCIES,
  DEFAULT_CATEGORIES,
  SchoolLists,
  SchoolListsRepository,
  type CategoryInput,
} from '../../../src/schools';
import { AppError } from '../../../src/shared/errors';
import { syncAllIndexes } from '../../../src/store/connection';
import { dropTestStore, openTestStore } from '../../support/test-store';

const scope = { tenantId: 'tenant-a', schoolId: 'elm-park' };
const other = { tenantId: 'tenant-a', schoolId: 'oak-lane' };

describe('SchoolLists on the real store', () => {
  let connection: Connection;
  let lists: SchoolLists;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    const repository = new SchoolListsRepository(connection);
    await syncAllIndexes(connection);
    lists = new SchoolLists(repository);
  });
  afterAll(() => dropTestStore(connection));

  it('when a school is seeded, then it gets every default category and agency, in order', async () => {
    expect(await lists.seedDefaultLists(scope)).toEqual({ categoriesAdded: 25, agenciesAdded: 9 });
    const categories = await lists.listCategories(scope);
    expect(categories.map((c) => c.name)).toEqual(DEFAULT_CATEGORIES.map((c) => c.name));
    expect(categories.find((c) => c.categoryId === 'child-protection')).toEqual({
      ...scope,
      categoryId: 'child-protection',
      name: 'Child protection',
      teamOnly: true,
      offersBodyMap: true,
      active: true,
      order: 80,
    });
    const agencies = await lists.listAgencies(scope);
    expect(agencies.map((a) => a.name)).toEqual(DEFAULT_AGENCIES.map((a) => a.name));
    expect(agencies.at(-1)?.name).toBe('Other');
  });

  it('when seeding runs again, then nothing is added and nothing is duplicated', async () => {
    expect(await lists.seedDefaultLists(scope)).toEqual({ categoriesAdded: 0, agenciesAdded: 0 });
    expect(await connection.collection('categories').countDocuments(scope)).toBe(25);
    expect(await connection.collection('agencies').countDocuments(scope)).toBe(9);
  });

  it('when an admin edits and deactivates defaults, then seeding again keeps the edits', async () => {
    await lists.upsertCategory(scope, {
      categoryId: 'bullying',
      name: '  Bullying and harassment ',
      teamOnly: false,
      offersBodyMap: true,
      active: true,
      order: 5,
    });
    await lists.upsertCategory(scope, {
      categoryId: 'punctuality',
      name: 'Punctuality',
      teamOnly: false,
      offersBodyMap: false,
      active: false,
      order: 190,
    });
    await lists.upsertAgency(scope, {
      agencyId: 'police',
      name: 'Police',
      childrensSocialCare: false,
      active: false,
      order: 20,
    });

    expect(await lists.seedDefaultLists(scope)).toEqual({ categoriesAdded: 0, agenciesAdded: 0 });
    const categories = await lists.listCategories(scope);
    expect(categories[0]).toMatchObject({
      categoryId: 'bullying',
      name: 'Bullying and harassment',
      offersBodyMap: true,
    });
    expect(categories.map((c) => c.categoryId)).not.toContain('punctuality');
    expect(categories).toHaveLength(24);
    expect((await lists.listAgencies(scope)).map((a) => a.agencyId)).not.toContain('police');
  });

  it('when an admin adds a category of their own, then it is listed in its place', async () => {
    await lists.upsertCategory(scope, {
      categoryId: 'young-carer',
      name: 'Young carer',
      teamOnly: false,
      offersBodyMap: false,
      active: true,
      order: 255,
    });
    const ids = (await lists.listCategories(scope)).map((c) => c.categoryId);
    expect(ids.indexOf('young-carer')).toBe(ids.indexOf('well-being') + 1);
  });

  it.each<[string, Partial<CategoryInput> & Record<string, unknown>]>([
    ['a name over 100 characters', { name: 'x'.repeat(101) }],
    ['a blank name', { name: '   ' }],
    ['a name with a line break', { name: 'Two\nlines' }],
    ['an id that is not a slug', { categoryId: 'Child Protection' }],
    ['a fractional order', { order: 1.5 }],
    ['an unknown field', { colour: 'red' }],
  ])('when a category has %s, then it is refused with SCHOOL_LISTS.INVALID', async (_what, bad) => {
    const input = {
      categoryId: 'new-one',
      name: 'New one',
      teamOnly: false,
      offersBodyMap: false,
      active: true,
      order: 1,
      ...bad,
    } as CategoryInput;
    const error = await lists.upsertCategory(scope, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('SCHOOL_LISTS.INVALID');
    expect((await lists.listCategories(scope)).map((c) => c.categoryId)).not.toContain('new-one');
  });

  it('when another school has not been seeded, then it has no lists, and seeding it leaves the first alone', async () => {
    expect(await lists.listCategories(other)).toEqual([]);
    expect(await lists.seedDefaultLists(other)).toEqual({ categoriesAdded: 25, agenciesAdded: 9 });
    expect((await lists.listCategories(other)).find((c) => c.categoryId === 'bullying')?.name).toBe(
      'Bullying',
    );
    expect((await lists.listCategories(scope)).find((c) => c.categoryId === 'bullying')?.name).toBe(
      'Bullying and harassment',
    );
  });
});
