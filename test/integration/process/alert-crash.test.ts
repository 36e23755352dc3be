import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { ConversationReferenceRepository } from '../../../src/conversations';
import { DEMO_STAFF } from '../../../src/demo/demo-staff';
import { toSchoolDateTime } from '../../../src/shared/school-time';
import { connectStore } from '../../../src/store/connection';
import { cardAction, DEMO_TENANT, STAFF_USER } from '../../support/activities';
import { spawnApp, waitForExit, type AppProcess } from '../../support/app-process';
import { GatedConnector } from '../../support/gated-connector';
import { commandLineOf, descendantPids } from '../../support/process-tree';
import { testDatabaseName, testStoreUri } from '../../support/test-store';
import { waitUntil } from '../../support/wait-until';

const SCHOOL = 'elm-park';
const aad = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const SAM = aad('01');
/** The safeguarding team: Priya (DSL), Daniel and Grace (deputies), Rachel (SENDCo). */
const TEAM = ['02', '03', '07', '08'].map(aad);
/** Staff Sam chooses to tell as well (none has a conflict with the pupil). */
const CHOSEN = ['05', '06', '11', '12', '13', '14'].map(aad);
const RECIPIENTS = [...TEAM, ...CHOSEN];
const PUPIL = 'EP1003';
/** Alert POSTs the connector answers before it starts holding them. */
const DELIVERED_BEFORE_KILL = 4;
/** The worker's lease on `alert:<id>` (DeliveryWorker's default leaseMs). */
const LEASE_TTL_MS = 30_000;

const chatOf = (aadObjectId: string) => `a:chat-${aadObjectId}`;

interface StoredAlert {
  alertId: string;
  kind: string;
  reference: string;
  recipientAadObjectId: string;
  status: string;
  attempts: number;
  activityId?: string;
}

interface StoredLease {
  key: string;
  leaseNo: number;
  owner: string;
  claimedAt: Date;
  expiresAt: Date;
  released: boolean;
}

/** The app's JSON log lines (pino) with this `event`. */
function events(app: AppProcess, event: string): Record<string, unknown>[] {
  return app.stdout
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.event === event);
}

async function baseUrlOf(app: AppProcess): Promise<string> {
  const line = await app.waitForLine((l) => l.includes('Bot endpoint:'), 90_000);
  return /(http:\/\/\S+)\/api\/messages/.exec(line)![1]!;
}

