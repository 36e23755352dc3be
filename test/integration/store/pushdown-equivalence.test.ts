import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BSON, Double, Int32, Long, MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { createLogger } from '../../../src/shared/logger';
import { startEmbeddedStore, type EmbeddedStore } from '../../../src/store/embedded-store';
import { testDatabaseName, testStoreUri } from '../../support/test-store';

/**
 * Our FerretDB patch pushes equality and `$in` down to SQLite, which then returns only the rows its
 * WHERE clause admits; FerretDB filters those again, so the patch may return extra rows but must
 * never drop a match. This checks it against the same binary started with `-disable-pushdown`
 * (no filter reaches SQLite: every query reads the whole table and FerretDB's own filter decides),
 * query by query, on the run's store (patched) and a second, reference store: the same ids in the
 * same order, the same counts, and the same documents after the same updates and deletes.
 *
 * Part one is the design notes' 41-query check (arrays, ObjectId against its hex string, quotes and
 * Unicode, int/long/double 5, 0 and -0.0, dates against integers, null, $ne, $or, dotted keys, a
 * regex inside $in), part two 100 generated documents and 200 filters and filters from a fixed seed.
 */
const onEmbeddedStore = !process.env.MONGODB_URI;
const SEED = 20261203;
const PUSHED_AND_FOUND_AT_LEAST = 80;

/** The canonical Extended JSON of a value: 5, 5.0 and 5L differ, as do an ObjectId and its hex. */
const canonical = (v: unknown) => BSON.EJSON.stringify(v as Document, { relaxed: false });
const exact = { promoteValues: false, promoteLongs: false } as const;

async function answers(db: Db, collection: string, filter: Document, aggregate = true) {
  const c = db.collection(collection);
  const idsOf = (docs: Document[]) => docs.map((d) => canonical(d._id));
  const settled = async <T>(p: Promise<T>) =>
    p.catch((e: unknown) => ({ error: (e as { codeName?: string }).codeName ?? String(e) }));
  return {
    ids: await settled(c.find(filter, exact).toArray().then(idsOf)),
    // aggregate hands its first $match to the same pushdown as find.
    ...(aggregate
      ? {
          viaAggregate: await settled(
            c
              .aggregate([{ $match: filter }], exact)
              .toArray()
              .then(idsOf),
          ),
        }
      : {}),
    count: await settled(c.countDocuments(filter)),
  };
}

async function contents(db: Db, collection: string): Promise<string[]> {
  return (await db.collection(collection).find({}, exact).toArray()).map(canonical);
}

