import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Db, Document, MongoClient as MongoClientType, ObjectId } from 'mongodb';
import { MongoClient } from 'mongodb';
import type { Request } from 'restify';
import type { RunningApp } from '../src/app';
import {
  parseIncidentForm,
  readFormValues,
  type IncidentFormValues,
} from '../src/incidents/incident.schemas';
import type { IncidentInput } from '../src/incidents/incident.types';
import { KeyedLock } from '../src/shared/keyed-lock';
import { toSchoolDateTime } from '../src/shared/school-time';
import { StaffRepository } from '../src/staff';
import { startBenchApp } from './support/app';
import type { BenchContext, BenchOutcome, Benchmark } from './support/benchmark';
import {
  CommandMonitor,
  tallyCommands,
  withCommandMonitoring,
  type RecordedCommand,
} from './support/command-monitor';
import { profileCpu, type ProfileSummary } from './support/cpu-profile';
import { BenchConnector } from './support/local-connector';
import { heading, line, ms, num, table, verdict } from './support/print';
import { cpuMsOf, ownRssMb, rssMbOf } from './support/process-stats';
import { tagRequests } from './support/request-tags';
import { coveredMs, summarize, type LatencySummary } from './support/stats';
import { benchDatabaseName } from './support/store';
import {
  cardActionActivity,
  messageActivity,
  type SimulatedUser,
} from './support/teams-activities';
import { measureProcessLoad, nowMs, runWorkers, type ProcessLoad } from './support/timing';
import {
  copyIndexes,
  isSequenceClaim,
  isWrite,
  retarget,
  runChecked,
  withFreshIds,
  withSequence,
  WriteRefused,
} from './support/write-replay';

/** The issue's target: the app's p95 submit latency at most twice the bare driver's. */
const P95_RATIO_TARGET = 2;
/** The demo school (src/demo/seed-demo.ts; the tenant is config's DEMO_TENANT_ID default). */
const TENANT_ID = '00000000-0000-0000-0000-0000000000d1';
const SCHOOL_ID = 'elm-park';
const DEMO_STAFF_ID = /^00000000-0000-0000-0000-000000000e\d\d$/;
const REFERENCE = /\b[A-Z]{2,6}-\d{4}-\d{5}\b/;
const SUBMIT_VERB = 'incident.submit';
const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
/** The floor's collections are the app's with this prefix. */
const FLOOR_PREFIX = 'floor_';
/** Request tags: what the bench sends. Store commands outside any request are background work. */
const SUBMIT = 'submit';
const REPORT = 'report';
const BACKGROUND = 'background';

/** One simulated member of staff and the form they fill in each time. */
export interface Submitter {
  readonly user: SimulatedUser;
  /** The card's input values, as Teams sends them back (strings). */
  readonly values: Record<string, string>;
  /** What the app stores from them (for BENCH_HISTORY's earlier records). */
  readonly draftValues: IncidentFormValues;
  readonly input: IncidentInput;
  readonly roles: string[];
}

interface AppSample {
  readonly submitMs: number;
  readonly reportMs: number;
  readonly reference: string;
  readonly reportStart: number;
  readonly start: number;
  readonly end: number;
}

interface Phase<S> {
  readonly samples: S[];
  readonly wallMs: number;
  readonly load: ProcessLoad;
  readonly storeCpuMs: number | undefined;
  readonly commands: RecordedCommand[];
}

interface Round {
  readonly app: Phase<AppSample>;
  readonly floor: Phase<number>;
}

/**
 * 20 members of staff submitting concern forms through /api/messages at once (development mode,
 * real CloudAdapter, replies to a local connector), against the floor: the bare driver doing the
 * same document writes with the same concurrency, on the same store, in the same run.
 */
export const submitIncidents: Benchmark = {
  name: 'submit-incidents',
  title: 'Submitting concerns: staff at once through /api/messages vs the bare driver',
  run,
};

