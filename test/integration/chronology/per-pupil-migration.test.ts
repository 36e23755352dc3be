import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { createAppServices } from '../../../src/app-services';
import {
  ChronologyIndexRepository,
  indexEntriesFor,
  migratePerPupilChronology,
} from '../../../src/chronology';
import type { IndexedIncident } from '../../../src/chronology/chronology-index.repository';
import type { Clock } from '../../../src/shared/clock';
import { dropTestStore, openTestStore } from '../../support/test-store';

/**
 * Databases written by earlier versions on the embedded store keep the chronology index in one
 * collection per pupil. They are built here the old way (the old names, the old unique index,
 * whole entries written straight into them), then started.
 */
const SCOPE = { tenantId: 't1', schoolId: 's1' };
const OTHER_SCHOOL = { tenantId: 't1', schoolId: 's2' };

function record(n: number, scope: typeof SCOPE, pupilId: string, linked: string[] = []) {
  return {
    ...scope,
    incidentId: `inc-${scope.schoolId}-${n}`,
    reference: `EPC-2026-${String(n).padStart(5, '0')}`,
    happenedAt: new Date(Date.UTC(2026, 9, 1 + (n % 20))),
    recordedAt: new Date(Date.UTC(2026, 9, 25)),
    recordedBy: { aadObjectId: 'aad-1', displayName: 'Sam Taylor', roles: ['staff'] },
    pupilId,
    linkedPupils: linked.map((p) => ({ pupilId: p, role: 'witness' as const })),
    categoryIds: [n % 2 === 0 ? 'behaviour' : 'bullying'],
    alertStaffIds: n % 3 === 0 ? ['staff-9'] : [],
  };
}

/** The old layout's collection name for a pupil (as the per-pupil layout computed it). */
function oldCollectionName(scope: typeof SCOPE, pupilId: string): string {
  const key = createHash('sha256')
    .update(`${scope.tenantId}|${scope.schoolId}|${pupilId}`)
    .digest('hex')
    .slice(0, 24);
  return `chronology_pupil_${key}`;
}

/** The pupils of the old database and the records whose entries they hold. */
const PUPILS: { scope: typeof SCOPE; pupilId: string }[] = [
  { scope: SCOPE, pupilId: 'p-a' },
  { scope: SCOPE, pupilId: 'p-b' },
  { scope: OTHER_SCHOOL, pupilId: 'p-a' },
];

function oldEntries(): IndexedIncident[] {
  const entries: IndexedIncident[] = [];
  for (let n = 1; n <= 30; n += 1)
    entries.push(...indexEntriesFor(record(n, SCOPE, 'p-a', n === 4 ? ['p-b'] : [])));
  for (let n = 31; n <= 38; n += 1) entries.push(...indexEntriesFor(record(n, SCOPE, 'p-b')));
  for (let n = 1; n <= 5; n += 1) entries.push(...indexEntriesFor(record(n, OTHER_SCHOOL, 'p-a')));
  return entries;
}

/** Writes a database as the per-pupil layout did: a collection per pupil, unique on entryId. */
async function writeOldLayout(connection: Connection): Promise<number> {
  const entries = oldEntries();
  for (const { scope, pupilId } of PUPILS) {
    const name = oldCollectionName(scope, pupilId);
    await connection.collection(name).createIndex({ entryId: 1 }, { unique: true });
    const mine = entries.filter(
      (e) =>
        e.tenantId === scope.tenantId && e.schoolId === scope.schoolId && e.pupilId === pupilId,
    );
    await connection.collection(name).insertMany(mine.map((e) => ({ ...e })));
  }
  return entries.length;
}

async function perPupilCollections(connection: Connection): Promise<string[]> {
  const all = await connection.db!.listCollections({}, { nameOnly: true }).toArray();
  return all.map((c) => c.name).filter((n) => n.startsWith('chronology_pupil_'));
}

type Page = { incidentId: string; pupilRole: string; alertStaffIds: readonly string[] }[];
const FILTERS = [
  {},
  { categoryIds: ['behaviour'] },
  { from: new Date(Date.UTC(2026, 9, 5)), to: new Date(Date.UTC(2026, 9, 12)) },
];

