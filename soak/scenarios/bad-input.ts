import type { Connection } from 'mongoose';
import { connectStore } from '../../src/store/connection';
import { instanceEnv, startAppInstance, type AppInstance } from '../support/app-instance';
import { CountingConnector } from '../support/counting-connector';
import { waitFor } from '../support/pace';
import { countChanges, documentCounts } from '../support/records';
import { verdictOf, type ScenarioContext, type ScenarioResult } from '../support/scenario';
import {
  demoPupilIds,
  demoTeam,
  saveChats,
  SCOPES,
  seedOtherSchool,
  simulatedUser,
  TENANT_ID,
} from '../support/soak-school';
import { messageActivity } from '../../bench/support/teams-activities';
import { devToken, tabRequest } from '../support/tab-client';
import { cardAction, formValues, postActivity, referenceIn } from '../support/teams-client';
import { HOSTILE_REQUESTS, type HostileRequest, type Targets } from './hostile-requests';

/**
 * Collections a refused request may still add to, by design: the sender's own draft (every
 * attempt at the form is kept, so bad input loses nothing the person typed), the audit trail
 * (refusals at the edge are audited) and leases (background jobs claim their runs by the clock,
 * whatever the requests).
 */
const MAY_GROW = new Set(['incident_drafts', 'audit_events', 'leases']);
/** SOAK_VERBOSE=1 prints how each hostile request was answered. */
const VERBOSE = ['1', 'true'].includes(process.env.SOAK_VERBOSE ?? '');
const IN_FLIGHT = 20;

export interface BadInputOptions {
  /** Times the whole catalogue is sent, all rounds at once. */
  readonly rounds: number;
}

/** How one hostile request was answered, and whether that is a clear refusal. */
interface Verdict {
  readonly name: string;
  readonly status: number;
  readonly refused: boolean;
  readonly why: string;
}

/**
 * Bad input at volume (#18 part 8): the hostile catalogue (hostile-requests.ts) replayed
 * `rounds` times concurrently against one instance. Each must be refused with a clear message
 * (a 4xx with `{ code, message }`, a message, or the form back with its field messages), nothing
 * may be stored (document counts before and after, by collection), the process must stay up,
 * and nothing may leak into later requests (a teacher is still not the team afterwards).
 */