async function run({ env, store }: BenchContext): Promise<BenchOutcome> {
  const dbName = benchDatabaseName('submit');
  const uri = withCommandMonitoring(store.uri);
  const rss: Record<string, number | undefined> = {
    start: ownRssMb(),
    storeStart: rssMbOf(store.pid),
  };

  const connector = await new BenchConnector().start();
  const app = await startBenchApp({ uri, dbName, logLevel: env.appLogLevel });
  const client = await new MongoClient(uri).connect();
  try {
    rss.appStarted = ownRssMb();
    const db = client.db(dbName);
    const submitters = await prepareSubmitters(db, app, env.users);
    const tagOf = tagRequests(app.server, requestKind);
    const appMonitor = new CommandMonitor(
      app.store.connection.getClient() as MongoClientType,
      tagOf,
    );
    const floorMonitor = new CommandMonitor(client);
    const http = new BotClient(app, connector);
    await seedHistory(db, env.history, submitters);

    // Warm-up: JIT, connection pools, template cache, the first SQLite pages. Not measured.
    await runWorkers(submitters.length, async (i) => {
      for (let n = 0; n < env.warmup; n++) await http.submit(submitters[i]!);
    });
    // The floor replays what the app itself wrote for one submission, as captured on the wire.
    await settle(appMonitor, db, true);
    appMonitor.start({ capture: true });
    await http.submit(submitters[0]!);
    const captured = appMonitor.stop().filter((c) => c.tag === SUBMIT);
    const floor = new Floor(db, captured, keptIds(submitters));
    await floor.prepare();
    await runWorkers(submitters.length, async () => {
      for (let n = 0; n < env.warmup; n++) await floor.submit();
    });
    const connectorBefore = new Map(connector.calls);

    // App and floor take turns, round after round, so both meet the store in the same state
    // (collection sizes, SQLite's write-ahead log) instead of one always going second. Before each
    // turn the app's background work (alert delivery) is let finish, so neither pays for it.
    const settleWaits: { beforeApp: number; beforeFloor: number; gaveUp: boolean }[] = [];
    const measureRounds = async () => {
      const rounds: Round[] = [];
      for (const perUser of splitIntoRounds(env.submissions, env.rounds)) {
        const beforeApp = await settle(appMonitor, db, true);
        const appRound = await measurePhase(store.pid, appMonitor, () =>
          runWorkers(submitters.length, async (i) => {
            const samples: AppSample[] = [];
            for (let n = 0; n < perUser; n++) samples.push(await http.submit(submitters[i]!));
            return samples;
          }),
        );
        // The alerts the app's turn queued are delivered before the floor's turn, not during it.
        const beforeFloor = await settle(appMonitor, db, true);
        settleWaits.push({
          beforeApp: beforeApp.ms,
          beforeFloor: beforeFloor.ms,
          gaveUp: beforeApp.gaveUp || beforeFloor.gaveUp,
        });
        const floorRound = await measurePhase(store.pid, floorMonitor, () =>
          runWorkers(submitters.length, async () => {
            const samples: number[] = [];
            for (let n = 0; n < perUser; n++) samples.push(await floor.submit());
            return samples;
          }),
        );
        rounds.push({ app: appRound, floor: floorRound });
      }
      return rounds;
    };
    let cpu: ProfileSummary | undefined;
    let rounds: Round[];
    if (env.cpuProfile) {
      const profiled = await profileCpu(path.resolve(env.cpuProfile), measureRounds);
      rounds = profiled.value;
      cpu = profiled.summary;
    } else rounds = await measureRounds();
    const connectorCalls = [...connector.calls]
      .map(([method, count]) => `${method} ${count - (connectorBefore.get(method) ?? 0)}`)
      .join(', ');
    rss.afterRuns = ownRssMb();

    await settle(appMonitor, db, true);
    const checks = await verify(db, floor, http, env.history);
    const alone = await measureAlone(
      env.aloneSubmissions,
      db,
      http,
      floor,
      submitters[0]!,
      appMonitor,
      floorMonitor,
    );
    rss.end = ownRssMb();
    rss.storeEnd = rssMbOf(store.pid);

    return report({
      env,
      users: submitters,
      rounds,
      floor,
      checks,
      alone,
      rss,
      cpu,
      connectorCalls,
      settleWaits,
      dbName,
    });
  } finally {
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    await app.stop();
    await connector.stop();
  }
}

/** What kind of request the bench sent: a submit (the card invoke) or a report (a message). */
function requestKind(req: Request): string {
  const type = (req.body as { type?: unknown } | undefined)?.type;
  return type === 'invoke' ? SUBMIT : type === 'message' ? REPORT : String(type);
}

/** Posts activities to the app's /api/messages as Teams would, and reads the answers. */
export class BotClient {
  /** Every draftId submitted through the app, warm-up included. */
  readonly draftIds: string[] = [];
  readonly references: string[] = [];
  /** Presses answered "Not confirmed yet" (past the app's invoke deadline) and pressed again. */
  notConfirmed = 0;

  constructor(
    private readonly app: RunningApp,
    private readonly connector: BenchConnector,
  ) {}

  /** `report` (the form card goes to the connector), then Submit on a fresh form. */
  async submit(s: Submitter): Promise<AppSample> {
    const reportStart = nowMs();
    const message = await this.post(
      messageActivity(s.user, TENANT_ID, this.connector.url, 'report'),
    );
    if (message.status !== 200) throw new Error(`report answered ${message.status}`);
    const reportMs = nowMs() - reportStart;

    const draftId = randomUUID();
    const invoke = cardActionActivity(
      s.user,
      TENANT_ID,
      this.connector.url,
      SUBMIT_VERB,
      { ...s.values, draftId },
      `form-${draftId}`,
    );
    const start = nowMs();
    let answer = await this.post(invoke);
    // Past the app's invoke deadline (a loaded machine) it answers "Not confirmed yet" and asks for
    // the button again, as a person would press it: the sample is the time until it is recorded.
    for (let press = 1; press < MAX_PRESSES && isNotConfirmedYet(answer.body); press++) {
      this.notConfirmed++;
      answer = await this.post(invoke);
    }
    const end = nowMs();
    // The invoke's answer is synchronous: the HTTP response body is the AdaptiveCardInvokeResponse.
    const body = answer.body as { statusCode?: number; type?: string; value?: unknown };
    const reference = REFERENCE.exec(JSON.stringify(body.value ?? ''))?.[0];
    if (answer.status !== 200 || body.type !== CARD_TYPE || !reference) {
      const said = typeof body.value === 'string' ? body.value : body.type;
      throw new Error(`submit answered ${answer.status} ${String(said)} without a reference`);
    }
    this.draftIds.push(draftId);
    this.references.push(reference);
    return { submitMs: end - start, reportMs, reference, reportStart, start, end };
  }

  private async post(activity: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.app.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }
}

