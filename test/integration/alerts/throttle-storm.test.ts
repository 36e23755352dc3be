import type { Connection } from 'mongoose';
import { DeliveryWorker, SendRateLimiter, type Alert } from '../../../src/alerts';
import { TEAMS_SEND_LIMITS, type WindowLimit } from '../../../src/alerts/rate-limiter';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { DEMO_TENANT } from '../../support/activities';
import { anIncidentInput } from '../../support/incident-builders';
import { LocalConnector, type ConnectorAnswer } from '../../support/local-connector';
import type { Clock } from '../../../src/shared/clock';
import { capturingLogger } from '../../support/silent-logger';
import { aDeliveryWorker } from '../../support/delivery-worker';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const SAM = '00000000-0000-0000-0000-000000000e01';
/** Records, each alerting the whole staff: about 115 cards over 19 chats. */
const RECORDS = 6;
/**
 * The storm: Teams' answers to the first this many sends (counted, not timed, so a slow machine
 * sees the same storm): every other one 429 with Retry-After, one in ten 503.
 */
const STORM_SENDS = 80;
/** The margin the app runs with (ALERT_SEND_MARGIN's default). */
const MARGIN = 0.95;

/**
 * The worker's clock: a fixed Monday morning in term, moving on in real time. The limiter paces
 * sends tens of milliseconds apart, finer than any pass-by-pass stepping a test could afford, so
 * the worker runs as in production (its own loop, its own timers) on this injected clock.
 */
