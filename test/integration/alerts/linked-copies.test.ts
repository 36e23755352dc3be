import type { Connection } from 'mongoose';
import type { DeliveryWorker, DeliveryWorkerOptions } from '../../../src/alerts';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { createAdapter } from '../../../src/bot/adapter';
import { TeamsAlertChannel } from '../../../src/bot/alerts/teams-alert-channel';
import { SafeguardingBot } from '../../../src/bot/safeguarding-bot';
import { loadConfig } from '../../../src/config';
import { seedDemo } from '../../../src/demo/seed-demo';
import type { Logger } from '../../../src/shared/logger';
import { cardAction, DEMO_TENANT } from '../../support/activities';
import { aDeliveryWorker } from '../../support/delivery-worker';
import { anIncidentInput } from '../../support/incident-builders';
import { LocalConnector, type ConnectorCall } from '../../support/local-connector';
import { MutableClock } from '../../support/mutable-clock';
import { RecordingTestAdapter } from '../../support/recording-test-adapter';
import { capturingLogger } from '../../support/silent-logger';
import { dropTestStore, openTestStore } from '../../support/test-store';
import { waitUntil } from '../../support/wait-until';

// Teams has no idempotency key and a bot cannot read its chat back, so an instance that dies
// between Teams' 201 and its journal leaves a card nobody recorded; the next claimer must send
// again. These tests cut an instance there (and at the points either side) the way a crash does:
// from the cut on, nothing the instance would still do happens (its writes, its lease renewals).

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const SAM = '00000000-0000-0000-0000-000000000e01';
/** Where an instance dies: after journalling a send's intent, after Teams' 201, after the journal. */
type CutPoint = 'after-intent' | 'after-201' | 'after-journal';
const LEASE_MS = 30_000;

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** The alert card a POST or PUT carried, as the connector received it. */
function cardOf(call: ConnectorCall): Record<string, unknown> | undefined {
  const attachments = call.body.attachments as { content?: Record<string, unknown> }[] | undefined;
  return attachments?.[0]?.content;
}
/** The alert and send a card names (its refresh clause). */
function sendOf(call: ConnectorCall): { alertId?: string; sendId?: string } {
  const refresh = cardOf(call)?.refresh as { action?: { data?: Record<string, string> } };
  return { alertId: refresh?.action?.data?.alertId, sendId: refresh?.action?.data?.sendId };
}
const hasAcknowledge = (call: ConnectorCall) =>
  JSON.stringify(cardOf(call) ?? {}).includes('"verb":"alert.acknowledge"');

