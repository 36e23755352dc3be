import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Connection } from 'mongoose';
import { summarize } from '../../bench/support/stats';
import type { SimulatedUser } from '../../bench/support/teams-activities';
import { connectStore } from '../../src/store/connection';
import { instanceEnv, startAppInstance, type AppInstance } from '../support/app-instance';
import { CountingConnector } from '../support/counting-connector';
import { arrivals, sleep, waitFor } from '../support/pace';
import { recordsAndAudit } from '../support/records';
import {
  mbText,
  msText,
  verdictOf,
  type ScenarioContext,
  type ScenarioResult,
} from '../support/scenario';
import { demoPupilIds, demoTeam, prepareStaff, saveChats, SCOPES } from '../support/soak-school';
import { devToken, tabRequest } from '../support/tab-client';
import {
  cardAction,
  formValues,
  messageIn,
  postActivity,
  referenceIn,
  reportCommand,
} from '../support/teams-client';

/** The targets (#18, part 7). */
const RUSH_TARGETS = { submitP95Ms: 2_000, maxInvokeMs: 5_000, rssMb: 250, loopMaxMs: 200 };

export interface MorningRushOptions {
  /** Members of staff who each submit one concern. */
  readonly staff: number;
  /** Over how long their submissions arrive. */
  readonly durationMs: number;
  /** How often each member of the team polls the desk (the tab asks every 30 s). */
  readonly deskPollMs: number;
  /** Seed the demo school's past year first (the desk and chronology then have a history). */
  readonly history: boolean;
  /** How long to wait after the rush for every alert to be delivered. */
  readonly deliveryTimeoutMs: number;
}

/** How a submit was answered: confirmed, the app's "not confirmed yet" (its 4 s deadline), or an error. */
type SubmitOutcome = 'recorded' | 'late' | 'error';

interface Sample {
  readonly ms: number;
  readonly ok: boolean;
  readonly outcome?: SubmitOutcome;
}

/**
 * The morning rush (#18 part 7): two app instances on one store (A seeds the demo school, B
 * joins), `staff` members of staff each typing `report` and submitting a concern, arriving at
 * random over `durationMs` and split between the instances, while the safeguarding team polls
 * the desk from the tab. Measures submit latency, every instance's RSS and event-loop stalls
 * (from /devz/runtime), and checks that every record was stored with its audit event and every
 * alert reached the team exactly once.
 */