/** A press answered within Teams' deadline but not yet recorded: the app asks to press again. */
export const MAX_PRESSES = 4;

export function isNotConfirmedYet(body: unknown): boolean {
  const { type, value } = (body ?? {}) as { type?: string; value?: unknown };
  return (
    type === 'application/vnd.microsoft.activity.message' &&
    typeof value === 'string' &&
    value.startsWith('Not confirmed yet')
  );
}

/** One step of the floor's submission: a captured write, the reference claim or a sequence's. */
type FloorStep =
  | { kind: 'write'; collection: string; commandName: string; command: Document }
  | { kind: 'claim'; collection: string; read: Document | undefined; insert: Document }
  | { kind: 'sequence'; collection: string; insert: Document };

/**
 * The floor: the writes the app made for one submission, captured from its own store commands,
 * sent again with the bare driver for every floor submission — fresh ids each time, into
 * collections of its own (the app's names prefixed `floor_`, the same indexes). The one read kept
 * is the reference claim's: the highest number read and the record inserted against the unique
 * index (the next number on a clash), serialised per school within the process as the app does.
 * Inserts that claim a sequence number by primary key (the audit trail's events) claim the floor's
 * own next number the same way the app does once warm: from a counter kept in the process (one
 * read of the highest on first use), the next number on a clash. Whatever the app comes to write
 * per submit (drafts, records, alerts, audit events, ...), the floor follows.
 */
class Floor {
  readonly steps: FloorStep[];
  readonly references: string[] = [];
  private readonly lock = new KeyedLock();
  private nextNumber: number | undefined;
  /** The last sequence number claimed, per collection. */
  private readonly sequences = new Map<string, number>();

  constructor(
    private readonly db: Db,
    captured: readonly RecordedCommand[],
    private readonly keep: ReadonlySet<string>,
  ) {
    const steps: FloorStep[] = [];
    let referenceRead: Document | undefined;
    for (const c of captured) {
      if (!c.command) continue;
      const target = FLOOR_PREFIX + c.collection;
      if (c.commandName === 'find' && isReferenceRead(c.command)) {
        referenceRead = retarget(c.command, 'find', target);
      } else if (c.commandName === 'insert' && isRecordInsert(c.command)) {
        const insert = retarget(c.command, 'insert', target);
        steps.push({ kind: 'claim', collection: target, read: referenceRead, insert });
      } else if (c.commandName === 'insert' && isSequenceClaim(c.command)) {
        const insert = retarget(c.command, 'insert', target);
        steps.push({ kind: 'sequence', collection: target, insert });
      } else if (isWrite(c)) {
        const command = retarget(c.command, c.commandName, target);
        steps.push({ kind: 'write', collection: target, commandName: c.commandName, command });
      }
    }
    if (!steps.some((s) => s.kind === 'claim')) {
      throw new Error('no record insert captured from the app: cannot build the floor');
    }
    this.steps = steps;
  }

  /** What one floor submission sends, e.g. `incident_drafts.insert`, in order. */
  describe(): string[] {
    const names: string[] = [];
    for (const step of this.steps) {
      const collection = step.collection.slice(FLOOR_PREFIX.length);
      if (step.kind === 'claim') {
        if (step.read) names.push(`${collection}.find (highest reference)`);
        names.push(`${collection}.insert (claims the reference)`);
      } else if (step.kind === 'sequence') {
        names.push(`${collection}.insert (claims the next sequence number)`);
      } else names.push(`${collection}.${step.commandName}`);
    }
    // Runs of the same command read better counted: "alerts.insert x5".
    const runs: { name: string; count: number }[] = [];
    for (const name of names) {
      const last = runs[runs.length - 1];
      if (last?.name === name) last.count++;
      else runs.push({ name, count: 1 });
    }
    return runs.map((r) => (r.count > 1 ? `${r.name} x${r.count}` : r.name));
  }

  /** Gives the floor's collections the app's indexes. */
  async prepare(): Promise<void> {
    for (const collection of new Set(this.steps.map((s) => s.collection))) {
      await copyIndexes(this.db, collection.slice(FLOOR_PREFIX.length), collection);
    }
  }

  /**
   * A captured write, sent again. An insert keyed by what it is about rather than by a fresh id
   * (a pattern flag: one per pupil, rule and window) is refused as a duplicate the second time:
   * the app takes that refusal as "already done" (insertOnce), and so does the floor.
   */
  private async write(command: Document): Promise<void> {
    try {
      await runChecked(this.db, command);
    } catch (error) {
      const insertOnce = command.insert !== undefined && error instanceof WriteRefused;
      if (!insertOnce || error.code !== 11000) throw error;
    }
  }

  /** One submission's writes; resolves with how long they took. */
  async submit(): Promise<number> {
    const start = nowMs();
    const fresh = new Map<string, string | ObjectId>();
    for (const step of this.steps) {
      if (step.kind === 'write') {
        await this.write(withFreshIds(step.command, fresh, this.keep) as Document);
      } else if (step.kind === 'sequence') {
        const insert = withFreshIds(step.insert, fresh, this.keep) as Document;
        await this.lock.run(step.collection, () => this.claimSequence(step.collection, insert));
      } else {
        const insert = withFreshIds(step.insert, fresh, this.keep) as Document;
        await this.lock.run(step.collection, () => this.claim(step, insert));
      }
    }
    return nowMs() - start;
  }

