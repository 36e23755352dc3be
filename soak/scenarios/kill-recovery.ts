import type { Connection } from 'mongoose';
import { connectStore } from '../../src/store/connection';
import { instanceEnv, startAppInstance, type AppInstance } from '../support/app-instance';
import { CountingConnector } from '../support/counting-connector';
import { seededRandom, sleep, waitFor } from '../support/pace';
import { recordsAndAudit } from '../support/records';
import { msText, verdictOf, type ScenarioContext, type ScenarioResult } from '../support/scenario';
import { demoPupilIds, demoTeam, prepareStaff, saveChats, SCOPES } from '../support/soak-school';
import { cardAction, formValues, postActivity, referenceIn } from '../support/teams-client';

/** Issue #18 part 3: reconciliation after a crash within the escalation ladder's first step. */
const RECOVERY_TARGET_MS = 30_000;

export interface KillRecoveryOptions {
  /** SIGKILLs of instance A, each 0–100 ms after a submit reached it. */
  readonly kills: number;
  /** How long to wait after a kill for the record's audit and alerts before calling it lost. */
  readonly recoveryTimeoutMs: number;
}

/**
 * kill -9 during a submit (#18, as its report tried by hand): two instances on one store; a
 * member of staff submits on A, A is killed 0–100 ms later, they press Submit again on B (the
 * same form, the same draftId: Teams' retry), and A restarts. Each time: is there exactly one
 * record, with its `record.create` audit event, and did every member of the team get its alert
 * exactly once? Recovery time is from the kill until all of that is true.
 */
export async function killRecovery(
  context: ScenarioContext,
  options: KillRecoveryOptions,
): Promise<ScenarioResult> {
  const connector = await new CountingConnector().start();
  const live: AppInstance[] = [];
  let connection: Connection | undefined;
  try {
    let a = await startAppInstance(
      'A',
      instanceEnv(context.uri, context.dbName, { DEMO_SEED: 'true' }),
    );
    live.push(a);
    connection = await connectStore(context.uri, context.dbName);
    const team = demoTeam();
    await saveChats(
      connection,
      connector.url,
      team.map((user) => ({ scope: SCOPES.elmPark, user })),
    );
    const staff = await prepareStaff(connection, options.kills);
    const b = await startAppInstance('B', instanceEnv(context.uri, context.dbName));
    live.push(b);
    const pupils = demoPupilIds();
    const random = seededRandom(9);

    const recoveries: number[] = [];
    const restarts: number[] = [];
    const draftIds: string[] = [];
    let cutOff = 0;
    let unrecovered = 0;
    let waitingForAudit = 0;
    let waitingForAlerts = 0;
    const references = new Set<string>();
    for (let k = 0; k < options.kills; k += 1) {
      const user = staff[k]!;
      const data = {
        ...formValues(pupils[(k * 7) % pupils.length]!, new Date()),
        draftId: crypto.randomUUID(),
      };
      draftIds.push(data.draftId);
      const delay = Math.floor(random() * 100);
      const first = postActivity(
        a.baseUrl,
        cardAction(user, connector.url, 'incident.submit', data),
      ).then(
        (answer) => referenceIn(answer),
        () => undefined,
      );
      await sleep(delay);
      const killedAt = performance.now();
      await a.kill9();
      live.splice(live.indexOf(a), 1);
      if ((await first) === undefined) cutOff += 1;
      // Teams shows an error; the person presses Submit again, now answered by B.
      const retry = referenceIn(
        await postActivity(b.baseUrl, cardAction(user, connector.url, 'incident.submit', data)),
      );
      if (retry) references.add(retry);
      // A restarts meanwhile; recovery is whichever instance gets there first.
      const restartStart = performance.now();
      const restarting = startAppInstance(`A${k + 2}`, instanceEnv(context.uri, context.dbName));
      const recovered = await waitFor(async () => {
        const audit = await recordsAndAudit(connection!);
        const cards = connector.tally(references);
        return audit.withoutAudit === 0 && cards.delivered >= references.size * team.length;
      }, options.recoveryTimeoutMs);
      if (recovered) recoveries.push(performance.now() - killedAt);
      else {
        unrecovered += 1;
        // Which promise was still open at the timeout: the audit event or the alerts.
        if ((await recordsAndAudit(connection)).withoutAudit > 0) waitingForAudit += 1;
        if (connector.tally(references).delivered < references.size * team.length) {
          waitingForAlerts += 1;
        }
      }
      a = await restarting;
      live.push(a);
      restarts.push(performance.now() - restartStart);
    }
    await sleep(2_000); // a few more worker passes, in case anything would go out twice

    const audit = await recordsAndAudit(connection);
    const perDraft = await connection
      .collection('incidents')
      .countDocuments({ idempotencyKey: { $in: draftIds } });
    const cards = connector.tally(references);
    const expectedCards = references.size * team.length;
    const worst = Math.max(0, ...recoveries);
    const checks = [
      ...(perDraft !== options.kills ? [`${perDraft} records for ${options.kills} forms`] : []),
      ...(audit.withoutAudit > 0
        ? [`${audit.withoutAudit} records without their create event`]
        : []),
      ...(cards.delivered < expectedCards
        ? [`${cards.delivered} of ${expectedCards} alert cards`]
        : []),
      ...(cards.duplicated > 0 ? [`${cards.duplicated} duplicate cards`] : []),
      ...(unrecovered > 0
        ? [`${unrecovered} kills not recovered in ${msText(options.recoveryTimeoutMs)}`]
        : []),
    ];
    const targets = worst > RECOVERY_TARGET_MS ? [`recovery took ${msText(worst)}`] : [];
    return {
      name: `kill -9 during a submit: ${options.kills} kills of instance A, retried on B`,
      figures: [
        ['kills (answer cut off)', `${options.kills} (${cutOff})`],
        ['records for the forms (expected)', `${perDraft} (${options.kills})`],
        ['records without audit at the end', String(audit.withoutAudit)],
        [
          'alert cards expected / delivered / duplicated',
          `${expectedCards} / ${cards.delivered} / ${cards.duplicated}`,
        ],
        [
          'recovery (kill to audited and alerted) median / max',
          `${msText(median(recoveries))} / ${msText(worst)}`,
        ],
        ['restart of A median', msText(median(restarts))],
        [
          'kills not recovered in time: audit / alerts missing then',
          `${unrecovered}: ${waitingForAudit} / ${waitingForAlerts}`,
        ],
      ],
      ...verdictOf(checks, targets, context.quick),
    };
  } finally {
    await Promise.all(live.map((app) => app.stop()));
    await connector.stop();
    if (connection) {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    }
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
}