/** Every pupil's chronology, page by page, as the old layout answered it (its own collection). */
async function readOld(connection: Connection): Promise<Page[]> {
  const pages: Page[] = [];
  for (const { scope, pupilId } of PUPILS) {
    for (const filter of FILTERS) {
      const and: Record<string, unknown>[] = [];
      if ('categoryIds' in filter) and.push({ categoryIds: { $in: filter.categoryIds } });
      if ('from' in filter) and.push({ happenedAt: { $gte: filter.from, $lte: filter.to } });
      const docs = await connection
        .collection<IndexedIncident>(oldCollectionName(scope, pupilId))
        .find({ ...scope, pupilId, ...(and.length ? { $and: and } : {}) })
        .sort({ happenedAt: -1, entryId: -1 })
        .toArray();
      pages.push(docs.map(pick));
    }
  }
  return pages;
}

/** The same, from the shared index, page by page through the keyset cursor. */
async function readShared(connection: Connection): Promise<Page[]> {
  const index = new ChronologyIndexRepository(connection);
  const pages: Page[] = [];
  for (const { scope, pupilId } of PUPILS) {
    for (const filter of FILTERS) {
      const seen: Page = [];
      let after: IndexedIncident | undefined;
      for (;;) {
        const page = await index.pageForPupil(scope, pupilId, { after, filter, limit: 7 });
        seen.push(...page.map(pick));
        after = page.at(-1);
        if (page.length < 7) break;
      }
      pages.push(seen);
    }
  }
  return pages;
}

function pick(e: IndexedIncident) {
  return { incidentId: e.incidentId, pupilRole: e.pupilRole, alertStaffIds: [...e.alertStaffIds] };
}

const clock: Clock = { now: () => new Date(Date.UTC(2026, 10, 1)) };

describe('the chronology of per-pupil collections, migrated at start (real store)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
  });
  afterAll(() => dropTestStore(connection));

  it('when the app starts on an old database, then every entry moves to the shared index and reads the same', async () => {
    const total = await writeOldLayout(connection);
    const before = await readOld(connection);
    expect(before.flat().length).toBeGreaterThan(0);

    await createAppServices(connection, clock);

    expect(await perPupilCollections(connection)).toEqual([]);
    expect(await connection.collection('chronology_incidents').countDocuments({})).toBe(total);
    expect(await readShared(connection)).toEqual(before);
  });

  it('when it starts again, then there is nothing to do', async () => {
    const count = await connection.collection('chronology_incidents').countDocuments({});
    expect(
      await migratePerPupilChronology(connection, new ChronologyIndexRepository(connection)),
    ).toEqual({
      collections: 0,
      added: 0,
    });
    await createAppServices(connection, clock);
    expect(await connection.collection('chronology_incidents').countDocuments({})).toBe(count);
  });
});

describe('a migration interrupted part-way (real store)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
  });
  afterAll(() => dropTestStore(connection));

  it('when a start stops after one pupil, then the next start finishes it, nothing twice', async () => {
    const total = await writeOldLayout(connection);
    const before = await readOld(connection);
    const index = new ChronologyIndexRepository(connection);

    const crash = new Error('the process stopped');
    await expect(
      migratePerPupilChronology(connection, index, {
        afterCollection: () => {
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    const left = await perPupilCollections(connection);
    expect(left).toHaveLength(PUPILS.length - 1);
    const movedFirst = await connection.collection('chronology_incidents').countDocuments({});
    expect(movedFirst).toBeGreaterThan(0);

    // And a crash inside the next pupil's copy: some of its entries already in the shared
    // index, its collection not dropped.
    const [next] = left.sort();
    const half = await connection.collection<IndexedIncident>(next!).find({}).limit(3).toArray();
    await index.addMany(half.map(({ _id, ...e }) => e));

    const resumed = await migratePerPupilChronology(connection, index);
    expect(resumed).toEqual({ collections: PUPILS.length - 1, added: total - movedFirst - 3 });
    expect(await perPupilCollections(connection)).toEqual([]);
    expect(await connection.collection('chronology_incidents').countDocuments({})).toBe(total);
    expect(await readShared(connection)).toEqual(before);
  });
});

describe('two instances migrating at once (real store)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
  });
  afterAll(() => dropTestStore(connection));

  it('when both copy and drop the same collections, then both finish and nothing is kept twice', async () => {
    const total = await writeOldLayout(connection);
    const before = await readOld(connection);
    const runs = await Promise.all([
      migratePerPupilChronology(connection, new ChronologyIndexRepository(connection)),
      migratePerPupilChronology(connection, new ChronologyIndexRepository(connection)),
    ]);
    expect(runs.reduce((sum, r) => sum + r.added, 0)).toBe(total);
    expect(await perPupilCollections(connection)).toEqual([]);
    expect(await connection.collection('chronology_incidents').countDocuments({})).toBe(total);
    expect(await readShared(connection)).toEqual(before);
  });
});