  /** Reads the highest number (as the app does, or remembers it if the app does), inserts. */
  private async claim(
    step: Extract<FloorStep, { kind: 'claim' }>,
    insert: Document,
  ): Promise<void> {
    let number = this.nextNumber ?? 1;
    if (step.read) {
      const reply = await runChecked(this.db, step.read);
      const top = (reply.cursor as { firstBatch: Document[] }).firstBatch[0];
      number = Number(top?.referenceNumber ?? 0) + 1;
    }
    const [record] = insert.documents as Document[];
    for (let attempt = 0; attempt < 200; attempt++, number++) {
      const reference = String(record!.reference).replace(/\d+$/, String(number).padStart(5, '0'));
      const documents = [{ ...record, reference, referenceNumber: number }];
      try {
        await runChecked(this.db, { ...insert, documents });
        this.references.push(reference);
        this.nextNumber = number + 1;
        return;
      } catch (error) {
        if (!(error instanceof WriteRefused) || error.code !== 11000) throw error;
      }
    }
    throw new Error('floor could not claim a reference in 200 attempts');
  }

  /** Inserts with the collection's next sequence number (one read of the highest on first use). */
  private async claimSequence(collection: string, insert: Document): Promise<void> {
    let last = this.sequences.get(collection);
    if (last === undefined) {
      const [top] = await this.db
        .collection(collection)
        .find({}, { projection: { sequence: 1 } })
        .sort({ sequence: -1 })
        .limit(1)
        .toArray();
      last = Number(top?.sequence ?? 0);
    }
    for (let attempt = 0; attempt < 200; attempt++) {
      last += 1;
      try {
        await runChecked(this.db, withSequence(insert, last));
        this.sequences.set(collection, last);
        return;
      } catch (error) {
        if (!(error instanceof WriteRefused) || error.code !== 11000) throw error;
      }
    }
    throw new Error(`floor could not claim a sequence number in ${collection} in 200 attempts`);
  }

  /** Records the floor holds. */
  count(): Promise<number> {
    const claim = this.steps.find((s) => s.kind === 'claim')!;
    return this.db
      .collection(claim.collection)
      .countDocuments({ tenantId: TENANT_ID, schoolId: SCHOOL_ID });
  }
}

/** The find that looks up the school's highest reference number this year. */
function isReferenceRead(command: Document): boolean {
  return (
    command.find === 'incidents' &&
    typeof command.sort === 'object' &&
    command.sort !== null &&
    'referenceNumber' in command.sort
  );
}

/** The insert of the record itself (the one that claims a reference). */
function isRecordInsert(command: Document): boolean {
  const [doc] = (command.documents ?? []) as Document[];
  return command.insert === 'incidents' && typeof doc?.referenceNumber === 'number';
}

/** Ids that name people and the school, not one submission: the floor keeps them as they are. */
function keptIds(submitters: readonly Submitter[]): ReadonlySet<string> {
  return new Set(
    [TENANT_ID, ...submitters.map((s) => s.user.aadObjectId)].map((id) => id.toLowerCase()),
  );
}

/** The longest the bench waits for the app's background work before a turn. */
const SETTLE_LIMIT_MS = 300_000;

/**
 * Waits until the app's background work is done: no store writes outside a request for a second
 * and, with `drain`, no alert left pending in the app's outbox (delivery to the local connector).
 * Resolves with how long it waited and whether it gave up at the limit.
 */
async function settle(
  monitor: CommandMonitor,
  db: Db,
  drain = false,
): Promise<{ ms: number; gaveUp: boolean }> {
  const start = nowMs();
  for (;;) {
    monitor.start();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const writes = monitor.stop().filter((c) => c.tag === undefined && isWrite(c)).length;
    const pending = drain
      ? await db
          .collection('alerts')
          .countDocuments({ status: 'pending' })
          .catch(() => 0)
      : 0;
    if (writes === 0 && pending === 0) return { ms: nowMs() - start - 1_000, gaveUp: false };
    if (nowMs() - start > SETTLE_LIMIT_MS) return { ms: nowMs() - start, gaveUp: true };
  }
}

/**
 * Last year's records and their (submitted) drafts, the same in the app's collections and the
 * floor's. Another year's references leave this year's numbering alone; on MongoDB the indexes
 * skip them, on FerretDB every read of these collections scans them.
 */
async function seedHistory(db: Db, count: number, submitters: readonly Submitter[]): Promise<void> {
  if (count === 0) return;
  const year = Number(toSchoolDateTime(new Date()).date.slice(0, 4)) - 1;
  const recordedAt = new Date(Date.UTC(year, 5, 1, 10));
  for (const [incidents, drafts] of [
    ['incidents', 'incident_drafts'],
    ['floor_incidents', 'floor_incident_drafts'],
  ] as const) {
    for (let from = 0; from < count; from += 500) {
      const batch = Array.from({ length: Math.min(500, count - from) }, (_, k) => {
        const number = from + k + 1;
        const s = submitters[number % submitters.length]!;
        const draftId = randomUUID();
        const incidentId = randomUUID();
        return {
          incident: {
            ...s.input,
            happenedAt: recordedAt,
            incidentId,
            tenantId: TENANT_ID,
            schoolId: SCHOOL_ID,
            reference: `EPC-${year}-${String(number).padStart(5, '0')}`,
            referenceYear: year,
            referenceNumber: number,
            idempotencyKey: draftId,
            recordedBy: {
              aadObjectId: s.user.aadObjectId,
              displayName: s.user.displayName,
              roles: s.roles,
            },
            recordedAt,
          },
          draft: {
            tenantId: TENANT_ID,
            aadObjectId: s.user.aadObjectId,
            draftId,
            schoolId: SCHOOL_ID,
            values: s.draftValues,
            status: 'submitted',
            incidentId,
            createdAt: recordedAt,
            updatedAt: recordedAt,
          },
        };
      });
      await db.collection(incidents).insertMany(batch.map((b) => b.incident));
      await db.collection(drafts).insertMany(batch.map((b) => b.draft));
    }
  }
}