export async function morningRush(
  context: ScenarioContext,
  options: MorningRushOptions,
): Promise<ScenarioResult> {
  const connector = await new CountingConnector().start();
  const instances: AppInstance[] = [];
  let connection: Connection | undefined;
  try {
    const startedAt = performance.now();
    const a = await startAppInstance(
      'A',
      instanceEnv(context.uri, context.dbName, {
        DEMO_SEED: 'true',
        DEMO_HISTORY: String(options.history),
      }),
    );
    instances.push(a);
    connection = await connectStore(context.uri, context.dbName);
    const staff = await prepareStaff(connection, options.staff);
    const team = demoTeam();
    await saveChats(
      connection,
      connector.url,
      team.map((user) => ({ scope: SCOPES.elmPark, user })),
    );
    const b = await startAppInstance('B', instanceEnv(context.uri, context.dbName));
    instances.push(b);
    const startUpMs = performance.now() - startedAt;
    const pupils = demoPupilIds();
    const tokens = await Promise.all(
      team.map((m, i) => devToken(instances[i % 2]!.baseUrl, m.aadObjectId)),
    );

    // One unmeasured submission per instance: the first request of a process compiles and warms.
    for (const [i, app] of instances.entries()) {
      await submitOnce(app, staff[i]!, pupils[pupils.length - 1 - i]!, connector.url);
    }
    const before = await recordsAndAudit(connection);

    const submits: Sample[] = [];
    const reports: Sample[] = [];
    const deskPolls: Sample[] = [];
    const draftIds: string[] = [];
    const rss = new Map<string, number>();
    let rushing = true;
    const sampler = setInterval(() => {
      for (const app of instances)
        rss.set(app.name, Math.max(rss.get(app.name) ?? 0, app.rssMb() ?? 0));
    }, 1_000);
    const pollers = team.map(async (_member, i) => {
      const app = instances[i % 2]!;
      await sleep((options.deskPollMs / team.length) * i);
      while (rushing) {
        const answer = await tabRequest(app.baseUrl, 'GET', '/api/tab/desk', tokens[i]);
        deskPolls.push({ ms: answer.ms, ok: answer.status === 200 });
        await sleep(options.deskPollMs);
      }
    });
    // The soak's own loop is nearly idle: its delay is the machine's (other work on two cores),
    // the floor under the instances' figures.
    const baseline = monitorEventLoopDelay({ resolution: 10 });
    baseline.enable();
    const rushStart = Date.now();
    const t0 = performance.now();
    const offsets = arrivals(options.staff, options.durationMs);
    await Promise.all(
      offsets.map(async (offset, i) => {
        await sleep(Math.max(0, offset - (performance.now() - t0)));
        const app = instances[i % 2]!;
        const user = staff[i]!;
        const report = await postActivity(app.baseUrl, reportCommand(user, connector.url));
        reports.push({ ms: report.ms, ok: report.status === 200 });
        const draftId = crypto.randomUUID();
        draftIds.push(draftId);
        const invoke = cardAction(user, connector.url, 'incident.submit', {
          ...formValues(pupils[i % pupils.length]!, new Date()),
          draftId,
        });
        const answer = await postActivity(app.baseUrl, invoke);
        const outcome: SubmitOutcome = referenceIn(answer)
          ? 'recorded'
          : messageIn(answer)?.startsWith('Not confirmed yet')
            ? 'late'
            : 'error';
        submits.push({ ms: answer.ms, ok: outcome !== 'error', outcome });
      }),
    );
    rushing = false;
    const rushEnd = Date.now();
    baseline.disable();
    const machineLoopMaxMs = baseline.max / 1e6;
    await Promise.all(pollers);
    clearInterval(sampler);

    const runtimes = await Promise.all(instances.map((app) => app.runtime()));
    const loopMax = runtimes.map((r) =>
      Math.max(
        0,
        ...r.seconds
          .filter((s) => s.at >= rushStart && s.at <= rushEnd + 1_000)
          .map((s) => s.loopMaxMs),
      ),
    );
    const peaks = instances.map((app) => app.peakRssMb() ?? Number.NaN);
    // What RSS was made of at its highest second of the rush: V8's committed heap and Buffers.
    const makeUp = runtimes.map((r) => {
      const top = r.seconds
        .filter((s) => s.at >= rushStart && s.at <= rushEnd + 1_000)
        .reduce<(typeof r.seconds)[number] | undefined>(
          (a, b) => (a && a.rssMb >= b.rssMb ? a : b),
          undefined,
        );
      return top
        ? `V8 heap committed ${mbText(top.heapTotalMb)}, external ${mbText(top.externalMb)}`
        : '-';
    });

    // Every record of the rush (answered in time or not) alerts the four members of the team, once.
    const rushRecords = await connection
      .collection<{ reference: string }>('incidents')
      .find({ idempotencyKey: { $in: draftIds } }, { projection: { reference: 1 } })
      .toArray();
    const references = new Set(rushRecords.map((r) => r.reference));
    const expectedCards = references.size * team.length;
    const deliveryStart = performance.now();
    await waitFor(
      () => connector.tally(references).delivered >= expectedCards,
      options.deliveryTimeoutMs,
    );
    const deliveryMs = performance.now() - deliveryStart;
    await sleep(2_000); // a few more worker passes, in case anything would go out twice
    const cards = connector.tally(references);
    const after = await recordsAndAudit(connection);
    const stored = after.records - before.records;
    const late = submits.filter((s) => s.outcome === 'late').length;

    const submit = summarize(submits.map((s) => s.ms));
    const report = summarize(reports.map((s) => s.ms));
    const desk = summarize(deskPolls.map((s) => s.ms));
    const failedSubmits = submits.filter((s) => s.outcome === 'error').length;
    const failedPolls = deskPolls.filter((s) => !s.ok).length;
    const maxInvoke = Math.max(submit.max, 0);
    const targets = [
      ...(submit.p95 >= RUSH_TARGETS.submitP95Ms ? [`submit p95 ${msText(submit.p95)}`] : []),
      ...(maxInvoke > RUSH_TARGETS.maxInvokeMs ? [`an invoke took ${msText(maxInvoke)}`] : []),
      ...(late > 0 ? [`${late} submits answered "not confirmed yet" (recorded later)`] : []),
      ...instances.flatMap((app, i) =>
        (peaks[i] ?? 0) > RUSH_TARGETS.rssMb ? [`${app.name} peak RSS ${mbText(peaks[i])}`] : [],
      ),
      ...instances.flatMap((app, i) =>
        (loopMax[i] ?? 0) > RUSH_TARGETS.loopMaxMs
          ? [`${app.name} event loop stalled ${msText(loopMax[i])}`]
          : [],
      ),
    ];
    const checks = [
      ...(failedSubmits > 0 ? [`${failedSubmits} submits answered with an error`] : []),
      ...(references.size !== submits.length
        ? [`${references.size} records for ${submits.length} forms`]
        : []),
      ...(stored !== submits.length
        ? [`${stored} records stored for ${submits.length} forms`]
        : []),
      ...(after.withoutAudit > 0
        ? [`${after.withoutAudit} records without their create event`]
        : []),
      ...(cards.delivered < expectedCards
        ? [`${cards.delivered} of ${expectedCards} alert cards delivered`]
        : []),
      ...(cards.duplicated > 0 ? [`${cards.duplicated} duplicate cards`] : []),
      ...(failedPolls > 0 ? [`${failedPolls} desk polls failed`] : []),
      ...instances.filter((app) => !app.alive()).map((app) => `${app.name} died`),
    ];
    return {
      name: `Morning rush: ${options.staff} staff over ${Math.round(options.durationMs / 1000)} s, two instances, the team polling the desk`,
      figures: [
        ['start-up (A seeds, B joins)', msText(startUpMs)],
        [
          'submits confirmed / "not confirmed yet" / error',
          `${submits.length - late - failedSubmits} / ${late} / ${failedSubmits}`,
        ],
        [
          'submit p50 / p95 / max',
          `${msText(submit.p50)} / ${msText(submit.p95)} / ${msText(submit.max)}`,
        ],
        ['report p95 / max', `${msText(report.p95)} / ${msText(report.max)}`],
        ['desk polls, p95 / max', `${desk.count}, ${msText(desk.p95)} / ${msText(desk.max)}`],
        ...instances.map((app, i): [string, string] => [
          `instance ${app.name} RSS rush max / life peak`,
          `${mbText(rss.get(app.name))} (${makeUp[i]}) / ${mbText(peaks[i])}`,
        ]),
        ...instances.map((app, i): [string, string] => [
          `instance ${app.name} event-loop max (rush)`,
          msText(loopMax[i]),
        ]),
        ['soak client event-loop max (the machine)', msText(machineLoopMaxMs)],
        ['load average (1 min) after the rush', os.loadavg()[0]!.toFixed(1)],
        ['records stored / without audit', `${stored} / ${after.withoutAudit}`],
        [
          'alert cards expected / delivered / duplicated',
          `${expectedCards} / ${cards.delivered} / ${cards.duplicated}`,
        ],
        ['alerts drained after the rush in', msText(deliveryMs)],
      ],
      ...verdictOf(checks, targets, context.quick),
    };
  } finally {
    await Promise.all(instances.map((app) => app.stop()));
    await connector.stop();
    if (connection) {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    }
  }
}

/** One `report` then Submit, outside the measurements. */
async function submitOnce(
  app: AppInstance,
  user: SimulatedUser,
  pupilId: string,
  serviceUrl: string,
) {
  await postActivity(app.baseUrl, reportCommand(user, serviceUrl));
  const answer = await postActivity(
    app.baseUrl,
    cardAction(user, serviceUrl, 'incident.submit', {
      ...formValues(pupilId, new Date()),
      draftId: crypto.randomUUID(),
    }),
  );
  if (!referenceIn(answer))
    throw new Error(`warm-up submit on ${app.name} answered ${answer.status}`);
}