(onEmbeddedStore ? describe : describe.skip)(
  'index pushdown answers what the store answers without it',
  () => {
    let reference: EmbeddedStore;
    let referenceDir: string;
    let clients: MongoClient[];
    let patched: Db;
    let unpushed: Db;

    beforeAll(async () => {
      referenceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safeguarding-reference-store-'));
      reference = await startEmbeddedStore({
        dataDir: referenceDir,
        port: 0,
        logger: createLogger('error'),
        disablePushdown: true,
        startTimeoutMs: 15 * 60_000,
      });
      clients = [new MongoClient(testStoreUri()), new MongoClient(reference.uri)];
      await Promise.all(clients.map((c) => c.connect()));
      const name = testDatabaseName(__filename);
      [patched, unpushed] = clients.map((c) => c.db(name)) as [Db, Db];
    }, 15 * 60_000);

    afterAll(async () => {
      await patched?.dropDatabase().catch(() => undefined);
      await Promise.all((clients ?? []).map((c) => c.close()));
      await reference?.stop();
      if (referenceDir) fs.rmSync(referenceDir, { recursive: true, force: true });
    });

    /** Runs the same setup on both stores. */
    async function onBoth(setup: (db: Db) => Promise<unknown>): Promise<void> {
      for (const db of [patched, unpushed]) await setup(db);
    }

    describe('the 41 queries of the design notes', () => {
      const oid = new ObjectId('65a000000000000000000001');
      const docs: Document[] = [
        { _id: 1, t: 'T', s: 'S', p: 'a', n: 5, at: new Date(1000), b: true },
        { _id: 2, t: 'T', s: 'S', p: ['a', 'b'], n: new Double(5.0), at: new Date(2000) },
        { _id: 3, t: ['T'], s: 'S', p: 'a', n: Long.fromNumber(5), at: new Date(3000) },
        { _id: 4, t: 'T', s: ['X', 'S'], p: 'c', n: 0, at: new Date(4000), b: false },
        { _id: 5, t: 'T', s: 'S', p: 'x<y&z"q\'\\u', n: new Double(-0.0), at: new Date(5000) },
        { _id: 'str', t: 'T', s: 'S', p: oid.toHexString(), n: 5.5, at: new Date(1000) },
        { _id: oid, t: 'T', s: 'S', p: oid, n: new Int32(7), at: 1000 },
        { _id: 8, t: 'T', s: 'S', p: [{ k: 'a' }, 'q'], n: [5, 6], at: [new Date(1000)] },
        { _id: 9, t: 'T', s: 'S', p: 'é中文', n: null, b: 'true' },
        { _id: 10, t: 'T', s: 'S', p: { k: 'a' }, n: '5' },
        { _id: 11, t: 'T', s: 'S' },
        { _id: 12, t: 'T', s: 'S', p: 'a', n: Long.fromString('9007199254740993') },
      ];
      const queries: Document[] = [
        {},
        { _id: 1 },
        { _id: 'str' },
        { _id: oid },
        { _id: { $in: [1, 3, oid, 'str'] } },
        { p: 'a' },
        { p: 'b' },
        { p: ['a', 'b'] },
        { p: { $eq: 'a' } },
        { p: { $in: ['a', 'c'] } },
        { p: { $in: ['zz', /a/] } },
        { p: oid },
        { p: oid.toHexString() },
        { p: 'x<y&z"q\'\\u' },
        { p: 'é中文' },
        { p: { k: 'a' } },
        { p: null },
        { p: { $ne: 'a' } },
        { t: 'T', s: 'S', p: 'a' },
        { t: 'T', s: 'S', p: { $in: ['a', 'c'] } },
        { t: 'T', s: 'S' },
        { t: 'T', s: 'X' },
        { n: 5 },
        { n: new Double(5.0) },
        { n: Long.fromNumber(5) },
        { n: 5.5 },
        { n: 0 },
        { n: new Double(-0.0) },
        { n: 6 },
        { n: 7 },
        { n: '5' },
        { n: Long.fromString('9007199254740993') },
        { n: 9007199254740992 },
        { at: new Date(1000) },
        { at: 1000 },
        { b: true },
        { b: 'true' },
        { b: false },
        { t: 'T', p: 'a', n: 5 },
        { $or: [{ p: 'a' }, { p: 'c' }], t: 'T' },
        { 'p.k': 'a' },
      ];

      beforeAll(() =>
        onBoth(async (db) => {
          const c = db.collection('c');
          await c.createIndex({ t: 1, s: 1, p: 1, at: -1 });
          await c.createIndex({ p: 1 });
          await c.createIndex({ n: 1 });
          // One at a time: the natural order is this order.
          for (const d of docs) await c.insertOne(d);
        }),
      );

      it('has 41 queries, and the patched store really pushes them down', async () => {
        expect(queries).toHaveLength(41);
        const explain = (db: Db) =>
          db.command({ explain: { find: 'c', filter: { t: 'T', s: 'S', p: 'a' } } });
        expect((await explain(patched)).filterPushdown).toBe(true);
        expect((await explain(unpushed)).filterPushdown).toBe(false);
      });

      it.each(queries.map((q) => [canonical(q), q] as const))(
        'find, aggregate and count %s',
        async (_, q) => {
          const expected = await answers(unpushed, 'c', q);
          expect(await answers(patched, 'c', q)).toEqual(expected);
        },
      );

      it('updateMany, updateOne, findOneAndUpdate, deleteOne and deleteMany leave the same documents', async () => {
        const steps: ((db: Db) => Promise<unknown>)[] = [
          (db) => db.collection('c').updateMany({ p: 'a' }, { $set: { u: 1 } }),
          (db) => db.collection('c').updateOne({ t: 'T', s: 'S' }, { $set: { first: true } }),
          (db) => db.collection('c').updateMany({ n: { $in: [5, 7] } }, { $inc: { hits: 1 } }),
          (db) =>
            db.collection('c').findOneAndUpdate({ p: { $in: ['a', 'c'] } }, { $set: { f: 1 } }),
          (db) => db.collection('c').deleteOne({ s: 'S', p: 'a' }),
          (db) => db.collection('c').deleteMany({ t: 'T', s: 'S', p: { $in: ['a'] } }),
          (db) => db.collection('c').updateOne({ _id: oid }, { $set: { p: 'moved' } }),
          (db) =>
            db
              .collection<{ _id: string | number | ObjectId }>('c')
              .deleteMany({ _id: { $in: ['str', 4] } }),
        ];
        for (const [i, step] of steps.entries()) {
          await onBoth(step);
          expect({ step: i, docs: await contents(patched, 'c') }).toEqual({
            step: i,
            docs: await contents(unpushed, 'c'),
          });
        }
      });
    });

    describe(`generated documents and filters (seed ${SEED})`, () => {
      const random = mulberry32(SEED);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
      const hex = '65a000000000000000000001';
      const scalars: unknown[] = [
        'a',
        'b',
        'A',
        '',
        '5',
        'é中',
        'x<y&"\\\'',
        hex,
        new ObjectId(hex),
        new Int32(5),
        new Int32(0),
        new Int32(-3),
        Long.fromNumber(5),
        Long.fromNumber(0),
        Long.fromString('9007199254740992'),
        Long.fromString('9007199254740993'),
        new Double(5),
        new Double(-0),
        new Double(0),
        new Double(5.5),
        new Double(-3),
        new Double(9007199254740992),
        new Double(1e21),
        new Date(1000),
        new Date(5),
        new Date(-1000),
        true,
        false,
        null,
      ];
      const composite: unknown[] = [
        ['a', 'b'],
        [new Int32(5), 'a'],
        [],
        [{ k: 'a' }],
        { k: 'a' },
        [new Date(1000), null],
      ];
      const fields = ['t', 's', 'p', 'n', 'at', 'q'];
      const value = () => (random() < 0.2 ? pick(composite) : pick(scalars));

      const docs: Document[] = Array.from({ length: 100 }, (_, i) => {
        const id =
          i % 4 === 0
            ? new Int32(i)
            : i % 4 === 1
              ? `id-${i}`
              : i % 4 === 2
                ? new ObjectId(i.toString(16).padStart(24, '0'))
                : new Double(i + 0.5);
        const doc: Document = { _id: i === 7 ? hex : id };
        for (const f of fields) if (random() > 0.15) doc[f] = value();
        return doc;
      });

      // Most filters aim at a document (its values, an element of its arrays) so that they match.
      const condition = (target: Document | undefined, f: string): unknown => {
        const own: unknown = target?.[f];
        const v =
          own === undefined
            ? pick(scalars)
            : Array.isArray(own) && own.length > 0 && random() < 0.7
              ? pick(own)
              : own;
        const r = random();
        if (r < 0.5) return v;
        if (r < 0.6) return { $eq: v };
        if (r < 0.9)
          return { $in: [v, ...Array.from({ length: Math.floor(random() * 3) }, value)] };
        return pick(composite);
      };
      const filters: Document[] = Array.from({ length: 200 }, () => {
        const target = random() < 0.75 ? pick(docs) : undefined;
        const filter: Document = {};
        const n = 1 + Math.floor(random() * 3);
        for (let k = 0; k < n; k++) {
          const f = pick([...fields, '_id']);
          filter[f] =
            f === '_id'
              ? random() < 0.5
                ? (target ?? pick(docs))._id
                : { $in: [(target ?? pick(docs))._id, pick(docs)._id, pick(scalars)] }
              : condition(target, f);
        }
        return filter;
      });

      beforeAll(() =>
        onBoth(async (db) => {
          const c = db.collection('g');
          // Compound, middle-of-compound, single and crossed orders: the shapes the patch plans for.
          await c.createIndex({ t: 1, s: 1, p: 1 });
          await c.createIndex({ p: 1, t: 1 });
          await c.createIndex({ n: 1 });
          await c.createIndex({ at: -1, q: 1 });
          await c.createIndex({ q: 1, at: 1 });
          await c.insertMany(docs);
        }),
      );

      it('200 filters find and count the same documents', async () => {
        const differences: { filter: string; patched: unknown; unpushed: unknown }[] = [];
        let pushedAndFound = 0;
        for (const filter of filters) {
          const [mine, theirs, explained] = await Promise.all([
            answers(patched, 'g', filter, false),
            answers(unpushed, 'g', filter, false),
            patched
              .command({ explain: { find: 'g', filter } })
              .catch((): Document => ({ filterPushdown: false })),
          ]);
          if (canonical(mine) !== canonical(theirs)) {
            differences.push({ filter: canonical(filter), patched: mine, unpushed: theirs });
          }
          const found = Array.isArray(mine.ids) && mine.ids.length > 0;
          if (found && explained.filterPushdown === true) pushedAndFound++;
        }
        expect(differences).toEqual([]);
        // The check means something only if many filters were pushed down and matched documents.
        expect(pushedAndFound).toBeGreaterThanOrEqual(PUSHED_AND_FOUND_AT_LEAST);
      }, 120_000);

      it('the same updates and deletes leave the same documents', async () => {
        for (let i = 0; i < 24; i++) {
          const filter = filters[i * 8]!;
          const step = async (db: Db) => {
            const c = db.collection('g');
            if (i % 4 === 3) return c.deleteMany(filter);
            if (i % 4 === 2) return c.deleteOne(filter);
            if (i % 4 === 1) return c.updateOne(filter, { $set: { [`u${i}`]: i } });
            return c.updateMany(filter, { $set: { [`u${i}`]: i } });
          };
          await onBoth(step);
          expect({ filter: canonical(filter), docs: await contents(patched, 'g') }).toEqual({
            filter: canonical(filter),
            docs: await contents(unpushed, 'g'),
          });
        }
      }, 120_000);
    });

    describe('ranges, dotted paths and sorts (part 2 of the patch)', () => {
      const oid = (n: number) => new ObjectId(n.toString(16).padStart(24, '0'));
      // Text order differs from MongoDB's around JSON's escapes ("\\u003c" for "<"), U+2028, controls,
      // and for numbers and dates ("10" < "9"): the strings and values below sit on those edges.
      const docs: Document[] = [
        { _id: 1, t: 'T', s: 'B', o: oid(1), at: new Date(1000), n: 9, e: { k: 'a' } },
        {
          _id: 2,
          t: 'T',
          s: 'Ba',
          o: oid(2),
          at: new Date(10_000),
          n: 10,
          e: [{ k: 'a' }, { k: 'b', at: new Date(7) }],
        },
        {
          _id: 3,
          t: 'T',
          s: 'B<',
          o: [oid(3), oid(300)],
          at: new Date(-5),
          n: -1,
          e: { k: ['a', 'c'] },
        },
        {
          _id: 4,
          t: 'T',
          s: 'b\u2028',
          o: oid(4).toHexString(),
          at: 1000,
          n: new Double(9.5),
          e: 'a',
        },
        { _id: 5, t: 'U', s: 'b', o: null, at: null, n: '9', e: { k: null } },
        { _id: 6, t: 'T', s: ['A', 'c'], e: { j: 'a' } },
        { _id: 7, t: 'T', s: 'a\n', at: new Date(1_764_000_000_000), e: null },
        { _id: 8, t: 'T', s: 'A"', o: oid(8), e: { k: { k: 'a' } } },
        {
          _id: 9,
          t: 'T',
          s: 'ab]',
          at: [new Date(5), new Date(1_800_000_000_000)],
          e: [{ k: 'b' }],
        },
        {
          _id: 10,
          t: 'T',
          s: '',
          o: oid(10),
          n: Long.fromNumber(10),
          e: { k: 'b', l: { m: 'x' } },
        },
        { _id: 11, t: 'T', s: 'é', o: oid(11), e: [{ k: ['a'] }, 'a'] },
        { _id: 12, t: 'T', s: '!', o: [], e: { k: 5, at: new Date(3) } },
        { _id: 13, t: 'T', s: 'B\u007f', e: { k: 'a<' } },
        { _id: oid(14), t: 'T', s: 'b&', e: { '0': 'a' } },
        { _id: oid(15), t: 'T', s: 'ab', e: ['a'] },
        { _id: 'str', t: 'T', s: 'Z', e: { k: ['x', { k: 'a' }] } },
      ];
      const queries: Document[] = [
        { 'e.k': 'a' },
        { 'e.k': 'b' },
        { 'e.k': 'c' },
        { 'e.k': { $eq: 'a' } },
        { 'e.k': { $in: ['b', 'c'] } },
        { 'e.k': 5 },
        { 'e.k': 'a<' },
        { 'e.k': null },
        { 'e.k': { k: 'a' } },
        { 'e.k.k': 'a' },
        { 'e.l.m': 'x' },
        { 'e.0': 'a' },
        { 'e.0.k': 'a' },
        { t: 'T', 'e.k': 'a' },
        { t: 'T', 'e.k': { $in: ['a', 'b'] } },
        { t: 'U', 'e.k': 'a' },
        { s: { $gt: 'B' } },
        { s: { $gte: 'B' } },
        { s: { $lt: 'B' } },
        { s: { $lte: 'B' } },
        { s: { $gt: 'a' } },
        { s: { $lt: 'b' } },
        { s: { $lte: 'ab' } },
        { s: { $lt: 'ab]' } },
        { s: { $gte: 'AB', $lt: 'b' } },
        { s: { $gt: '' } },
        { s: { $lt: '' } },
        { s: { $gt: 'B', $ne: 'Ba' } },
        { t: 'T', s: { $gte: 'B' } },
        { t: 'T', s: { $lt: 'b' } },
        { _id: { $gt: oid(14) } },
        { _id: { $lte: oid(14) } },
        { o: { $gt: oid(2) } },
        { o: { $gte: oid(3), $lt: oid(11) } },
        { o: { $lt: oid(4) } },
        { at: { $gte: new Date(1000) } },
        { at: { $lt: new Date(1_764_000_000_000) } },
        { n: { $lt: 10 } },
        { n: { $gte: 9 } },
        { t: 'T', at: { $gte: new Date(0) } },
        { at: { $gt: new Date(-5), $lte: new Date(1_764_000_000_000) } },
        { at: { $lte: new Date(-5) } },
        { at: { $gte: new Date(1000), $lt: 'B' } },
        { t: 'T', at: { $lt: new Date(1_800_000_000_000) } },
        { 'e.at': { $gte: new Date(0) } },
      ];
      // Sorts end on _id: ties come in no particular order (the handler's own sort is unstable,
      // and MongoDB promises none), so each compared order is total. The patch streams rows whose
      // keys are top-level ints, longs, strings, ObjectIds or dates in SQLite's order and merges
      // the rest (doubles, null or missing, arrays, documents) sorted by FerretDB.
      const sorts: [Document, Document, number, number][] = [
        [{ t: 'T' }, { n: -1, _id: 1 }, 3, 0],
        [{ t: 'T' }, { n: 1, _id: 1 }, 20, 0],
        [{ t: 'T' }, { at: 1, _id: 1 }, 4, 0],
        [{ t: 'T' }, { at: -1, _id: -1 }, 6, 2],
        [{ t: 'T', at: { $gte: new Date(0) } }, { at: -1, _id: 1 }, 2, 0],
        [{ s: { $gte: 'B' } }, { s: 1, _id: 1 }, 5, 0],
        [{ 'e.k': 'a' }, { s: -1, _id: 1 }, 2, 0],
        [{ o: { $gt: oid(1) } }, { o: -1, _id: 1 }, 3, 0],
        [{ t: 'T' }, { o: 1, _id: 1 }, 20, 3],
        [{ t: 'T' }, { 'e.k': 1, _id: -1 }, 6, 0],
        [{}, { _id: -1 }, 5, 0],
        [{}, { _id: 1 }, 40, 0],
        [{ t: 'T' }, { s: 1, _id: 1 }, 1, 15],
      ];

      beforeAll(() =>
        onBoth(async (db) => {
          const c = db.collection('r');
          await c.createIndex({ t: 1, 'e.k': 1 });
          await c.createIndex({ 'e.k': 1 });
          await c.createIndex({ 'e.l.m': 1 });
          await c.createIndex({ t: 1, s: 1 });
          await c.createIndex({ s: 1 });
          await c.createIndex({ o: 1 });
          await c.createIndex({ at: -1 });
          await c.createIndex({ t: 1, at: -1 });
          await c.createIndex({ 'e.at': 1 });
          await c.createIndex({ n: 1 });
          for (const d of docs) await c.insertOne(d);
        }),
      );

      it('the patched store pushes dotted equality, string and ObjectId ranges, and date bounds down', async () => {
        const pushed = async (filter: Document) =>
          (await patched.command({ explain: { find: 'r', filter } })).filterPushdown as boolean;
        expect(await pushed({ 'e.k': 'a' })).toBe(true);
        expect(await pushed({ s: { $gte: 'B' } })).toBe(true);
        expect(await pushed({ o: { $gt: oid(2) } })).toBe(true);
        expect(await pushed({ at: { $gte: new Date(1000) } })).toBe(true);
        expect(await pushed({ n: { $gte: 9 } })).toBe(false);
      });

      it.each(queries.map((q) => [canonical(q), q] as const))(
        'find, aggregate and count %s',
        async (_, q) => {
          const expected = await answers(unpushed, 'r', q);
          expect(await answers(patched, 'r', q)).toEqual(expected);
        },
      );

      it.each(
        sorts.map(
          ([f, sort, limit, skip]) =>
            [canonical(f), canonical(sort), limit, skip, f, sort] as const,
        ),
      )('find %s sorted by %s, limit %d, skip %d', async (_f, _s, limit, skip, filter, sort) => {
        const sorted = async (db: Db) =>
          (
            await db
              .collection('r')
              .find(filter, exact)
              .sort(sort)
              .skip(skip)
              .limit(limit)
              .toArray()
          ).map((d) => canonical(d._id));
        expect(await sorted(patched)).toEqual(await sorted(unpushed));
      });

      it('300 generated string, ObjectId and date ranges find and count the same documents', async () => {
        const random = mulberry32(SEED + 2);
        const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
        // JSON escapes some of these ("<>&\"\\", controls, U+2028/9), others sit beside the escape's
        // '\\' (0x5C) and the bounds' ']' (0x5D), the quote (0x22) and the space and '!' below it.
        const chars = [
          'a',
          'B',
          'b',
          '0',
          ' ',
          '!',
          '#',
          '"',
          '\\',
          '<',
          '&',
          '>',
          '[',
          ']',
          '^',
          '~',
          '\u2028',
          '\u2029',
          '\n',
          '\u0001',
          '\u007f',
          'é',
          '中',
          '\u{1F600}',
        ];
        const str = () =>
          Array.from({ length: Math.floor(random() * 4) }, () => pick(chars)).join('');
        // dates on both sides of 0 and of 2001-09-09 (12 and 13 digits), beside numbers of the same size
        const ms = () => pick([-1, 1]) * Math.floor(random() * 2_000_000_000_000);
        const values = () =>
          random() < 0.15
            ? [str(), random() < 0.5 ? new Date(ms()) : str()]
            : random() < 0.2
              ? oid(Math.floor(random() * 40))
              : random() < 0.25
                ? new Date(ms())
                : random() < 0.1
                  ? ms()
                  : str();
        await onBoth(async (db) => {
          const c = db.collection('rg');
          await c.createIndex({ v: 1 });
          await c.createIndex({ t: 1, v: 1 });
          await c.createIndex({ 'w.v': 1 });
        });
        const rows: Document[] = Array.from({ length: 150 }, (_, i) => ({
          _id: i,
          t: pick(['T', 'U']),
          v: values(),
          w: random() < 0.3 ? [{ v: values() }, { v: values() }] : { v: values() },
        }));
        await onBoth((db) => db.collection('rg').insertMany(rows.map((r) => ({ ...r }))));
        const differences: unknown[] = [];
        let pushed = 0;
        for (let i = 0; i < 300; i++) {
          const bound = () =>
            random() < 0.2
              ? oid(Math.floor(random() * 40))
              : random() < 0.25
                ? new Date(ms())
                : str();
          const ops = ['$gt', '$gte', '$lt', '$lte'];
          const range: Document = { [pick(ops)]: bound() };
          if (random() < 0.3) range[pick(ops.filter((o) => !(o in range)))] = bound();
          const filter: Document =
            random() < 0.2
              ? { 'w.v': random() < 0.5 ? range : str() }
              : random() < 0.3
                ? { t: pick(['T', 'U']), v: range }
                : { v: range };
          const [mine, theirs, explained] = await Promise.all([
            answers(patched, 'rg', filter, false),
            answers(unpushed, 'rg', filter, false),
            patched.command({ explain: { find: 'rg', filter } }),
          ]);
          if (canonical(mine) !== canonical(theirs)) {
            differences.push({ filter: canonical(filter), patched: mine, unpushed: theirs });
          }
          if (explained.filterPushdown === true) pushed++;
        }
        expect(differences).toEqual([]);
        expect(pushed).toBeGreaterThanOrEqual(100);
      }, 120_000);

      it('200 generated sorts with limits and skips over mixed types return the same documents in the same order', async () => {
        const random = mulberry32(SEED + 3);
        const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
        // every type the patch orders in SQLite (int, long, string, ObjectId, date) beside those it
        // leaves to FerretDB (double, null, missing, bool, array, document), on the same keys
        const value = (): unknown =>
          pick([
            () => Math.floor(random() * 20) - 10,
            () => Long.fromNumber(Math.floor(random() * 20) - 10),
            () => new Double(Math.floor(random() * 40) / 4),
            () => pick(['', 'a', 'B', 'b', 'ab', 'é', 'a\u0000', '10', '9']),
            () => oid(Math.floor(random() * 10)),
            () => new Date(pick([-1, 1]) * Math.floor(random() * 2_000_000_000_000)),
            () => null,
            () => undefined,
            () => random() < 0.5,
            () => [Math.floor(random() * 5), 'a'],
            () => ({ k: Math.floor(random() * 3) }),
          ])();
        const rows: Document[] = Array.from({ length: 120 }, (_, i) => {
          const row: Document = { _id: i, t: pick(['T', 'U']) };
          for (const key of ['a', 'b']) {
            const v = random() < 0.7 ? pick([value, () => 'x'])() : value();
            if (v !== undefined) row[key] = v;
          }
          return row;
        });
        await onBoth(async (db) => {
          const c = db.collection('rs');
          await c.createIndex({ t: 1 });
          await c.insertMany(rows.map((r) => ({ ...r })));
        });
        const differences: unknown[] = [];
        for (let i = 0; i < 200; i++) {
          const keys = random() < 0.5 ? ['a'] : pick([['a', 'b'], ['b', 'a'], ['b']]);
          const sort: Document = {};
          for (const k of keys) sort[k] = pick([1, -1]);
          sort._id = pick([1, -1]);
          const filter: Document = random() < 0.6 ? { t: pick(['T', 'U']) } : {};
          const limit = 1 + Math.floor(random() * 30);
          const skip = random() < 0.3 ? Math.floor(random() * 20) : 0;
          const run = async (db: Db) =>
            (
              await db.collection('rs').find(filter).sort(sort).skip(skip).limit(limit).toArray()
            ).map((d) => canonical(d._id));
          const [mine, theirs] = await Promise.all([run(patched), run(unpushed)]);
          if (canonical(mine) !== canonical(theirs)) {
            differences.push({ filter, sort, limit, skip, patched: mine, unpushed: theirs });
          }
        }
        expect(differences).toEqual([]);
      }, 120_000);
    });
  },
);

/** A small seeded PRNG (mulberry32): the same documents and filters on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