/** The simulated staff: the demo school's active staff, topped up with bench-only members. */
export async function prepareSubmitters(
  db: Db,
  app: RunningApp,
  count: number,
): Promise<Submitter[]> {
  const scope = { tenantId: TENANT_ID, schoolId: SCHOOL_ID };
  const staffOf = () =>
    db
      .collection('staff')
      .find({ ...scope, active: true })
      .sort({ aadObjectId: 1 })
      .toArray();
  let staff = (await staffOf()).filter((s) => DEMO_STAFF_ID.test(String(s.aadObjectId)));
  if (staff.length < count) {
    // The demo has 20 staff, but e20 (Peter Ward) has left (active: false): the bot refuses him.
    const extras = Array.from({ length: count - staff.length }, (_, i) => {
      const n = String(i + 1).padStart(3, '0');
      return {
        aadObjectId: `00000000-0000-0000-0000-00000000b${n}`,
        displayName: `Bench Staff ${n}`,
        email: `bench.staff.${n}@elmpark.example`,
        jobTitle: 'Simulated member of staff (bench)',
        roles: ['staff' as const],
        conflictPupilIds: [],
        active: true,
      };
    });
    await new StaffRepository(app.store.connection).upsertMany(scope, extras);
    const bench = (await staffOf()).filter((s) => String(s.aadObjectId).includes('-00000000b'));
    staff = [...staff, ...bench];
  }
  staff = staff.slice(0, count);

  const conflicts = new Set(
    (await db.collection('staff').find(scope).toArray()).flatMap(
      (s) => (s.conflictPupilIds as string[] | undefined) ?? [],
    ),
  );
  const pupils = (await db.collection('pupils').find(scope).sort({ pupilId: 1 }).toArray())
    .map((p) => String(p.pupilId))
    .filter((id) => !conflicts.has(id));
  const plainStaff = staff.filter(
    (s) => (s.roles as string[]).length === 1 && (s.roles as string[])[0] === 'staff',
  );
  if (pupils.length < 2 || plainStaff.length < 2) throw new Error('demo school not seeded');

  // Yesterday at 10:15, school time: always in the past, whenever the bench runs.
  const happened = toSchoolDateTime(new Date(Date.now() - 24 * 3600_000)).date;
  return staff.map((s, i) => {
    const aadObjectId = String(s.aadObjectId);
    const values: Record<string, string> = {
      pupilId: pupils[(2 * i) % pupils.length]!,
      happenedDate: happened,
      happenedTime: '10:15',
      transcribedFromPaper: 'false',
      location: 'Year 4 classroom',
      facts:
        'During maths the pupil said their dad hit them last night. Bruise seen on left upper arm.',
      childsWords: 'MY DAD HIT ME WITH A BELT',
      adultsWords: 'I said "Tell me more about that."',
      opinion: 'Seemed frightened to go home.',
      actionTaken: 'Told the DSL in person at 10:30.',
      actionRequired: 'DSL to decide on a referral before home time.',
      categoryIds: 'child-protection,safeguarding',
      agencyIds: '',
      alertStaffIds: String(plainStaff.find((p) => p.aadObjectId !== aadObjectId)!.aadObjectId),
      linkedPupil1: pupils[(2 * i + 1) % pupils.length]!,
      linkedRole1: 'sibling',
      bodyRegion1: 'upper arm',
      bodySide1: 'front',
      bodyLaterality1: 'left',
      bodyDescription1: '3 cm purple bruise',
    };
    const parsed = parseIncidentForm(values, new Date());
    if (!parsed.ok) throw new Error(`bench form invalid: ${Object.keys(parsed.errors).join(', ')}`);
    return {
      user: {
        aadObjectId,
        displayName: String(s.displayName),
        teamsId: `29:bench-${aadObjectId.slice(-4)}`,
        conversationId: `a:bench-personal-${aadObjectId.slice(-4)}`,
      },
      values,
      draftValues: readFormValues(values).values,
      input: parsed.input,
      roles: [...(s.roles as string[])],
    };
  });
}

/** Runs a phase with its load figures and the store commands it sent. */
async function measurePhase<S>(
  storePid: number | undefined,
  monitor: CommandMonitor,
  work: () => Promise<S[][]>,
): Promise<Phase<S>> {
  const storeCpu = cpuMsOf(storePid);
  const load = measureProcessLoad();
  monitor.start();
  const start = nowMs();
  const perWorker = await work();
  const wallMs = nowMs() - start;
  const commands = monitor.stop();
  const storeCpuEnd = cpuMsOf(storePid);
  return {
    samples: perWorker.flat(),
    wallMs,
    load: load(),
    storeCpuMs:
      storeCpu === undefined || storeCpuEnd === undefined ? undefined : storeCpuEnd - storeCpu,
    commands,
  };
}

