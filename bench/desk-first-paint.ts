import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { createAppServices } from '../src/app-services';
import { seedDemo } from '../src/demo/seed-demo';
import { connectStore } from '../src/store/connection';
import type { Benchmark } from './support/benchmark';
import { heading, line, ms, num, table } from './support/print';
import { summarize } from './support/stats';
import { benchDatabaseName } from './support/store';
import { nowMs } from './support/timing';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SCHOOL = 'elm-park';
const SCOPE = { tenantId: TENANT, schoolId: SCHOOL };
const DSL = '00000000-0000-0000-0000-000000000e02';
const SAM = '00000000-0000-0000-0000-000000000e01';
const TEAM = ['e02', 'e03', 'e07', 'e08'].map((n) => `00000000-0000-0000-0000-000000000${n}`);
/** The five-year school of the store issue: 50,000 records; quick mode a fiftieth. */
const FULL_RECORDS = 50_000;
const QUICK_RECORDS = 1_000;
const SAMPLES = 30;
const TARGET_MS = 300;
const NOW = Date.UTC(2027, 5, 15, 10);
const FIVE_YEARS_MS = 5 * 365 * 86_400_000;
const BATCH = 5_000;
/**
 * The past alerts' status: 'withheld' by default, as the five-year school of the store issue
 * holds them (bench/aged-school.ts copies the demo history's, which are never sent);
 * BENCH_DESK_ALERTS=sent for a school whose alerts were all delivered (the desk's unacknowledged
 * list then reads every delivered alert of the school: not fixed yet, see the README).
 */
const ALERT_STATUS = process.env.BENCH_DESK_ALERTS === 'sent' ? 'sent' : 'withheld';

/**
 * The desk's first paint at a five-year school (issue 14): the DSL's desk (what the tab's home asks
 * for first) on a school with five years of records spread evenly up to today, each with its four
 * team alerts, its escalation job and, for nine in ten, an acknowledgement; half the cases
 * closed and one in fifty of those reopened. Bulk-inserted as the repositories store them; then the
 * summaries are built from the stores (as the first start over an existing database does), and the
 * desk is asked for 30 times in the app's services (the tab's HTTP answer adds a few ms).
 */
export const deskFirstPaint: Benchmark = {
  name: 'desk-first-paint',
  title: "The desk's first paint at a five-year school",
  async run({ env, store }) {
    const records = env.quick ? QUICK_RECORDS : FULL_RECORDS;
    heading(`The desk's first paint at a school of ${num(records, 0)} records over five years`);
    const connection = await connectStore(store.uri, benchDatabaseName('desk-first-paint'));
    try {
      const clock = { now: () => new Date(NOW) };
      const services = await createAppServices(connection, clock);
      await seedDemo(connection, TENANT);
      const seedStart = nowMs();
      await seedFiveYears(connection.db as unknown as Db, records);
      line(
        `seeded ${num(records, 0)} records and their companions (+${num((nowMs() - seedStart) / 1000, 0)} s)`,
      );
      const buildStart = nowMs();
      await services.summaries.rebuild();
      line(
        `summaries built from the stores in ${num((nowMs() - buildStart) / 1000, 1)} s (once per database, at start-up)`,
      );

      const dsl = { ...(await services.staff.resolveActor(TENANT, DSL)), steppedUp: false };
      await services.desk.deskFor(dsl); // warm-up
      const samples: number[] = [];
      let openCases = 0;
      for (let i = 0; i < (env.quick ? 10 : SAMPLES); i += 1) {
        const started = nowMs();
        const desk = await services.desk.deskFor(dsl);
        samples.push(nowMs() - started);
        if (desk.kind === 'team') openCases = desk.openCaseCount;
      }
      const s = summarize(samples);
      const expectedOpen = records - Math.ceil(records / 2) + Math.ceil(records / 100);
      line();
      table(
        ['desk (DSL)', 'runs', 'p50', 'p95', 'slowest', 'open cases'],
        [
          [
            'first paint',
            String(samples.length),
            ms(s.p50),
            ms(s.p95),
            ms(Math.max(...samples)),
            String(openCases),
          ],
        ],
      );
      await printSources(services, dsl);
      const met = s.p95 <= TARGET_MS;
      line();
      line(
        `desk first paint p95: ${ms(s.p95)} (target <= ${ms(TARGET_MS)}, ${num(s.p95 / TARGET_MS, 2)} of it) ` +
          `${met ? 'met' : 'MISSED'}${env.quick ? ' (quick mode: small sizes, not enforced)' : ''}`,
      );
      const counted = openCases === expectedOpen;
      if (!counted)
        line(`CHECK FAILED: the desk counted ${openCases} open cases of ${expectedOpen}`);
      return { passed: met, checksFailed: !counted };
    } finally {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    }
  },
};

