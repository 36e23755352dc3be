import type { Connection } from 'mongoose';
import { DeliveryWorker, SendRateLimiter, type Alert } from '../../../src/alerts';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { createAdapter } from '../../../src/bot/adapter';
import { TeamsAlertChannel } from '../../../src/bot/alerts/teams-alert-channel';
import { loadConfig } from '../../../src/config';
import { seedDemo } from '../../../src/demo/seed-demo';
import type { Actor } from '../../../src/staff';
import { DEMO_TENANT } from '../../support/activities';
import { textsOf } from '../../support/cards';
import { anIncidentInput } from '../../support/incident-builders';
import { LocalConnector } from '../../support/local-connector';
import { MutableClock } from '../../support/mutable-clock';
import { capturingLogger } from '../../support/silent-logger';
import { aDeliveryWorker } from '../../support/delivery-worker';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const aad = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const SAM = aad('01');
const PRIYA = aad('02'); // DSL
const DANIEL = aad('03'); // deputy DSL

describe('alert delivery through the real CloudAdapter to a connector that behaves like Teams', () => {
  let connection: Connection;
  let services: AppServices;
  let connector: LocalConnector;
  let worker: DeliveryWorker;
  let clock: MutableClock;
  let logLines: string[];
  let keys = 0;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    // 10:00 on a Monday in term: school time.
    clock = new MutableClock(new Date('2026-11-23T10:00:00.000Z'));
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
    connector = await new LocalConnector().start();
    const { logger, lines } = capturingLogger();
    logLines = lines;
    // Everyone on staff has the app: a saved 1:1 conversation at the local connector.
    for (const member of await services.staff.listActiveStaff(SCOPE)) {
      await services.references.save({
        ...SCOPE,
        aadObjectId: member.aadObjectId,
        reference: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          conversation: {
            id: `a:chat-${member.aadObjectId}`,
            conversationType: 'personal',
            tenantId: DEMO_TENANT,
          },
          bot: { id: '28:bot', name: 'Safeguarding' },
          user: { id: `29:${member.aadObjectId}`, aadObjectId: member.aadObjectId },
        },
        updatedAt: clock.now(),
      });
    }
    const adapter = createAdapter(loadConfig({ APP_MODE: 'development' }), logger);
    const channel = new TeamsAlertChannel(
      adapter,
      '',
      services.references,
      services.alerts,
      logger,
    );
    worker = new DeliveryWorker({
      repository: services.alertRepository,
      alerts: services.alerts,
      channel,
      leases: services.leases,
      limiter: new SendRateLimiter(),
      clock,
      logger,
      random: () => 0.5,
      concurrency: 1,
    });
  });
  afterAll(async () => {
    await connector.stop();
    await dropTestStore(connection);
  });

  async function actor(aadObjectId: string): Promise<Actor> {
    return services.staff.resolveActor(DEMO_TENANT, aadObjectId);
  }

  async function record(): Promise<{ incidentId: string; reference: string }> {
    // Each record a moment after the last: the limiter paces sends, so a whole test file's alerts
    // at one frozen instant would be held back after the first burst.
    clock.advance(2_000);
    const input = anIncidentInput({
      pupilId: 'EP1003',
      linkedPupils: [],
      agencyIds: [],
      alertStaffIds: [aad('05')],
      categoryIds: ['safeguarding'],
    });
    const { incident } = await services.incidents.recordIncident(
      await actor(SAM),
      input,
      `k-${++keys}`,
    );
    await services.alerts.enqueueForIncident(incident);
    return incident;
  }

  const alertsOf = async (incidentId: string): Promise<Alert[]> =>
    services.alertRepository.forIncident(SCOPE, incidentId, 'incident');
  const postsTo = (aadObjectId: string) =>
    connector.calls.filter(
      (c) => c.method === 'POST' && c.path.includes(encodeURIComponent(`a:chat-${aadObjectId}`)),
    );

  it('when a record is stored, then each recipient gets exactly one private card with no name or narrative', async () => {
    const incident = await record();
    const queued = await alertsOf(incident.incidentId);
    // The team (DSL, two deputies, SENDCo) plus Tom, whom Sam chose; never Sam himself.
    expect(queued.map((a) => a.recipientAadObjectId)).not.toContain(SAM);
    expect(queued.map((a) => a.recipientAadObjectId)).toEqual(
      expect.arrayContaining([PRIYA, DANIEL, aad('05')]),
    );

    await worker.runOnce();
    for (const alert of await alertsOf(incident.incidentId)) {
      expect(alert.status).toBe('sent');
      expect(alert.activityId).toMatch(/^activity-/);
      expect(postsTo(alert.recipientAadObjectId)).toHaveLength(1);
    }
    const card = postsTo(PRIYA)[0]!.body;
    const shown = JSON.stringify(card);
    expect(shown).toContain(incident.reference);
    expect(textsOf(card).join('\n')).toContain('Sam Taylor');
    for (const secret of ['Jamie', 'MY DAD HIT ME', 'bruise', 'Alexander', 'Novak'])
      expect(shown).not.toContain(secret);

    // A second pass sends nothing again.
    const before = connector.calls.length;
    await worker.runOnce();
    expect(connector.calls.length).toBe(before);
  });

  it('when Teams answers 429 with Retry-After, then the alert waits at least that long and is then sent once', async () => {
    connector.script({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { code: 'Throttled' } },
    });
    const incident = await record();
    await worker.runOnce();
    const throttled = (await alertsOf(incident.incidentId)).find((a) => a.status === 'pending')!;
    expect(throttled.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(clock.now().getTime() + 7_000);
    expect(throttled.attempts).toBe(1);

    await worker.runOnce(); // not due yet
    expect((await services.alertRepository.get(throttled.alertId))?.status).toBe('pending');
    clock.advance(10_000);
    await worker.runOnce();
    expect((await services.alertRepository.get(throttled.alertId))?.status).toBe('sent');
    const successes = postsTo(throttled.recipientAadObjectId).filter((c) =>
      JSON.stringify(c.body).includes(incident.reference),
    );
    expect(successes).toHaveLength(2); // the throttled try and the delivery
  });

  it('when Teams answers 429 without Retry-After, 412 or 502, then each is retried with backoff until sent', async () => {
    for (const status of [429, 412, 502]) {
      connector.script({ status, body: { error: { code: `E${status}` } } });
      const incident = await record();
      await worker.runOnce();
      const failed = (await alertsOf(incident.incidentId)).find((a) => a.status === 'pending');
      expect(failed?.lastError).toBeTruthy();
      expect(failed!.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
      clock.advance(6 * 60_000);
      await worker.runOnce();
      expect((await alertsOf(incident.incidentId)).every((a) => a.status === 'sent')).toBe(true);
    }
  });

  it('when Teams answers 403 MessageWritesBlocked, then the alert is undeliverable and the team is told', async () => {
    // Tom has blocked the bot: his chat answers 403.
    connector.script({
      pathIncludes: encodeURIComponent(`a:chat-${aad('05')}`),
      status: 403,
      body: { error: { code: 'MessageWritesBlocked', message: 'blocked' } },
    });
    const incident = await record();
    await worker.runOnce();
    const all = await alertsOf(incident.incidentId);
    const blocked = all.find((a) => a.status === 'undeliverable')!;
    expect(blocked).toBeDefined();
    const notices = await services.alertRepository.forIncident(
      SCOPE,
      incident.incidentId,
      'undeliverable-notice',
    );
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.map((n) => n.recipientAadObjectId)).not.toContain(blocked.recipientAadObjectId);
    // The worker's next pass, a moment later (the team's chats just had a burst of sends).
    clock.advance(1_000);
    await worker.runOnce();
    const sentNotice = (
      await services.alertRepository.forIncident(SCOPE, incident.incidentId, 'undeliverable-notice')
    )[0]!;
    expect(sentNotice.status).toBe('sent');
    const noticeCard = postsTo(sentNotice.recipientAadObjectId).at(-1)!.body;
    expect(textsOf(noticeCard).join('\n')).toContain('could not be delivered');
  });

  it('when the record is in a category kept to the team, then the colleague the recorder chose is not alerted', async () => {
    const { incident } = await services.incidents.recordIncident(
      await actor(SAM),
      anIncidentInput({
        pupilId: 'EP1003',
        linkedPupils: [],
        agencyIds: [],
        alertStaffIds: [aad('05')],
        categoryIds: ['child-protection'],
      }),
      `k-${++keys}`,
    );
    await services.alerts.enqueueForIncident(incident);
    const recipients = (await alertsOf(incident.incidentId)).map((a) => a.recipientAadObjectId);
    expect(recipients).toEqual(expect.arrayContaining([PRIYA, DANIEL]));
    expect(recipients).not.toContain(aad('05'));
  });

  it('when the DSL acknowledges, then a second click changes nothing, others cannot, and the recorder gets one receipt', async () => {
    const incident = await record();
    await worker.runOnce();
    const priyas = (await alertsOf(incident.incidentId)).find(
      (a) => a.recipientAadObjectId === PRIYA,
    )!;

    const first = await services.alerts.acknowledge(await actor(PRIYA), priyas.alertId);
    expect(first.changed).toBe(true);
    expect(first.othersToUpdate.length).toBeGreaterThan(0);
    const again = await services.alerts.acknowledge(await actor(PRIYA), priyas.alertId);
    expect(again.changed).toBe(false);
    expect(again.acknowledgedAt).toEqual(first.acknowledgedAt);
    await expect(
      services.alerts.acknowledge(await actor(DANIEL), priyas.alertId),
    ).rejects.toMatchObject({
      code: 'ALERT.NOT_RECIPIENT',
    });

    // Daniel acknowledges his own copy too: still one receipt.
    const daniels = (await alertsOf(incident.incidentId)).find(
      (a) => a.recipientAadObjectId === DANIEL,
    )!;
    await services.alerts.acknowledge(await actor(DANIEL), daniels.alertId);
    // The audit holds one acknowledgement each (the repeat click adds none) and the refusal.
    const audited = await services.auditEvents.listForTarget(SCOPE, incident.incidentId, 20);
    expect(
      audited.filter((e) => e.action === 'alert.acknowledge').map((e) => e.actorAadObjectId),
    ).toEqual([DANIEL, PRIYA]);
    expect(await services.auditEvents.listForTarget(SCOPE, priyas.alertId, 5)).toEqual([
      expect.objectContaining({ action: 'access.denied', actorAadObjectId: DANIEL }),
    ]);
    const receipts = await services.alertRepository.forIncident(
      SCOPE,
      incident.incidentId,
      'receipt',
    );
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.recipientAadObjectId).toBe(SAM);
    clock.advance(1_000);
    await worker.runOnce();
    expect(textsOf(postsTo(SAM).at(-1)!.body).join('\n')).toContain(
      'The safeguarding team has your concern',
    );
  });

  it('when nobody on the team acknowledges in 15 minutes of school time, then the alert goes again up the ladder', async () => {
    const incident = await record();
    await worker.runOnce();
    const firstWave = (await alertsOf(incident.incidentId)).length;
    clock.advance(16 * 60_000);
    await worker.runOnce(); // escalation queues the next wave
    await worker.runOnce(); // and sends it
    const all = await alertsOf(incident.incidentId);
    expect(all.length).toBeGreaterThan(firstWave);
    const later = all.filter((a) => a.wave > 0);
    expect(later.every((a) => a.reason === 'escalation')).toBe(true);
    expect(later.map((a) => a.recipientAadObjectId)).toContain(DANIEL);
    // Once a team member acknowledges, escalation stops.
    await services.alerts.acknowledge(
      await actor(PRIYA),
      all.find((a) => a.recipientAadObjectId === PRIYA)!.alertId,
    );
    const count = (await alertsOf(incident.incidentId)).length;
    clock.advance(60 * 60_000);
    await worker.runOnce();
    expect((await alertsOf(incident.incidentId)).length).toBe(count);
  });

  it('when an escalation update overwrites the job after the DSL acknowledged, then escalation still stops', async () => {
    const incident = await record();
    await worker.runOnce();
    const priyas = (await alertsOf(incident.incidentId)).find(
      (a) => a.recipientAadObjectId === PRIYA,
    )!;
    await services.alerts.acknowledge(await actor(PRIYA), priyas.alertId);
    // What a racing escalation $set does on FerretDB: the job's cached flag is lost.
    await connection
      .collection('alert_escalations')
      .updateOne(
        { incidentId: incident.incidentId },
        { $unset: { teamAcknowledgedAt: '' }, $set: { nextCheckAt: clock.now() } },
      );
    const before = (await alertsOf(incident.incidentId)).length;
    clock.advance(2 * 60 * 60_000);
    await worker.runOnce();
    expect((await alertsOf(incident.incidentId)).length).toBe(before);
    const open = await services.alerts.listOpen(await actor(PRIYA));
    expect(open.unacknowledged.map((a) => a.incidentId)).not.toContain(incident.incidentId);
  });

  it('when nobody on the team has acknowledged a record, then the open alerts list it once, except to someone with a conflict about its pupil', async () => {
    const incident = await record();
    await worker.runOnce();
    const priya = await actor(PRIYA);
    const open = await services.alerts.listOpen(priya);
    expect(open.unacknowledged.filter((a) => a.incidentId === incident.incidentId)).toHaveLength(1);
    const conflicted = await services.alerts.listOpen({ ...priya, conflictPupilIds: ['EP1003'] });
    expect(conflicted.unacknowledged.map((a) => a.incidentId)).not.toContain(incident.incidentId);
  });

  it('when Teams does not answer within the send deadline, then the send counts as failed and is retried', async () => {
    const { logger, lines } = capturingLogger();
    const impatient = aDeliveryWorker(services, clock, logger, {
      sendDeadlineMs: 500,
      random: () => 0.5,
      concurrency: 1,
    });
    // Teams is slow on Priya's chat: its answer would arrive long after the 500 ms deadline.
    connector.script({
      pathIncludes: encodeURIComponent(`a:chat-${PRIYA}`),
      status: 201,
      delayMs: 5_000,
      body: { id: 'too-late' },
    });
    await record();
    // Without the deadline this send would wait for the late 201 and be recorded as sent.
    await impatient.runOnce();
    const retries = lines.filter((l) => l.includes('"alerts.retry"'));
    expect(retries).toHaveLength(1);
    const retried = await services.alertRepository.get(JSON.parse(retries[0]!).alertId as string);
    expect(retried?.recipientAadObjectId).toBe(PRIYA);
    expect(retried?.status).toBe('pending');
    expect(retried?.activityId).toBeUndefined();
  });

  /** A record whose alerts a crash cut short: stored through the service, nothing queued. */
  async function recordedWithoutAlerts(recorder: Actor) {
    const { incident } = await services.incidents.recordIncident(
      recorder,
      anIncidentInput({
        pupilId: 'EP1004',
        linkedPupils: [],
        agencyIds: [],
        alertStaffIds: [],
        categoryIds: ['bullying'],
        bodyMap: [],
      }),
      `k-${++keys}`,
    );
    expect(await alertsOf(incident.incidentId)).toHaveLength(0);
    return incident;
  }

  /** A second instance's delivery worker on the same store (a restart, or the survivor). */
  function anotherInstance(): DeliveryWorker {
    const { logger } = capturingLogger();
    return aDeliveryWorker(services, clock, logger);
  }

  it('when a record was stored but its alerts were never queued (a crash in between), then the worker queues and sends them', async () => {
    const sam = await actor(SAM);
    const incident = await recordedWithoutAlerts(sam);
    // A fresh worker, as after a restart: its first pass reconciles.
    const restarted = anotherInstance();
    clock.advance(10 * 60_000); // past any reconcile lease of the other worker
    // Drain as a restarted instance would: earlier records' escalation waves are due too, and the
    // per-chat rate limit spreads them over seconds.
    for (let pass = 0; pass < 30; pass++) {
      const done = await restarted.runOnce();
      if (pass > 0 && done.sent + done.retried + done.escalated + done.postponed === 0) break;
      clock.advance(1_000);
    }
    const queued = await alertsOf(incident.incidentId);
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((a) => a.status === 'sent')).toBe(true);
  });

  it('when a crash cut a record’s alerts short and the dead instance holds the weekly sweep’s lease, then another instance queues them within the first escalation step', async () => {
    const sam = await actor(SAM);
    const incident = await recordedWithoutAlerts(sam);
    // The crashed instance had just taken the weekly sweep for its five minutes.
    await services.leases.claim('alerts:reconcile', 'dead-instance', 5 * 60_000, clock.now());
    const survivor = anotherInstance();
    clock.advance(20_000); // past any recent-reconcile lease; well inside the weekly one
    await survivor.runOnce();
    expect((await alertsOf(incident.incidentId)).length).toBeGreaterThan(0);
  });

  it('when delivery is logged, then no narrative or pupil name appears', () => {
    const all = logLines.join('\n');
    expect(all).toContain('alerts.sent');
    for (const secret of ['MY DAD HIT ME', 'Jamie', 'Alexander', 'bruise'])
      expect(all).not.toContain(secret);
  });
});