/** Submissions per user in each round: as even as possible, every round at least one. */
function splitIntoRounds(submissions: number, rounds: number): number[] {
  const count = Math.min(rounds, submissions);
  return Array.from(
    { length: count },
    (_, r) => Math.floor((submissions * (r + 1)) / count) - Math.floor((submissions * r) / count),
  );
}

/** Several rounds of one side as one phase: samples and commands pooled, load weighted by time. */
function combinePhases<S>(phases: readonly Phase<S>[]): Phase<S> {
  const wallMs = phases.reduce((sum, p) => sum + p.wallMs, 0);
  const weighted = (f: (p: Phase<S>) => number) =>
    phases.reduce((sum, p) => sum + f(p) * p.wallMs, 0) / wallMs;
  const storeCpu = phases.map((p) => p.storeCpuMs);
  return {
    samples: phases.flatMap((p) => p.samples),
    wallMs,
    load: {
      cpuShareOfOneCore: weighted((p) => p.load.cpuShareOfOneCore),
      eventLoopUtilization: weighted((p) => p.load.eventLoopUtilization),
    },
    storeCpuMs: storeCpu.some((c) => c === undefined)
      ? undefined
      : storeCpu.reduce((sum, c) => sum! + c!, 0),
    commands: phases.flatMap((p) => p.commands),
  };
}

interface Checks {
  readonly expected: number;
  readonly stored: number;
  readonly distinctStored: number;
  readonly distinctAnswered: number;
  readonly draftsClosed: number;
  readonly floorExpected: number;
  readonly floorStored: number;
  readonly floorDistinct: number;
  /** Documents per collection at the end (FerretDB's reads scan them all). */
  readonly sizes: Record<string, number>;
  readonly ok: boolean;
}

/** Every submit made exactly one record, with a reference no other record has; the floor too. */
async function verify(db: Db, floor: Floor, http: BotClient, history: number): Promise<Checks> {
  const scope = { tenantId: TENANT_ID, schoolId: SCHOOL_ID };
  const ours = { ...scope, idempotencyKey: { $in: http.draftIds } };
  const expected = http.draftIds.length;
  const stored = await db.collection('incidents').countDocuments(ours);
  const all = (await db.collection('incidents').countDocuments(scope)) - history;
  const distinctStored = (await db.collection('incidents').distinct('reference', ours)).length;
  const draftsClosed = await db
    .collection('incident_drafts')
    .countDocuments({ tenantId: TENANT_ID, draftId: { $in: http.draftIds }, status: 'submitted' });
  const floorStored = (await floor.count()) - history;
  const floorExpected = floor.references.length;
  const sizes: Record<string, number> = {};
  const collections = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .sort();
  for (const name of collections) sizes[name] = await db.collection(name).estimatedDocumentCount();
  const checks = {
    expected,
    stored,
    distinctStored,
    distinctAnswered: new Set(http.references).size,
    draftsClosed,
    floorExpected,
    floorStored,
    floorDistinct: new Set(floor.references).size,
    sizes,
  };
  return {
    ...checks,
    ok:
      stored === expected &&
      all === expected &&
      distinctStored === expected &&
      checks.distinctAnswered === expected &&
      draftsClosed === expected &&
      floorStored === floorExpected &&
      checks.floorDistinct === floorExpected,
  };
}

interface CommandShare {
  readonly name: string;
  readonly count: number;
  readonly medianMs: number;
}

interface Alone {
  readonly submit: LatencySummary;
  readonly report: LatencySummary;
  readonly floor: LatencySummary;
  readonly submitCommands: CommandShare[];
  readonly reportCommands: CommandShare[];
  readonly floorCommands: CommandShare[];
  /** Median time with at least one store command of that request in flight. */
  readonly submitStoreMs: number;
  readonly reportStoreMs: number;
  readonly floorStoreMs: number;
}

/**
 * One member of staff alone, one submission after another: the cost of a submit without queueing
 * behind 19 others, and which store commands it makes (attributed by request).
 */
async function measureAlone(
  submissions: number,
  db: Db,
  http: BotClient,
  floor: Floor,
  submitter: Submitter,
  appMonitor: CommandMonitor,
  floorMonitor: CommandMonitor,
): Promise<Alone> {
  const samples: AppSample[] = [];
  const perSubmit: RecordedCommand[][] = [];
  const perReport: RecordedCommand[][] = [];
  for (let n = 0; n < submissions; n++) {
    await settle(appMonitor, db, true);
    appMonitor.start();
    samples.push(await http.submit(submitter));
    const commands = appMonitor.stop();
    perSubmit.push(commands.filter((c) => c.tag === SUBMIT));
    perReport.push(commands.filter((c) => c.tag === REPORT));
  }
  const floorSamples: number[] = [];
  const perFloor: RecordedCommand[][] = [];
  for (let n = 0; n < submissions; n++) {
    floorMonitor.start();
    floorSamples.push(await floor.submit());
    perFloor.push(floorMonitor.stop());
  }
  const busy = (runs: RecordedCommand[][]) =>
    summarize(runs.map((cs) => coveredMs(cs.map((c) => [c.start, c.end] as const)))).p50;
  return {
    submit: summarize(samples.map((s) => s.submitMs)),
    report: summarize(samples.map((s) => s.reportMs)),
    floor: summarize(floorSamples),
    submitCommands: medianTally(perSubmit),
    reportCommands: medianTally(perReport),
    floorCommands: medianTally(perFloor),
    submitStoreMs: busy(perSubmit),
    reportStoreMs: busy(perReport),
    floorStoreMs: busy(perFloor),
  };
}