class RunningClock implements Clock {
  private readonly offset: number;
  constructor(start: Date) {
    this.offset = start.getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
}

/** What the connector saw: when each send arrived (on the worker's clock) and how it answered. */
interface Arrival {
  readonly chat: string;
  readonly reference: string;
  readonly at: number;
  readonly status: number;
}

describe('a storm of 429s and 503s from Teams: nothing lost, nothing sent twice, the limits kept', () => {
  let connection: Connection;
  let services: AppServices;
  let connector: LocalConnector;
  let worker: DeliveryWorker;
  let clock: RunningClock;
  const arrivals: Arrival[] = [];
  let stormEndsAt = Number.POSITIVE_INFINITY;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    clock = new RunningClock(new Date('2026-11-23T10:00:00.000Z'));
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
    connector = await new LocalConnector().start();
    // Teams during the storm: 429 with Retry-After to every other send, 503 to one in ten.
    let n = 0;
    connector.respond = (call) => {
      if (call.method !== 'POST' || !call.path.includes('/activities')) return undefined;
      const at = clock.now().getTime();
      n++;
      if (n === STORM_SENDS) stormEndsAt = at;
      const answer: ConnectorAnswer =
        n > STORM_SENDS
          ? { status: 201, body: { id: `activity-${n}` } }
          : n % 10 === 5
            ? { status: 503, body: { error: { code: 'ServiceUnavailable' } } }
            : n % 2 === 0
              ? {
                  status: 429,
                  headers: { 'retry-after': '1' },
                  body: { error: { code: 'Throttled' } },
                }
              : { status: 201, body: { id: `activity-${n}` } };
      arrivals.push({
        chat: call.path.split('/')[3] ?? '',
        reference: String(call.body.summary ?? ''),
        at,
        status: answer.status,
      });
      return answer;
    };
    const { logger } = capturingLogger();
    const staff = await services.staff.listActiveStaff(SCOPE);
    for (const member of staff) {
      await services.references.save({
        ...SCOPE,
        aadObjectId: member.aadObjectId,
        reference: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          conversation: { id: `a:chat-${member.aadObjectId}`, conversationType: 'personal' },
          bot: { id: '28:bot', name: 'Safeguarding' },
          user: { id: `29:${member.aadObjectId}`, aadObjectId: member.aadObjectId },
        },
        updatedAt: clock.now(),
      });
    }
    worker = aDeliveryWorker(services, clock, logger, {
      limiter: new SendRateLimiter({ margin: MARGIN }),
      random: () => 0.5,
    });
    const sam = await services.staff.resolveActor(DEMO_TENANT, SAM);
    const everyoneElse = staff.map((m) => m.aadObjectId).filter((id) => id !== SAM);
    for (let i = 0; i < RECORDS; i++) {
      const { incident } = await services.incidents.recordIncident(
        sam,
        anIncidentInput({
          pupilId: 'EP1003',
          linkedPupils: [],
          agencyIds: [],
          alertStaffIds: everyoneElse.slice(0, 20),
          categoryIds: ['safeguarding'],
        }),
        `storm-${i}`,
      );
      await services.alerts.enqueueForIncident(incident);
    }
  });
  afterAll(async () => {
    await connector.stop();
    await dropTestStore(connection);
  });

  it('when half the sends get 429 with Retry-After and a tenth 503 for a stretch, then every card arrives once, no window is exceeded, and the backlog drains near the limit', async () => {
    const queued = await connection
      .collection<Alert>('alerts')
      .find({ kind: 'incident' })
      .toArray();
    expect(queued.length).toBeGreaterThan(100);

    // The worker runs as in production until nothing is left to send.
    const started = Date.now();
    worker.start(100);
    try {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const left = await connection
          .collection('alerts')
          .countDocuments({ kind: 'incident', status: { $ne: 'sent' } });
        if (left === 0 || Date.now() - started > 60_000) break;
      }
    } finally {
      await worker.stop();
    }

    // Nothing lost: every alert is sent, and Teams accepted exactly one card for each.
    const after = await connection.collection<Alert>('alerts').find({ kind: 'incident' }).toArray();
    expect(after.filter((a) => a.status !== 'sent')).toEqual([]);
    const accepted = arrivals.filter((a) => a.status === 201);
    const perCard = countBy(accepted, (a) => `${a.chat} ${a.reference}`);
    expect(perCard.size).toBe(after.length);
    expect([...perCard.values()].filter((n) => n !== 1)).toEqual([]);
    // The storm was real: many sends were refused, each one retried.
    const refused = arrivals.filter((a) => a.status !== 201);
    expect(refused.filter((a) => a.status === 429)).toHaveLength(STORM_SENDS / 2);
    expect(refused.filter((a) => a.status === 503)).toHaveLength(STORM_SENDS / 10);

    // A card told to wait (429 Retry-After: 1) was not sent again before the second was up.
    for (const told of refused.filter((a) => a.status === 429)) {
      const next = arrivals.find(
        (a) =>
          a.at >= told.at && a !== told && a.chat === told.chat && a.reference === told.reference,
      );
      expect(next!.at - told.at).toBeGreaterThanOrEqual(1_000);
    }

    // Every request counts against Teams' limits, refused or not: no window ever held too many.
    // Arrivals are stamped when the stand-in handles them, after the event loop and the HTTP
    // stack: on a loaded machine two sends the limiter spaced a full window apart can be handled a
    // few milliseconds closer. The windows are measured that much shorter (a real burst over the
    // limit is many sends, not a few milliseconds).
    const measured = (window: WindowLimit) => ({
      ...window,
      windowMs: window.windowMs - JITTER_MS,
    });
    for (const [, sends] of groupBy(arrivals, (a) => a.chat)) {
      for (const window of TEAMS_SEND_LIMITS.perChat) {
        expect(busiest(sends, measured(window))).toBeLessThanOrEqual(window.max);
      }
    }
    for (const window of TEAMS_SEND_LIMITS.perTenant) {
      expect(busiest(arrivals, measured(window))).toBeLessThanOrEqual(window.max);
    }

    // Once the storm is over, the backlog drains: every card still owed, each sent once, at the
    // limiter's pace. The busiest second after the storm shows that pace (the average also counts
    // the wait for the last Retry-After): 28 of 30 (0.93, the margin's cap) in three runs at a
    // load average of 9 on 2 cores. A machine busier still can make the store, not the limiter,
    // set the pace, so the suite asserts half the limit and the 0.9 target is asserted when asked
    // for (STORM_RATE_CHECK=1, on a quiet machine); the figures are always printed.
    // By order, not by stamp: sends released together (their intents share one insert) can
    // reach the stand-in in the storm's last millisecond.
    const drained = arrivals.slice(STORM_SENDS);
    expect(drained).toHaveLength(after.length - (STORM_SENDS - refused.length));
    const tenantLimit = TEAMS_SEND_LIMITS.perTenant[0]!.max;
    const busiestSecond = busiest(drained, { windowMs: 1_000, max: tenantLimit });
    const spanMs = Math.max(1, drained.at(-1)!.at - stormEndsAt);
    const average = (drained.length / spanMs) * 1_000;
    console.log(
      `throttle storm: ${after.length} cards, ${arrivals.length} sends (${refused.length} refused), ` +
        `${Date.now() - started} ms; after it ${drained.length} sends, busiest second ` +
        `${busiestSecond} = ${(busiestSecond / tenantLimit).toFixed(2)} of ${tenantLimit}/s, ` +
        `average ${average.toFixed(1)}/s over ${spanMs} ms`,
    );
    expect(busiestSecond / tenantLimit).toBeGreaterThanOrEqual(0.5);
    if (process.env.STORM_RATE_CHECK === '1') {
      expect(busiestSecond / tenantLimit).toBeGreaterThanOrEqual(0.9);
    }
  }, 120_000);
});

/** Scheduling delay between the limiter's decision and the stand-in's stamp (see above). */
const JITTER_MS = 50;

/** The most sends in any half-open interval of the window's length. */
function busiest(sends: readonly Arrival[], window: WindowLimit): number {
  const times = sends.map((s) => s.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (j < times.length && times[j]! < times[i]! + window.windowMs) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
