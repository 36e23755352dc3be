import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toSchoolDateTime } from '../../../src/shared/school-time';
import { cardAction, STAFF_USER } from '../../support/activities';
import { spawnApp, type AppProcess } from '../../support/app-process';
import { LocalConnector } from '../../support/local-connector';
import { waitUntil } from '../../support/wait-until';

// A store that stalls (here its process frozen with SIGSTOP: the socket stays open and nothing
// answers) must not hold Teams' card buttons past its ~5 s, nor a load balancer's /readyz; once
// it answers again the app carries on without a restart, and nothing is recorded twice.

/** Teams gives up on an invoke after about five seconds. */
const TEAMS_INVOKE_TIMEOUT_MS = 5_000;
/** What /readyz promises a load balancer (the probe's own timeout is usually a few seconds). */
const READYZ_PROMISE_MS = 1_000;
/** Slack for a busy test machine on top of those deadlines (scheduling, not the store). */
const SLACK_MS = 1_500;

function storePidFrom(lines: string[]): number {
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; pid?: number };
    if (entry.msg === 'embedded store started' && entry.pid) return entry.pid;
  }
  throw new Error('the app did not log the embedded store pid');
}

/** Sam's filled form for the draft, posted as Teams posts an Action.Execute. */
function submitActivity(draftId: string, serviceUrl: string): unknown {
  // Yesterday at this time: in the past whenever the test runs.
  const { date, time } = toSchoolDateTime(new Date(Date.now() - 24 * 3_600_000));
  return {
    ...cardAction(
      'incident.submit',
      {
        draftId,
        pupilId: 'EP1003',
        happenedDate: date,
        happenedTime: time,
        transcribedFromPaper: 'false',
        location: 'Year 4 classroom',
        facts: 'Said at lunch that nobody collects them after school.',
        childsWords: 'Nobody comes for me.',
        adultsWords: '',
        opinion: '',
        actionTaken: 'Told the DSL in person.',
        actionRequired: '',
        categoryIds: 'safeguarding',
        agencyIds: '',
        alertStaffIds: '',
      },
      { from: STAFF_USER },
    ),
    id: `invoke-${draftId}`,
    serviceUrl,
  };
}

/** A process's state letter from /proc (R running, S sleeping, T stopped). */
function processState(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

describe('a stalled store (SIGSTOP of the embedded store under node dist/main.js)', () => {
  let dataDir: string;
  let app: AppProcess | undefined;
  let storePid = 0;
  // Teams' connector, where the bot replaces the form's message once it is recorded.
  const connector = new LocalConnector();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-stall-'));
    await connector.start();
  });
  afterAll(async () => {
    // Never leave a frozen store behind, whatever failed.
    if (storePid) {
      try {
        process.kill(storePid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    if (app && app.child.exitCode === null) {
      app.child.kill('SIGINT');
      await app.exited;
    }
    await connector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the store stops answering, then /readyz says 503 within a second and a submit answers "not confirmed yet" before Teams gives up; when it answers again, the same form is recorded once', async () => {
    app = spawnApp({
      APP_MODE: 'development',
      PORT: '0',
      EMBEDDED_STORE_DIR: dataDir,
      PLAYGROUND: 'false',
      LOG_LEVEL: 'info',
    });
    const endpoint = await app.waitForLine((l) => l.includes('Bot endpoint:'), 90_000);
    const baseUrl = /(http:\/\/\S+)\/api\/messages/.exec(endpoint)![1]!;
    storePid = storePidFrom(app.stdout);
    const post = async (activity: unknown) => {
      const response = await fetch(`${baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
      };
    };
    const readyz = async () => (await fetch(`${baseUrl}/readyz`)).status;
    expect(await readyz()).toBe(200);

    process.kill(storePid, 'SIGSTOP');
    // kill() returns before the store's threads have stopped: wait until Linux says it has.
    await waitUntil('the store is stopped', () => processState(storePid) === 'T', {
      timeoutMs: 5_000,
      intervalMs: 10,
    });
    const probe = await timed(readyz);
    expect(probe.value).toBe(503);
    expect(probe.ms).toBeLessThan(READYZ_PROMISE_MS + SLACK_MS);

    const draftId = randomUUID();
    const stalled = await timed(() => post(submitActivity(draftId, connector.url)));
    expect(stalled.ms).toBeLessThan(TEAMS_INVOKE_TIMEOUT_MS);
    // A message answer: Teams leaves the card, and all that was typed, as it is on screen.
    expect(stalled.value).toEqual({
      status: 200,
      body: expect.objectContaining({
        type: 'application/vnd.microsoft.activity.message',
        value: expect.stringContaining('Not confirmed yet'),
      }),
    });

    process.kill(storePid, 'SIGCONT');
    await waitUntil('the store answers again', async () => (await readyz()) === 200, {
      timeoutMs: 30_000,
    });
    // Pressing Submit again, as the message asks, until the store has caught up with what
    // queued while it was stopped: then the record (stored late or now), once.
    const again = await waitUntil(
      'the same form answers with its record',
      async () => {
        const answer = await post(submitActivity(draftId, connector.url));
        return answer.body.type === 'application/vnd.microsoft.card.adaptive' && answer;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    const reference = /[A-Z]+-\d{4}-\d{5}/.exec(JSON.stringify(again.body.value))?.[0];
    expect(reference).toBeDefined();
    const third = await post(submitActivity(draftId, connector.url));
    expect(JSON.stringify(third.body.value)).toContain(reference);
    // Nothing was lost or left half-done: the app carries on without a restart.
    const next = await timed(() => post(submitActivity(randomUUID(), connector.url)));
    expect(next.value.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(next.value.body.value)).not.toContain(reference);
  }, 180_000);
});