/** Commands of each name per run, with their median duration. */
function medianTally(runs: readonly RecordedCommand[][]): CommandShare[] {
  const all = runs.flat();
  return [...new Set(all.map((c) => c.name))]
    .map((name) => {
      const durations = all.filter((c) => c.name === name).map((c) => c.end - c.start);
      return { name, count: durations.length / runs.length, medianMs: summarize(durations).p50 };
    })
    .sort((a, b) => b.count - a.count || b.medianMs - a.medianMs);
}

function report(r: {
  env: BenchContext['env'];
  users: readonly Submitter[];
  rounds: Round[];
  floor: Floor;
  checks: Checks;
  alone: Alone;
  rss: Record<string, number | undefined>;
  cpu: ProfileSummary | undefined;
  connectorCalls: string;
  settleWaits: { beforeApp: number; beforeFloor: number; gaveUp: boolean }[];
  dbName: string;
}): BenchOutcome {
  const { env, checks, alone } = r;
  const appPhase = combinePhases(r.rounds.map((x) => x.app));
  const floorPhase = combinePhases(r.rounds.map((x) => x.floor));
  const submit = summarize(appPhase.samples.map((s) => s.submitMs));
  const reportMsg = summarize(appPhase.samples.map((s) => s.reportMs));
  const floor = summarize(floorPhase.samples);
  const n = appPhase.samples.length;
  const ratio = submit.p95 / floor.p95;
  const passed = ratio <= P95_RATIO_TARGET && checks.ok;
  const bench = r.users.filter((u) => !DEMO_STAFF_ID.test(u.user.aadObjectId)).length;
  const perSecond = (count: number, wallMs: number) => num(count / (wallMs / 1000), 1);

  heading(`Submitting concerns: ${r.users.length} staff through /api/messages vs the bare driver`);
  line(
    `${r.users.length} simulated staff at once (${r.users.length - bench} demo staff` +
      (bench ? ` + ${bench} bench-only: demo e20 has left the school and is refused` : '') +
      `), ${env.submissions} submissions each after ${env.warmup} warm-up each; ` +
      `${env.history} earlier records in the store; database ${r.dbName}`,
  );
  line(
    'Each submission: POST `report` (form card to the local connector), then POST the' +
      ` ${SUBMIT_VERB} invoke with a fresh draftId.`,
  );
  line(
    'Latency = HTTP round trip of the invoke; its answer (the confirmation card) is in the body.',
  );
  line(
    "Floor = the app's own writes for one submit (captured from its store commands), sent again",
  );
  line(
    `  with the bare driver, fresh ids each time, same concurrency: ${r.floor.describe().join(', ')}`,
  );
  line();
  table(
    ['', 'n', 'p50', 'p95', 'p99', 'max', 'mean', 'per second'],
    [
      row('app: submit (invoke)', submit, perSecond(n, appPhase.wallMs)),
      row('app: report (message)', reportMsg, ''),
      row('floor: bare driver, same writes', floor, perSecond(floor.count, floorPhase.wallMs)),
    ],
  );
  line();
  line(
    `p95 ratio app/floor: ${num(ratio, 2)}  (target <= ${P95_RATIO_TARGET}): ` +
      verdict(ratio <= P95_RATIO_TARGET, env.quick),
  );
  line(
    `throughput: app ${perSecond(n, appPhase.wallMs)} submits/s (with their report messages; ` +
      `${num(appPhase.wallMs / 1000, 1)} s for ${n}), floor ${perSecond(floor.count, floorPhase.wallMs)} ` +
      `submissions/s (${num(floorPhase.wallMs / 1000, 1)} s)`,
  );
  line();
  line(
    `By round (app, then floor, ${r.rounds.length} times; each side's collections grow by ` +
      `${n / r.rounds.length} records a round). Before each turn the app's background work is let ` +
      'finish: "drain" is how long delivering the alerts of the app\'s turn took after it ended.',
  );
  table(
    ['round', 'app p50', 'app p95', 'floor p50', 'floor p95', 'p95 ratio', 'drain'],
    r.rounds.map((round, i) => {
      const a = summarize(round.app.samples.map((x) => x.submitMs));
      const f = summarize(round.floor.samples);
      const wait = r.settleWaits[i];
      return [
        String(i + 1),
        ms(a.p50),
        ms(a.p95),
        ms(f.p50),
        ms(f.p95),
        num(a.p95 / f.p95, 2),
        wait ? `${num(wait.beforeFloor / 1000, 1)} s${wait.gaveUp ? ' (gave up)' : ''}` : '-',
      ];
    }),
  );
  line();
  line('Checks');
  line(
    `  records: ${checks.stored} stored for ${checks.expected} submits (warm-up included): ` +
      (checks.stored === checks.expected ? 'ok' : 'MISMATCH'),
  );
  line(
    `  references: ${checks.distinctStored} distinct in the store, ${checks.distinctAnswered} ` +
      `distinct answered, of ${checks.expected}: ` +
      (checks.distinctStored === checks.expected && checks.distinctAnswered === checks.expected
        ? 'ok'
        : 'DUPLICATES'),
  );
  line(`  drafts closed as submitted: ${checks.draftsClosed} of ${checks.expected}`);
  line(
    `  floor: ${checks.floorStored} records of ${checks.floorExpected}, ${checks.floorDistinct} distinct references`,
  );
  line(
    `  connector calls in the measured rounds: ${r.connectorCalls} ` +
      '(replies and proactive alerts are POSTs; the form replaced by the confirmation is a PUT)',
  );
  line('  documents at the end:');
  const sizes = Object.entries(checks.sizes);
  for (let i = 0; i < sizes.length; i += 4) {
    line(
      `    ${sizes
        .slice(i, i + 4)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }
  line();

  line('Load during the measured rounds');
  const store = (p: Phase<unknown>) =>
    p.storeCpuMs === undefined ? 'n/a' : `${num(p.storeCpuMs / p.wallMs, 2)} cores`;
  table(
    ['', 'node CPU', 'event loop busy', 'store CPU', 'store cmds', 'cmds/submission'],
    [
      [
        'app turns',
        `${num(appPhase.load.cpuShareOfOneCore, 2)} cores`,
        `${num(appPhase.load.eventLoopUtilization * 100, 0)}%`,
        store(appPhase),
        String(appPhase.commands.length),
        num(appPhase.commands.length / n, 1),
      ],
      [
        'floor turns',
        `${num(floorPhase.load.cpuShareOfOneCore, 2)} cores`,
        `${num(floorPhase.load.eventLoopUtilization * 100, 0)}%`,
        store(floorPhase),
        String(floorPhase.commands.length),
        num(floorPhase.commands.length / floor.count, 1),
      ],
    ],
  );
  line("  (node CPU and event loop include the bench's own HTTP client, in the same process)");
  line();
  line('Store commands in the app turns, per submission, by request and collection.command');
  const byTag = (tag: string | undefined) => appPhase.commands.filter((c) => c.tag === tag);
  const tagged: [string, RecordedCommand[]][] = [
    [SUBMIT, byTag(SUBMIT)],
    [REPORT, byTag(REPORT)],
    [BACKGROUND, byTag(undefined)],
  ];
  table(
    ['', 'per submission', 'mean ms'],
    tagged.flatMap(([tag, commands]) => [
      [`${tag} (all)`, num(commands.length / n, 1), ''],
      ...tallyCommands(commands).map((t) => [
        `  ${t.name}`,
        num(t.count / n, 2),
        num(t.totalMs / t.count, 1),
      ]),
    ]),
  );
  line();

  line(
    `One member of staff alone, ${env.aloneSubmissions} submissions one after another (medians)`,
  );
  const total = (shares: CommandShare[]) =>
    num(
      shares.reduce((s, c) => s + c.count, 0),
      0,
    );
  table(
    ['', 'p50', 'max', 'store busy', 'commands'],
    [
      [
        'app: submit (invoke)',
        ms(alone.submit.p50),
        ms(alone.submit.max),
        ms(alone.submitStoreMs),
        total(alone.submitCommands),
      ],
      [
        'app: report (message)',
        ms(alone.report.p50),
        ms(alone.report.max),
        ms(alone.reportStoreMs),
        total(alone.reportCommands),
      ],
      [
        'floor: same writes',
        ms(alone.floor.p50),
        ms(alone.floor.max),
        ms(alone.floorStoreMs),
        total(alone.floorCommands),
      ],
    ],
  );
  line('  ("store busy": time with at least one store command in flight; the rest is Node.)');
  for (const [title, shares] of [
    ['one submit (invoke)', alone.submitCommands],
    ['one report message', alone.reportCommands],
    ['one floor submission', alone.floorCommands],
  ] as const) {
    line(`  Commands of ${title}:`);
    for (const c of shares) {
      line(`    ${num(c.count, 1).padStart(4)} x ${c.name.padEnd(34)} median ${ms(c.medianMs)}`);
    }
  }
  line();

  if (r.cpu) {
    line(
      `CPU profile of the measured rounds (${env.cpuProfile}): ${ms(r.cpu.totalMs)} sampled, self time by place`,
    );
    for (const p of r.cpu.byPlace.slice(0, 14)) {
      line(`  ${num((p.ms / r.cpu.totalMs) * 100, 1).padStart(5)}%  ${p.place}`);
    }
    line('  hottest functions (self time):');
    for (const f of r.cpu.byFunction.slice(0, 12)) {
      line(`  ${num((f.ms / r.cpu.totalMs) * 100, 1).padStart(5)}%  ${f.fn}`);
    }
    line();
  }

  const mb = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(0)} MB`);
  line(
    `RSS: node ${mb(r.rss.start)} before the app, ${mb(r.rss.appStarted)} app started, ` +
      `${mb(r.rss.afterRuns)} after the measured rounds, ${mb(r.rss.end)} at the end; ` +
      `store ${mb(r.rss.storeStart)} -> ${mb(r.rss.storeEnd)}`,
  );
  line(`Result: ${verdict(passed, env.quick)}${checks.ok ? '' : ' (checks failed)'}`);
  return { passed, checksFailed: !checks.ok };
}

function row(label: string, s: LatencySummary, perSecond: string): string[] {
  return [
    label,
    String(s.count),
    ms(s.p50),
    ms(s.p95),
    ms(s.p99),
    ms(s.max),
    ms(s.mean),
    perSecond,
  ];
}