/** Each of the desk's reads alone, once: where the time goes. */
async function printSources(
  services: Awaited<ReturnType<typeof createAppServices>>,
  dsl: Parameters<typeof services.desk.deskFor>[0],
): Promise<void> {
  const timed = async (read: () => Promise<unknown>) => {
    const started = nowMs();
    await read();
    return nowMs() - started;
  };
  const since = new Date(NOW - 30 * 86_400_000);
  const rows: [string, number][] = [
    [
      'open cases (summary: week counts, oldest weeks)',
      await timed(() => services.summaries.oldestOpen(SCOPE, [], 50)),
    ],
    [
      'recent records (the last 30 days by day)',
      await timed(() => services.incidentRepository.listRecentIn(SCOPE, since, 500, new Date(NOW))),
    ],
    ['unacknowledged alerts', await timed(() => services.alerts.listOpen(dsl))],
    ['overdue tasks', await timed(() => services.actions.overdueTasks(dsl))],
    ['pattern flags', await timed(() => services.patterns.openFlags(dsl))],
  ];
  line();
  table(
    ['read (alone, once)', 'time'],
    rows.map(([name, t]) => [name, ms(t)]),
  );
}

/** Five years of records up to NOW, bulk-inserted as their repositories store them. */
async function seedFiveYears(db: Db, records: number): Promise<void> {
  const pending: Record<string, object[]> = {};
  const queue = async (name: string, doc: object) => {
    const docs = (pending[name] ??= []);
    docs.push(doc);
    if (docs.length >= BATCH)
      await db.collection(name).insertMany(docs.splice(0), { ordered: false });
  };
  for (let n = 0; n < records; n += 1) {
    const incidentId = randomUUID();
    const pupilId = `EP${1000 + ((n * 37) % 196)}`;
    const recordedAt = new Date(
      NOW - FIVE_YEARS_MS + Math.floor(((n + 0.5) / records) * FIVE_YEARS_MS),
    );
    const reference = `EPC-${recordedAt.getUTCFullYear()}-${String(n).padStart(5, '0')}`;
    await queue('incidents', {
      incidentId,
      ...SCOPE,
      reference,
      referenceYear: recordedAt.getUTCFullYear(),
      referenceNumber: n,
      idempotencyKey: `bench-desk-${n}`,
      recordedBy: { aadObjectId: SAM, displayName: 'Sam Taylor', roles: ['staff'] },
      recordedAt,
      recordedDay: new Date(Math.floor(recordedAt.getTime() / 86_400_000) * 86_400_000),
      pupilId,
      happenedAt: recordedAt,
      transcribedFromPaper: false,
      sealed: { v: 1, kid: 'bench', iv: 'AAAA', tag: 'AAAA', data: 'AAAA' },
      categoryIds: ['bullying'],
      linkedPupils: [],
      agencyIds: [],
      bodyMap: [],
      alertStaffIds: [],
    });
    for (const recipient of TEAM) {
      const alertId = randomUUID();
      await queue('alerts', {
        _id: alertId,
        alertId,
        ...SCOPE,
        kind: 'incident',
        incidentId,
        reference,
        recipientAadObjectId: recipient,
        reason: 'safeguarding-team',
        wave: 0,
        recordedBy: { aadObjectId: SAM, displayName: 'Sam Taylor' },
        categoryNames: [],
        recordedAt,
        createdAt: recordedAt,
        status: ALERT_STATUS,
        attempts: 1,
        nextAttemptAt: recordedAt,
      });
    }
    const acknowledged = n % 10 !== 9;
    await queue('alert_escalations', {
      ...SCOPE,
      incidentId,
      reference,
      pupilIds: [pupilId],
      createdAt: recordedAt,
      stepsDone: 0,
      nextCheckAt: new Date(NOW + 365 * 86_400_000),
      ...(acknowledged ? { teamAcknowledgedAt: recordedAt } : {}),
    });
    if (acknowledged) {
      await queue('alert_acknowledgements', {
        ...SCOPE,
        incidentId,
        aadObjectId: TEAM[n % 4]!,
        displayName: 'Team member',
        acknowledgedAt: new Date(recordedAt.getTime() + 600_000),
        onTeam: true,
      });
    }
    const status = (sequence: number, kind: string, days: number) => ({
      _id: `${incidentId}:${sequence}`,
      ...SCOPE,
      incidentId,
      sequence,
      status: kind,
      at: new Date(Math.min(NOW - 1, recordedAt.getTime() + days * 86_400_000)),
      by: { aadObjectId: DSL, displayName: 'Priya Shah' },
    });
    if (n % 2 === 0) await queue('case_status_events', status(1, 'closed', 7));
    if (n % 100 === 0) await queue('case_status_events', status(2, 'reopened', 30));
  }
  for (const [name, docs] of Object.entries(pending)) {
    if (docs.length) await db.collection(name).insertMany(docs, { ordered: false });
  }
}