export async function badInput(
  context: ScenarioContext,
  options: BadInputOptions,
): Promise<ScenarioResult> {
  const connector = await new CountingConnector().start();
  let app: AppInstance | undefined;
  let connection: Connection | undefined;
  try {
    app = await startAppInstance(
      'A',
      instanceEnv(context.uri, context.dbName, { DEMO_SEED: 'true' }),
    );
    connection = await connectStore(context.uri, context.dbName);
    const other = await seedOtherSchool(connection);
    await saveChats(connection, connector.url, [
      ...demoTeam().map((user) => ({ scope: SCOPES.elmPark, user })),
      { scope: SCOPES.oakHill, user: other.dsl },
    ]);
    const targets = await prepareTargets(app, connection, connector.url, other);
    const before = await documentCounts(connection);

    const started = performance.now();
    const queue = Array.from({ length: options.rounds }, () => HOSTILE_REQUESTS).flat();
    const verdicts: Verdict[] = [];
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          verdicts.push(await judge(next, targets));
        }
      }),
    );
    const elapsedMs = performance.now() - started;

    const after = await documentCounts(connection);
    const changes = countChanges(before, after);
    const stored = changes.filter((c) => !MAY_GROW.has(c.split(' ')[0]!));
    const kept = changes.filter((c) => MAY_GROW.has(c.split(' ')[0]!));
    const up =
      app.alive() &&
      (await fetch(`${app.baseUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      ));
    // Prototype pollution would show up here: the teacher suddenly the team, or stepped up.
    const me = await tabRequest(app.baseUrl, 'GET', '/api/tab/me', targets.teacherToken);
    const stillATeacher =
      me.status === 200 &&
      (me.body as { isSafeguardingTeam?: unknown }).isSafeguardingTeam === false;
    const record = await tabRequest(
      app.baseUrl,
      'GET',
      `/api/tab/incidents/${targets.ownIncidentId}`,
      targets.teacherToken,
    );

    if (VERBOSE) {
      for (const v of new Map(verdicts.map((v) => [v.name, v])).values()) {
        process.stdout.write(
          `    ${v.refused ? 'refused' : 'HOLE   '} ${v.status} ${v.name}: ${v.why}\n`,
        );
      }
    }
    const holes = verdicts.filter((v) => !v.refused);
    const distinctHoles = [...new Map(holes.map((h) => [h.name, h])).values()];
    const checks = [
      ...distinctHoles.map((h) => `not refused clearly: ${h.name} (${h.status}, ${h.why})`),
      ...(stored.length > 0 ? [`stored: ${stored.join(', ')}`] : []),
      ...(up ? [] : ['the process went down']),
      ...(stillATeacher ? [] : ['the teacher is no longer only a teacher (pollution?)']),
      ...([403, 404].includes(record.status)
        ? []
        : [`a teacher reading a colleague’s record got ${record.status}`]),
    ];
    const statuses = new Map<number, number>();
    for (const v of verdicts) statuses.set(v.status, (statuses.get(v.status) ?? 0) + 1);
    return {
      name: `Bad input: ${HOSTILE_REQUESTS.length} hostile requests x ${options.rounds} rounds, ${IN_FLIGHT} at a time`,
      figures: [
        ['requests', `${verdicts.length} in ${Math.round(elapsedMs)} ms`],
        ['refused clearly', `${verdicts.length - holes.length}`],
        [
          'answers by status',
          [...statuses]
            .sort(([a], [b]) => a - b)
            .map(([s, n]) => `${s}: ${n}`)
            .join(', '),
        ],
        ['stored (records, actions, alerts …)', stored.length === 0 ? '0' : stored.join(', ')],
        [
          'kept by design (own drafts, audit, job leases)',
          kept.length === 0 ? 'none' : kept.join(', '),
        ],
        ['process up', up ? 'yes' : 'NO'],
      ],
      ...verdictOf(checks, [], context.quick),
    };
  } finally {
    await app?.stop();
    await connector.stop();
    if (connection) {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    }
  }
}

/** A record at each school (through the app, as staff would), its alert, and the tokens. */
async function prepareTargets(
  app: AppInstance,
  connection: Connection,
  serviceUrl: string,
  other: Awaited<ReturnType<typeof seedOtherSchool>>,
): Promise<Targets> {
  const teacher = simulatedUser('00000000-0000-0000-0000-000000000e01', 'Sam Taylor');
  const dsl = simulatedUser('00000000-0000-0000-0000-000000000e02', 'Priya Shah');
  const ownPupilId = demoPupilIds()[3]!;
  const record = async (who: typeof teacher, pupilId: string) => {
    const answer = await postActivity(
      app.baseUrl,
      cardAction(who, serviceUrl, 'incident.submit', {
        ...formValues(pupilId, new Date()),
        draftId: crypto.randomUUID(),
      }),
    );
    const reference = referenceIn(answer);
    if (!reference) throw new Error(`setting up: a submit answered ${answer.status}`);
    const incident = await connection
      .collection<{ incidentId: string; reference: string }>('incidents')
      .findOne({ reference });
    return incident!.incidentId;
  };
  // Another teacher's record: the attacking teacher may see only their own.
  const colleague = simulatedUser('00000000-0000-0000-0000-000000000e05', 'Tom Reilly');
  const ownIncidentId = await record(colleague, ownPupilId);
  // The teacher has talked to the bot: their 1:1 chat is theirs (a forged sender is caught there).
  await postActivity(app.baseUrl, messageActivity(teacher, TENANT_ID, serviceUrl, 'help'));
  const otherIncidentId = await record(other.teacher, other.pupilIds[0]!);
  const alerts = connection.collection<{ alertId: string; incidentId: string }>('alerts');
  await waitFor(
    async () => (await alerts.countDocuments({ incidentId: otherIncidentId })) > 0,
    30_000,
  );
  const otherAlert = await alerts.findOne({ incidentId: otherIncidentId });
  if (!otherAlert) throw new Error('setting up: the other school’s record has no alert');
  // The set-up's own alerts are delivered (and journalled) before the counts are taken.
  await waitFor(async () => (await alerts.countDocuments({ status: 'pending' })) === 0, 60_000);
  const dslToken = await devToken(app.baseUrl, dsl.aadObjectId, true);
  // The DSL's second factor is noted on the first use of the token, before the counts are taken.
  await tabRequest(app.baseUrl, 'GET', '/api/tab/me', dslToken);
  return {
    baseUrl: app.baseUrl,
    serviceUrl,
    teacher,
    dsl,
    teacherToken: await devToken(app.baseUrl, teacher.aadObjectId),
    dslToken,
    ownIncidentId,
    ownPupilId,
    otherIncidentId,
    otherPupilId: other.pupilIds[0]!,
    otherAlertId: otherAlert.alertId,
  };
}

/** Sends one request and says whether its answer is a clear refusal. */
async function judge(request: HostileRequest, targets: Targets): Promise<Verdict> {
  let answer;
  try {
    answer = await request.send(targets);
  } catch (error) {
    return {
      name: request.name,
      status: 0,
      refused: false,
      why: `no answer (${(error as Error).message})`,
    };
  }
  const { status, body } = answer;
  const verdict = (refused: boolean, why: string): Verdict => ({
    name: request.name,
    status,
    refused,
    why,
  });
  if (status >= 500 || status < 200) return verdict(false, 'a server error');
  if (status >= 400) {
    const shaped = body as { code?: unknown; message?: unknown } | undefined;
    return typeof shaped?.code === 'string' &&
      typeof shaped.message === 'string' &&
      shaped.message.length > 0
      ? verdict(true, 'refused')
      : verdict(false, 'a 4xx without { code, message }');
  }
  if (request.channel === 'tab') return verdict(false, 'accepted');
  const invoke = body as { type?: unknown; value?: unknown } | undefined;
  if (invoke?.type === 'application/vnd.microsoft.activity.message') {
    return typeof invoke.value === 'string' && invoke.value.length > 0
      ? verdict(true, 'a message')
      : verdict(false, 'an empty message');
  }
  if (invoke?.type === 'application/vnd.microsoft.card.adaptive') {
    if (referenceIn(answer as { status: number; body: unknown; ms: number }))
      return verdict(false, 'recorded');
    // The form back with a message by the field: the card's attention style marks it.
    return JSON.stringify(invoke.value).includes('attention')
      ? verdict(true, 'the form with its messages')
      : verdict(false, 'a card without a message');
  }
  return verdict(false, `an answer of type ${String(invoke?.type ?? typeof body)}`);
}