describe('alert fan-out survives a SIGKILL of the app (node dist/main.js)', () => {
  const dbName = testDatabaseName(__filename);
  const connector = new GatedConnector(DELIVERED_BEFORE_KILL);
  let connection: Connection | undefined;
  const started: AppProcess[] = [];

  const env = (): Record<string, string> => ({
    APP_MODE: 'development',
    PORT: '0',
    PLAYGROUND: 'false',
    MONGODB_URI: testStoreUri(),
    MONGODB_DB_NAME: dbName,
    LOG_LEVEL: 'info',
    DEMO_SEED: 'true',
    SHUTDOWN_TIMEOUT_MS: '2000',
  });
  const start = (): AppProcess => {
    const app = spawnApp(env());
    started.push(app);
    return app;
  };

  beforeAll(async () => {
    await connector.start();
  });
  afterAll(async () => {
    // Whatever happened, leave no app behind (only the processes this test started).
    for (const app of started) {
      if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    }
    connector.release();
    await connector.stop();
    if (connection) {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    }
  });

  const alertsCollection = () => connection!.collection<StoredAlert>('alerts');
  const leasesCollection = () => connection!.collection<StoredLease>('leases');

  async function saveReferences(): Promise<void> {
    const references = new ConversationReferenceRepository(connection!);
    // Everyone active has the app: a saved 1:1 chat at our connector (as Teams would have given).
    for (const member of DEMO_STAFF.filter((m) => m.active)) {
      await references.save({
        tenantId: DEMO_TENANT,
        schoolId: SCHOOL,
        aadObjectId: member.aadObjectId,
        reference: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          conversation: {
            id: chatOf(member.aadObjectId),
            conversationType: 'personal',
            tenantId: DEMO_TENANT,
          },
          bot: { id: '28:bot', name: 'Safeguarding' },
          user: { id: `29:${member.aadObjectId}`, aadObjectId: member.aadObjectId },
        },
        updatedAt: new Date(),
      });
    }
  }

  /** Sam submits a filled form through /api/messages; returns the record's reference. */
  async function submitAsSam(baseUrl: string): Promise<{ reference: string; incidentId: string }> {
    const draftId = randomUUID();
    // Yesterday at this time: in the past whenever the test runs.
    const { date, time } = toSchoolDateTime(new Date(Date.now() - 24 * 3_600_000));
    const activity = {
      ...cardAction(
        'incident.submit',
        {
          draftId,
          pupilId: PUPIL,
          happenedDate: date,
          happenedTime: time,
          transcribedFromPaper: 'false',
          location: 'Year 4 classroom',
          facts: 'The pupil said their dad hit them last night. Bruise seen on left upper arm.',
          childsWords: 'MY DAD HIT ME',
          adultsWords: 'I said "Tell me more about that."',
          opinion: 'Seemed frightened to go home.',
          actionTaken: 'Told the DSL in person.',
          actionRequired: 'DSL to decide on a referral.',
          categoryIds: 'safeguarding',
          agencyIds: '',
          alertStaffIds: CHOSEN.join(','),
        },
        { conversationId: chatOf(SAM), from: STAFF_USER },
      ),
      id: 'invoke-submit-1',
      serviceUrl: connector.url,
    };
    const response = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(response.status).toBe(200);
    // The invoke's own answer comes back in the HTTP response, not through the connector.
    const answer = (await response.json()) as { statusCode: number; type: string; value: unknown };
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    const incident = await connection!
      .collection<{ incidentId: string; reference: string }>('incidents')
      .findOne({ idempotencyKey: draftId });
    expect(incident).toBeTruthy();
    expect(JSON.stringify(answer.value)).toContain(incident!.reference);
    return { reference: incident!.reference, incidentId: incident!.incidentId };
  }

  it(
    'when the app is killed mid fan-out to 10 recipients and restarted, then every recipient has exactly one alert',
    async () => {
      const t0 = Date.now();
      const timings: Record<string, number> = {};
      const mark = (name: string) => (timings[name] = Date.now() - t0);

      // 1. First life of the app: seeds the demo school and creates every index.
      const first = start();
      const firstUrl = await baseUrlOf(first);
      mark('first app ready');
      connection = await connectStore(testStoreUri(), dbName);
      await saveReferences();

      // 2. Sam records a concern; the team (4) and 6 chosen staff are to be alerted.
      const { reference, incidentId } = await submitAsSam(firstUrl);
      mark('submitted');
      const incidentAlerts = () =>
        alertsCollection().find({ incidentId, kind: 'incident' }).toArray();
      const queued = await incidentAlerts();
      expect(queued.map((a) => a.recipientAadObjectId).sort()).toEqual([...RECIPIENTS].sort());

      // 3. Wait until exactly 4 alerts got through (and are stored as sent) and the next sends are
      // held at the gate, with no new POST for a second: every send the worker started is in flight.
      const describeState = async () =>
        `delivered ${connector.delivered.length}, held ${connector.heldCount()}, statuses ${JSON.stringify(
          (await incidentAlerts()).map((a) => a.status),
        )}`;
      await waitUntil(
        'four alerts delivered and stored as sent, later sends held at the gate',
        async () =>
          connector.delivered.length === DELIVERED_BEFORE_KILL &&
          connector.heldCount() > 0 &&
          Date.now() - connector.lastPostAt > 1_000 &&
          events(first, 'alerts.sent').length === DELIVERED_BEFORE_KILL &&
          (await incidentAlerts()).filter((a) => a.status === 'sent').length ===
            DELIVERED_BEFORE_KILL,
        { timeoutMs: 30_000, describe: describeState },
      );
      mark('4 delivered, rest held');
      expect(connector.delivered).toHaveLength(DELIVERED_BEFORE_KILL);
      const beforeKill = await incidentAlerts();
      const pending = beforeKill.filter((a) => a.status === 'pending');
      expect(pending).toHaveLength(RECIPIENTS.length - DELIVERED_BEFORE_KILL);
      // The held requests are sends of pending alerts (all of them while the worker's concurrency
      // covers the six; any others are pending without a send under way).
      const heldChats = connector.heldConversations();
      const inFlight = pending.filter((a) => heldChats.includes(chatOf(a.recipientAadObjectId)));
      expect(inFlight).toHaveLength(heldChats.length);
      // Each in-flight send holds its alert's lease, unreleased, for the TTL.
      const firstLeases = new Map<string, StoredLease>();
      for (const alert of inFlight) {
        const leases = await leasesCollection()
          .find({ key: `alert:${alert.alertId}` })
          .sort({ leaseNo: 1 })
          .toArray();
        expect(leases).toHaveLength(1);
        expect(leases[0]!.released).toBe(false);
        expect(leases[0]!.expiresAt.getTime() - leases[0]!.claimedAt.getTime()).toBe(LEASE_TTL_MS);
        firstLeases.set(alert.alertId, leases[0]!);
      }

      // 4. SIGKILL mid fan-out. Any child of the app (the embedded store, when it runs one) must go too.
      const children = descendantPids(first.child.pid!);
      const childCommands = children.map(commandLineOf);
      first.child.kill('SIGKILL');
      await first.exited;
      mark('killed');
      for (const pid of children) expect(await waitForExit(pid, 15_000)).toBe(true);
      // With MONGODB_URI set the app starts no embedded store of its own.
      expect(first.stdout.join('\n')).not.toContain('embedded store started');
      expect(childCommands.filter((c) => c.includes('ferretdb'))).toEqual([]);
      // The held requests' sender is gone: a real server never received them.
      await waitUntil(
        'the killed app’s held requests to be cut off',
        () => connector.heldCount() === 0,
        {
          timeoutMs: 10_000,
        },
      );

      // 5. Second life on the same database; then the gate opens for good.
      const second = start();
      await baseUrlOf(second);
      mark('second app ready');
      connector.release();
      expect(connector.cutOff.map((c) => c.conversationId).sort()).toEqual(
        inFlight.map((a) => chatOf(a.recipientAadObjectId)).sort(),
      );

      await waitUntil(
        'all 10 alerts sent',
        async () => (await incidentAlerts()).every((a) => a.status === 'sent'),
        { timeoutMs: LEASE_TTL_MS + 60_000, intervalMs: 250, describe: describeState },
      );
      mark('all sent');
      // A few more idle worker passes (1 s apart), in case anything would go out twice.
      await new Promise((resolve) => setTimeout(resolve, 3_000));

      // 6. Every recipient's chat got exactly one card for this record; nobody else got one.
      const cardsFor = (aadObjectId: string) =>
        connector.delivered.filter(
          (d) =>
            d.conversationId === chatOf(aadObjectId) && JSON.stringify(d.body).includes(reference),
        );
      for (const recipient of RECIPIENTS) {
        expect({ recipient, cards: cardsFor(recipient).length }).toEqual({ recipient, cards: 1 });
      }
      const withReference = connector.delivered.filter((d) =>
        JSON.stringify(d.body).includes(reference),
      );
      expect(withReference).toHaveLength(RECIPIENTS.length);
      expect(new Set(withReference.map((d) => d.conversationId))).toEqual(
        new Set(RECIPIENTS.map(chatOf)),
      );
      expect(cardsFor(SAM)).toHaveLength(0);
      // Nothing else was posted at all (no "Sorry" messages, no second wave).
      expect(connector.delivered).toHaveLength(RECIPIENTS.length);

      // The store: exactly 10 incident alerts for the record, all sent once, each activity id the
      // one the connector gave for that recipient's delivery.
      const finalAlerts = await incidentAlerts();
      expect(finalAlerts).toHaveLength(RECIPIENTS.length);
      expect(finalAlerts.map((a) => a.recipientAadObjectId).sort()).toEqual([...RECIPIENTS].sort());
      for (const alert of finalAlerts) {
        expect(alert.status).toBe('sent');
        expect(alert.attempts).toBe(1);
        expect(alert.activityId).toBe(cardsFor(alert.recipientAadObjectId)[0]!.activityId);
      }
      expect(await alertsCollection().countDocuments({ incidentId })).toBe(RECIPIENTS.length);

      // The killed sends were retried only after their leases had expired, under a new lease.
      for (const alert of inFlight) {
        const old = firstLeases.get(alert.alertId)!;
        const leases = await leasesCollection()
          .find({ key: `alert:${alert.alertId}` })
          .sort({ leaseNo: 1 })
          .toArray();
        expect(leases).toHaveLength(2);
        const [, retry] = leases;
        expect(retry!.owner).not.toBe(old.owner);
        expect(retry!.claimedAt.getTime()).toBeGreaterThanOrEqual(old.expiresAt.getTime());
        const [delivery] = cardsFor(alert.recipientAadObjectId);
        expect(delivery!.arrivedAt).toBeGreaterThanOrEqual(old.expiresAt.getTime());
      }
      expect(events(second, 'alerts.sent')).toHaveLength(pending.length);
      for (const app of [first, second]) {
        for (const bad of ['alerts.retry', 'alerts.undeliverable', 'alerts.worker_error']) {
          expect({ bad, n: events(app, bad).length }).toEqual({ bad, n: 0 });
        }
      }

      // 7. A clean stop.
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      mark('stopped');
      process.stdout.write(
        `alert-crash: ${inFlight.length} sends in flight at the kill; timings (ms from start): ${JSON.stringify(timings)}\n`,
      );
    },
    LEASE_TTL_MS + 120_000,
  );
});
