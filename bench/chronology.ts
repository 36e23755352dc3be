import { randomUUID } from 'node:crypto';
import { createAppServices } from '../src/app-services';
import { ChronologyIndexRepository, indexEntriesFor } from '../src/chronology';
import { seedDemo } from '../src/demo/seed-demo';
import { systemClock } from '../src/shared/clock';
import { connectStore } from '../src/store/connection';
import { CHRONOLOGY_PUPIL_RECORDS } from './support/bench-env';
import type { Benchmark } from './support/benchmark';
import { heading, line, ms, num, shortCount, table } from './support/print';
import { summarize } from './support/stats';
import { benchDatabaseName } from './support/store';
import { nowMs } from './support/timing';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SCHOOL = 'elm-park';
const DSL = '00000000-0000-0000-0000-000000000e02';
const RECORDER = { aadObjectId: '00000000-0000-0000-0000-000000000e01', displayName: 'Sam Taylor' };
/** The pupil whose chronology is read: the same 60 records at every size. */
const PUPIL = 'EP1003';
const PUPIL_RECORDS = CHRONOLOGY_PUPIL_RECORDS;
const PAGE = 25;
const BATCH = 20_000;
const TARGET_RATIO = 1.2;

/** A stored record as the incident repository writes it (short, fictional narrative). */
function incidentDocument(n: number, pupilId: string, happenedAt: Date) {
  const incidentId = randomUUID();
  return {
    incidentId,
    tenantId: TENANT,
    schoolId: SCHOOL,
    reference: `BEN-${2000 + (n % 7)}-${String(n).padStart(7, '0')}`,
    referenceYear: 2000 + (n % 7),
    referenceNumber: n,
    idempotencyKey: `bench-${n}`,
    recordedBy: { ...RECORDER, roles: ['staff'] },
    recordedAt: happenedAt,
    pupilId,
    happenedAt,
    transcribedFromPaper: false,
    location: 'Playground',
    facts: `Bench record ${n}.`,
    childsWords: '',
    adultsWords: '',
    leadingQuestionNote: '',
    opinion: '',
    actionTaken: '',
    actionRequired: '',
    categoryIds: [n % 3 === 0 ? 'behaviour' : 'bullying'],
    linkedPupils: [] as { pupilId: string; role: 'witness' }[],
    agencyIds: [] as string[],
    bodyMap: [] as never[],
    alertStaffIds: [] as string[],
  };
}

/**
 * The first page of one pupil's chronology (25 of their 60 records, as the DSL) at 10k, 100k and
 * 1M records in the school (BENCH_CHRONOLOGY_SIZES; 1k and 5k in quick mode): the page should
 * cost the same whatever the school holds. Records are bulk-inserted in batches straight into the
 * incidents collection and the chronology index (one collection with a compound index on
 * every store).
 */
export const chronologyFirstPage: Benchmark = {
  name: 'chronology',
  title: 'Chronology: first page of one pupil as the school grows',
  async run({ env, store }) {
    const sizes = env.chronologySizes;
    heading(`Chronology: first page of one pupil at ${sizes.map(shortCount).join(' / ')} records`);
    const connection = await connectStore(store.uri, benchDatabaseName('chronology'));
    try {
      const services = await createAppServices(connection, systemClock);
      await seedDemo(connection, TENANT);
      const dsl = { ...(await services.staff.resolveActor(TENANT, DSL)), steppedUp: false };
      const incidents = connection.collection('incidents');
      const index = new ChronologyIndexRepository(connection);
      let stored = 0;
      const results: { size: number; seedS: number; p50: number; p95: number; runs: number }[] = [];
      for (const size of sizes) {
        const seedStart = nowMs();
        while (stored < size) {
          const docs = [];
          for (let i = 0; i < BATCH && stored < size; i += 1, stored += 1) {
            // The measured pupil's records come first, spread over two years; the rest belong
            // to 1,000 other pupils.
            const pupilId = stored < PUPIL_RECORDS ? PUPIL : `BP${stored % 1_000}`;
            const happenedAt = new Date(Date.UTC(2024, 8, 1) + (stored % 700) * 86_400_000);
            docs.push(incidentDocument(stored, pupilId, happenedAt));
          }
          await incidents.insertMany(docs, { ordered: false });
          await index.addMany(docs.flatMap((d) => indexEntriesFor(d)));
        }
        const seedS = (nowMs() - seedStart) / 1000;
        line(`seeded to ${num(size, 0)} records (+${num(seedS, 0)} s); measuring…`);
        const samples: number[] = [];
        const measureStart = nowMs();
        for (let run = 0; run < 50; run += 1) {
          const started = nowMs();
          const view = await services.chronology.page(dsl, PUPIL, { limit: PAGE, filter: {} });
          samples.push(nowMs() - started);
          if (view.entries.length !== PAGE) throw new RangeError('the page came back short');
          if (nowMs() - measureStart > env.chronologyBudgetMs && run >= 4) break;
        }
        const summary = summarize(samples);
        results.push({ size, seedS, p50: summary.p50, p95: summary.p95, runs: samples.length });
      }
      line();
      table(
        ['records in school', 'seed (s)', 'runs', 'p50', 'p95'],
        results.map((r) => [num(r.size, 0), num(r.seedS, 0), String(r.runs), ms(r.p50), ms(r.p95)]),
      );
      const first = results[0];
      const last = results.at(-1);
      if (!first || !last || results.length < 2) return { passed: undefined };
      const ratio = last.p95 / first.p95;
      line();
      line(
        `p95 ratio ${num(last.size, 0)} / ${num(first.size, 0)}: ${num(ratio, 2)} ` +
          `(target <= ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'met' : 'MISSED'}` +
          (env.quick ? ' (quick mode: small sizes, not enforced)' : ''),
      );
      line(
        'One shared index collection: a page seeks { tenantId, schoolId, pupilId } (an index ' +
          "range on MongoDB; on the embedded store an equality seek, then the pupil's entries " +
          'are filtered and sorted), so its cost follows the pupil, not the school.',
      );
      return { passed: ratio <= TARGET_RATIO };
    } finally {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    }
  },
};