describe('duplicate alert cards after a crash between the send and its journal', () => {
  let connection: Connection;
  let services: AppServices;
  let connector: LocalConnector;
  let clock: MutableClock;
  let logger: Logger;
  let logLines: string[];
  let survivor: DeliveryWorker;
  let bot: RecordingTestAdapter;
  let channel: TeamsAlertChannel;
  let keys = 0;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    // 10:00 on a Monday in term.
    clock = new MutableClock(new Date('2026-11-23T10:00:00.000Z'));
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
    connector = await new LocalConnector().start();
    ({ logger, lines: logLines } = capturingLogger());
    for (const member of await services.staff.listActiveStaff(SCOPE)) {
      await services.references.save({
        ...SCOPE,
        aadObjectId: member.aadObjectId,
        reference: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          conversation: { id: chatOf(member.aadObjectId), conversationType: 'personal' },
          bot: { id: '28:bot', name: 'Safeguarding' },
          user: { id: `29:${member.aadObjectId}`, aadObjectId: member.aadObjectId },
        },
        updatedAt: clock.now(),
      });
    }
    channel = realChannel();
    survivor = aDeliveryWorker(services, clock, logger, { leaseMs: LEASE_MS });
    const app = new SafeguardingBot({ ...services, alertCards: channel, clock, logger });
    bot = new RecordingTestAdapter((context) => app.run(context));
  });
  afterAll(async () => {
    await connector.stop();
    await dropTestStore(connection);
  });

  const chatOf = (aadObjectId: string) => `a:chat-${aadObjectId}`;

  function realChannel(): TeamsAlertChannel {
    const adapter = createAdapter(loadConfig({ APP_MODE: 'development' }), logger);
    return new TeamsAlertChannel(adapter, '', services.references, services.alerts, logger);
  }

  /**
   * An instance that dies at `cut`: its store, leases and channel answer nothing from then on
   * (a promise that never settles), as if the process were gone. One send at a time, so one
   * alert is cut per instance.
   */
  function instanceDyingAt(cut: CutPoint): { worker: DeliveryWorker; dead: () => boolean } {
    let dead = false;
    const live =
      <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
      (...args: A): Promise<R> =>
        dead ? never<R>() : work(...args);
    const store = services.alertRepository;
    const leases = services.leases;
    const repository: DeliveryWorkerOptions['repository'] = {
      findDue: live((now: Date, limit: number) => store.findDue(now, limit)),
      get: live((id: string) => store.get(id)),
      updateDelivery: live((id: string, change) => store.updateDelivery(id, change)),
      markSent: live((d) => store.markSent(d)),
      dueJobs: live((now: Date, limit: number) => store.dueJobs(now, limit)),
      deliveryOf: live((id: string) => store.deliveryOf(id)),
      recordDeliveries: live(async (d) => {
        await store.recordDeliveries(d);
        if (cut === 'after-journal') dead = true;
      }),
      sends: {
        unconfirmed: live((id: string, attempts: number) => store.sends.unconfirmed(id, attempts)),
        recordIntents: live(async (intents) => {
          await store.sends.recordIntents(intents);
          if (cut === 'after-intent') dead = true;
        }),
      },
    };
    const real = realChannel();
    const worker = aDeliveryWorker(services, clock, logger, {
      leaseMs: LEASE_MS,
      concurrency: 1,
      repository,
      leases: {
        claim: live((...a: Parameters<typeof leases.claim>) => leases.claim(...a)),
        claimMany: live((...a: Parameters<typeof leases.claimMany>) => leases.claimMany(...a)),
        release: live((lease) => leases.release(lease)),
        renew: live((...a: Parameters<typeof leases.renew>) => leases.renew(...a)),
        prune: live((before: Date) => leases.prune(before)),
      },
      channel: {
        chatIdFor: live((alert) => real.chatIdFor(alert)),
        send: live(async (alert, options) => {
          const delivered = await real.send(alert, options);
          if (cut === 'after-201') dead = true;
          return dead ? never() : delivered;
        }),
      },
    });
    return { worker, dead: () => dead };
  }

  /** Sends whatever is due (earlier tests' receipts), so a test's cut hits its own concern. */
  async function drain(): Promise<void> {
    for (let pass = 0; pass < 20; pass++) {
      clock.advance(1_000);
      const done = await survivor.runOnce();
      if (done.sent + done.retried + done.postponed === 0) return;
    }
  }

  /** A concern for the team (four alerts: the DSL, two deputies, the SENDCo). */
  async function record(): Promise<string> {
    await drain();
    clock.advance(5_000);
    const actor = await services.staff.resolveActor(DEMO_TENANT, SAM);
    const { incident } = await services.incidents.recordIncident(
      actor,
      anIncidentInput({
        pupilId: 'EP1003',
        linkedPupils: [],
        agencyIds: [],
        alertStaffIds: [],
        categoryIds: ['bullying'],
        bodyMap: [],
      }),
      `copies-${++keys}`,
    );
    await services.alerts.enqueueForIncident(incident);
    return incident.incidentId;
  }

  const alertsOf = (incidentId: string) =>
    services.alertRepository.forIncident(SCOPE, incidentId, 'incident');

  /** The instance dies at `cut` while delivering a new concern; the survivor then delivers it. */
  async function cutAndRecover(cut: CutPoint): Promise<string> {
    const incidentId = await record();
    const dying = instanceDyingAt(cut);
    void dying.worker.runOnce();
    await waitUntil(`an instance to die ${cut}`, () => dying.dead(), { timeoutMs: 30_000 });
    clock.advance(LEASE_MS + 1_000); // the dead instance's leases lapse
    await waitUntil(
      'the survivor to deliver every alert of the concern',
      async () => {
        await survivor.runOnce();
        clock.advance(1_000);
        return (await alertsOf(incidentId)).every((a) => a.status === 'sent');
      },
      { timeoutMs: 60_000, intervalMs: 10 },
    );
    return incidentId;
  }

  /** The POSTs (sends) of each alert of a concern, by alertId. */
  async function postsByAlert(incidentId: string): Promise<Map<string, ConnectorCall[]>> {
    const byAlert = new Map<string, ConnectorCall[]>();
    for (const alert of await alertsOf(incidentId)) byAlert.set(alert.alertId, []);
    for (const call of connector.calls.filter((c) => c.method === 'POST')) {
      byAlert.get(sendOf(call).alertId ?? '')?.push(call);
    }
    return byAlert;
  }

  /** Teams shows (refreshes) or the recipient presses a copy: an invoke from that message. */
  async function invokeFrom(
    verb: 'alert.refresh' | 'alert.acknowledge',
    recipient: string,
    copy: ConnectorCall,
  ) {
    const [answer] = await bot.exchange({
      ...cardAction(verb, sendOf(copy), {
        from: { id: `29:${recipient}`, name: '', aadObjectId: recipient },
        conversationId: chatOf(recipient),
        replyToId: copy.answeredId!,
      }),
      serviceUrl: connector.url,
    });
    return JSON.stringify(answer);
  }

  it('when an instance dies between Teams’ 201 and its journal, then the survivor sends one duplicate, both copies are recorded, and acknowledging one updates the other', async () => {
    const incidentId = await cutAndRecover('after-201');
    const posts = await postsByAlert(incidentId);
    const twice = [...posts].filter(([, calls]) => calls.length === 2);
    expect(twice).toHaveLength(1);
    expect([...posts.values()].every((calls) => calls.length >= 1 && calls.length <= 2)).toBe(true);
    const [alertId, [first, second]] = twice[0] as [string, ConnectorCall[]];
    const alert = (await services.alertRepository.get(alertId))!;
    // Both sends journalled as intents; the survivor's is the send that counts.
    const intents = await services.alertRepository.sends.intentsOf(alertId);
    expect(intents.map((i) => i.sendId).sort()).toEqual(
      [sendOf(first!).sendId, sendOf(second!).sendId].sort(),
    );
    expect(alert.activityId).toBe(second!.answeredId);
    expect(alert.sendId).toBe(sendOf(second!).sendId);
    expect(logLines.some((l) => l.includes('"alerts.unconfirmed_send"'))).toBe(true);

    // Teams shows the first copy (its refresh clause): the copy links itself to the alert.
    const shown = await invokeFrom('alert.refresh', alert.recipientAadObjectId, first!);
    expect(shown).toContain('Not yet acknowledged');
    const linked = await services.alertRepository.sends.intentsOf(alertId);
    expect(linked.find((i) => i.sendId === sendOf(first!).sendId)?.copy?.activityId).toBe(
      first!.answeredId,
    );

    // The recipient acknowledges on the second copy: the answer redraws it, a PUT the first.
    const putsBefore = connector.calls.length;
    const answer = await invokeFrom('alert.acknowledge', alert.recipientAadObjectId, second!);
    expect(answer).toContain('Acknowledged by you');
    expect(answer).not.toContain('"verb":"alert.acknowledge"');
    const update = await waitUntil(
      'the first copy to be updated',
      () =>
        connector.calls
          .slice(putsBefore)
          .find((c) => c.method === 'PUT' && c.path.endsWith(`/activities/${first!.answeredId}`)),
      { timeoutMs: 10_000 },
    );
    expect(hasAcknowledge(update)).toBe(false);
    expect(sendOf(update).sendId).toBe(sendOf(first!).sendId);
  });

  it('when the recipient presses Acknowledge on the copy nobody recorded, then it is linked and the recorded copy is updated too', async () => {
    const incidentId = await cutAndRecover('after-201');
    const [alertId, [first, second]] = [...(await postsByAlert(incidentId))].find(
      ([, calls]) => calls.length === 2,
    ) as [string, ConnectorCall[]];
    const alert = (await services.alertRepository.get(alertId))!;
    const putsBefore = connector.calls.length;
    const answer = await invokeFrom('alert.acknowledge', alert.recipientAadObjectId, first!);
    expect(answer).toContain('Acknowledged by you');
    const update = await waitUntil(
      'the recorded copy to be updated',
      () =>
        connector.calls
          .slice(putsBefore)
          .find((c) => c.method === 'PUT' && c.path.endsWith(`/activities/${second!.answeredId}`)),
      { timeoutMs: 10_000 },
    );
    expect(hasAcknowledge(update)).toBe(false);
    const intents = await services.alertRepository.sends.intentsOf(alertId);
    expect(intents.find((i) => i.sendId === sendOf(first!).sendId)?.copy?.activityId).toBe(
      first!.answeredId,
    );
  });

  it('when Teams shows the unrecorded copy before the lease lapses, then the survivor marks the alert sent from it and sends nothing', async () => {
    const incidentId = await record();
    const dying = instanceDyingAt('after-201');
    void dying.worker.runOnce();
    await waitUntil('an instance to die after the 201', () => dying.dead(), { timeoutMs: 30_000 });
    const [alertId, [copy]] = [...(await postsByAlert(incidentId))].find(
      ([, calls]) => calls.length === 1,
    ) as [string, ConnectorCall[]];
    const alert = (await services.alertRepository.get(alertId))!;
    await invokeFrom('alert.refresh', alert.recipientAadObjectId, copy!);
    clock.advance(LEASE_MS + 1_000);
    await waitUntil(
      'the survivor to deliver the rest',
      async () => {
        await survivor.runOnce();
        clock.advance(1_000);
        return (await alertsOf(incidentId)).every((a) => a.status === 'sent');
      },
      { timeoutMs: 60_000, intervalMs: 10 },
    );
    const posts = await postsByAlert(incidentId);
    expect(posts.get(alertId)).toHaveLength(1);
    const sent = (await services.alertRepository.get(alertId))!;
    expect(sent.activityId).toBe(copy!.answeredId);
    expect(sent.sendId).toBe(sendOf(copy!).sendId);
  });

  it('when instances die again and again at each point around a send, then only a death between the 201 and the journal duplicates, never more than one copy', async () => {
    const rounds: CutPoint[] = ['after-intent', 'after-201', 'after-journal'];
    const figures: Record<CutPoint, { cuts: number; alerts: number; duplicated: number }> = {
      'after-intent': { cuts: 0, alerts: 0, duplicated: 0 },
      'after-201': { cuts: 0, alerts: 0, duplicated: 0 },
      'after-journal': { cuts: 0, alerts: 0, duplicated: 0 },
    };
    let most = 0;
    for (let round = 0; round < 9; round++) {
      const cut = rounds[round % rounds.length]!;
      const posts = await postsByAlert(await cutAndRecover(cut));
      const counts = [...posts.values()].map((calls) => calls.length);
      figures[cut].cuts += 1;
      figures[cut].alerts += counts.length;
      figures[cut].duplicated += counts.filter((n) => n > 1).length;
      most = Math.max(most, ...counts);
      expect(Math.min(...counts)).toBe(1);
    }
    // Figures for the README and the lead (cards per alert after each kind of death).
    console.log(`linked-copies figures ${JSON.stringify({ ...figures, mostCopies: most })}`);
    expect(most).toBeLessThanOrEqual(2);
    expect(figures['after-intent'].duplicated).toBe(0);
    expect(figures['after-journal'].duplicated).toBe(0);
    expect(figures['after-201'].duplicated).toBe(figures['after-201'].cuts);
  });

  it('when concerns are delivered as usual, then the window in which a death duplicates (Teams’ answer to journal) is measured', async () => {
    const since = connector.calls.length;
    const firstLine = logLines.length;
    for (let i = 0; i < 5; i++) {
      const incidentId = await record();
      await waitUntil(
        'the concern to be delivered',
        async () => {
          await survivor.runOnce();
          return (await alertsOf(incidentId)).every((a) => a.status === 'sent');
        },
        { timeoutMs: 30_000, intervalMs: 10 },
      );
    }
    // Journalled when `alerts.sent` is logged (just after the journal insert resolves).
    const journalledAt = new Map<string, number>();
    for (const line of logLines.slice(firstLine)) {
      const entry = JSON.parse(line) as { event?: string; alertId?: string; time?: string };
      if (entry.event === 'alerts.sent' && entry.alertId && entry.time) {
        journalledAt.set(entry.alertId, Date.parse(entry.time));
      }
    }
    const windows = connector.calls
      .slice(since)
      .filter((c) => c.method === 'POST' && c.answeredAt !== undefined)
      .map((c) => (journalledAt.get(sendOf(c).alertId ?? '') ?? NaN) - c.answeredAt!)
      .filter((ms) => Number.isFinite(ms))
      .sort((a, b) => a - b);
    expect(windows.length).toBeGreaterThanOrEqual(20);
    const at = (q: number) => windows[Math.min(windows.length - 1, Math.floor(q * windows.length))];
    console.log(
      `linked-copies window (Teams' 201 to journal, ms): ${windows.length} sends, p50 ${at(0.5)}, p95 ${at(0.95)}, max ${windows.at(-1)}`,
    );
  });

  it('when a send is slower than its lease, then its lease is renewed and no other instance sends it too', async () => {
    const incidentId = await record();
    // Teams takes 4 s to answer each send; the clock moves 45 s past the claim meanwhile.
    connector.respond = (call) =>
      call.method === 'POST' ? { status: 201, delayMs: 4_000, body: { id: 'slow' } } : undefined;
    const slow = aDeliveryWorker(services, clock, logger, {
      leaseMs: LEASE_MS,
      renewEveryMs: 100,
      concurrency: 4,
    });
    const sending = slow.runOnce();
    await connector.waitForCalls(connector.calls.length + 1, 10_000);
    for (let step = 0; step < 3; step++) {
      clock.advance(15_000);
      await new Promise((resolve) => setTimeout(resolve, 300)); // renewals at the new time
    }
    const other = aDeliveryWorker(services, clock, logger, { leaseMs: LEASE_MS });
    const pass = await other.runOnce();
    await sending;
    connector.respond = undefined;
    expect(pass.sent).toBe(0);
    const posts = await postsByAlert(incidentId);
    expect([...posts.values()].map((calls) => calls.length)).toEqual([1, 1, 1, 1]);
  });

  it('when a copy is shown to someone it was not sent to, then nothing is linked and the card is not drawn', async () => {
    const incidentId = await record();
    await waitUntil(
      'the concern to be delivered',
      async () => {
        await survivor.runOnce();
        clock.advance(1_000);
        return (await alertsOf(incidentId)).every((a) => a.status === 'sent');
      },
      { timeoutMs: 30_000, intervalMs: 10 },
    );
    const [someone, [copy]] = [...(await postsByAlert(incidentId))][0] as [string, ConnectorCall[]];
    const alert = (await services.alertRepository.get(someone))!;
    const stranger = '00000000-0000-0000-0000-000000000e05';
    const answer = await invokeFrom('alert.refresh', stranger, copy!);
    expect(answer).toContain('no longer available');
    const intents = await services.alertRepository.sends.intentsOf(alert.alertId);
    expect(intents.every((i) => i.copy === undefined)).toBe(true);
  });
});
