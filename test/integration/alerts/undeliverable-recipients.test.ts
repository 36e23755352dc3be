import type { Connection } from 'mongoose';
import { DeliveryWorker, RECIPIENT_MISSING_TRIES, type Alert } from '../../../src/alerts';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { GraphAppInstaller } from '../../../src/graph/graph-app-installer';
import type { Actor } from '../../../src/staff';
import { deskAnswer } from '../../../src/tab/tab-responses';
import { DEMO_TENANT } from '../../support/activities';
import { FakeGraph } from '../../support/fake-graph';
import { anIncidentInput } from '../../support/incident-builders';
import { LocalConnector, type ConnectorAnswer } from '../../support/local-connector';
import { MutableClock } from '../../support/mutable-clock';
import { capturingLogger } from '../../support/silent-logger';
import { aDeliveryWorker } from '../../support/delivery-worker';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const aad = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const SAM = aad('01');
const PRIYA = aad('02'); // DSL
const DANIEL = aad('03'); // deputy DSL
const TOM = aad('05'); // a teacher Sam chooses to alert
const chatOf = (aadObjectId: string) => encodeURIComponent(`a:chat-${aadObjectId}`);

describe('a recipient the connector says does not exist: undeliverable after a few tries, and shown to the team', () => {
  let connection: Connection;
  let services: AppServices;
  let connector: LocalConnector;
  let graph: FakeGraph;
  let worker: DeliveryWorker;
  let clock: MutableClock;
  let logLines: string[];
  let keys = 0;
  /** Whose chats answer as if the person did not exist, and how. */
  const missing = new Map<string, ConnectorAnswer>();
  /** How Teams answers a request to open a new 1:1 chat, when not as usual. */
  let openingChat: ConnectorAnswer | undefined;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    // 10:00 on a Monday in term: school time, so escalation runs.
    clock = new MutableClock(new Date('2026-11-23T10:00:00.000Z'));
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
    connector = await new LocalConnector().start();
    connector.respond = (call) =>
      call.path === '/v3/conversations'
        ? openingChat
        : [...missing].find(([who]) => call.path.includes(chatOf(who)))?.[1];
    graph = await new FakeGraph().start();
    const { logger, lines } = capturingLogger();
    logLines = lines;
    for (const member of await services.staff.listActiveStaff(SCOPE)) {
      await saveChat(member.aadObjectId);
    }
    worker = aDeliveryWorker(services, clock, logger, {
      installer: new GraphAppInstaller({
        graphBaseUrl: graph.url,
        catalogAppId: 'catalog-app-1',
        tokens: { token: async () => 'graph-test-token' },
        logger,
      }),
      random: () => 0.5,
      concurrency: 1,
    });
  });
  afterEach(async () => {
    missing.clear();
    openingChat = undefined;
    await saveChat(TOM);
  });
  afterAll(async () => {
    await graph.stop();
    await connector.stop();
    await dropTestStore(connection);
  });

  async function saveChat(aadObjectId: string): Promise<void> {
    await services.references.save({
      ...SCOPE,
      aadObjectId,
      reference: {
        channelId: 'msteams',
        serviceUrl: connector.url,
        conversation: { id: `a:chat-${aadObjectId}`, conversationType: 'personal' },
        bot: { id: '28:bot', name: 'Safeguarding' },
        user: { id: `29:${aadObjectId}`, aadObjectId },
      },
      updatedAt: clock.now(),
    });
  }

  async function actor(aadObjectId: string): Promise<Actor> {
    return services.staff.resolveActor(DEMO_TENANT, aadObjectId);
  }

  async function record(): Promise<{ incidentId: string; reference: string }> {
    clock.advance(60_000); // apart from the last test's sends, which the limiter paces
    const { incident } = await services.incidents.recordIncident(
      await actor(SAM),
      anIncidentInput({
        pupilId: 'EP1003',
        linkedPupils: [],
        agencyIds: [],
        alertStaffIds: [TOM],
        categoryIds: ['safeguarding'],
      }),
      `k-${++keys}`,
    );
    await services.alerts.enqueueForIncident(incident);
    return incident;
  }

  const alertFor = async (incidentId: string, who: string, wave = 0): Promise<Alert> =>
    (await services.alertRepository.forIncident(SCOPE, incidentId, 'incident')).find(
      (a) => a.recipientAadObjectId === who && a.wave === wave,
    )!;
  const postsTo = (who: string) =>
    connector.calls.filter((c) => c.method === 'POST' && c.path.includes(chatOf(who)));

  /** Worker passes a backoff apart: far more than the bound, as a day of retries would be. */
  async function passes(count: number, everyMs = 30_000): Promise<void> {
    for (let i = 0; i < count; i++) {
      await worker.runOnce();
      clock.advance(everyMs);
    }
  }

  it('when the Playground answers 500 UserNotFound for the DSL, then her alert is undeliverable after the bounded tries, the team is told and escalation still goes on', async () => {
    missing.set(PRIYA, {
      status: 500,
      body: { error: { code: 'UserNotFound', message: 'User not found' } },
    });
    const incident = await record();
    const before = postsTo(PRIYA).length;
    await passes(10, 10_000);

    const priyas = await alertFor(incident.incidentId, PRIYA);
    expect(priyas.status).toBe('undeliverable');
    expect(priyas.attempts).toBe(RECIPIENT_MISSING_TRIES);
    expect(priyas.lastError).toContain('UserNotFound');
    expect(postsTo(PRIYA).length - before).toBe(RECIPIENT_MISSING_TRIES);
    // The rest of the team is told whom it did not reach.
    const notices = await services.alertRepository.forIncident(
      SCOPE,
      incident.incidentId,
      'undeliverable-notice',
    );
    expect(notices.map((n) => n.recipientAadObjectId)).toContain(DANIEL);
    expect(notices.map((n) => n.recipientAadObjectId)).not.toContain(PRIYA);
    // Logged by ids only.
    const logged = logLines.filter(
      (l) => l.includes('"alerts.undeliverable"') && l.includes(priyas.alertId),
    );
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ code: 'UserNotFound', status: 500 });
    const priya = await actor(PRIYA);
    expect(logged[0]).not.toContain(priya.displayName);

    // Nobody acknowledged: the ladder's next step still happens, and reaches people.
    clock.advance(16 * 60_000);
    await passes(3, 2_000);
    const later = (
      await services.alertRepository.forIncident(SCOPE, incident.incidentId, 'incident')
    ).filter((a) => a.wave > 0);
    expect(later.length).toBeGreaterThan(0);
    expect(later.some((a) => a.status === 'sent')).toBe(true);
    // Her first alert is not tried again, however long the worker runs.
    await passes(8, 60 * 60_000);
    expect((await alertFor(incident.incidentId, PRIYA)).attempts).toBe(RECIPIENT_MISSING_TRIES);
    // Her later waves fail too; the team was told about her once, not once per wave.
    const hers = (
      await services.alertRepository.forIncident(SCOPE, incident.incidentId, 'incident')
    ).filter((a) => a.recipientAadObjectId === PRIYA && a.wave > 0);
    expect(hers.filter((a) => a.status === 'undeliverable').length).toBeGreaterThan(0);
    const allNotices = await services.alertRepository.forIncident(
      SCOPE,
      incident.incidentId,
      'undeliverable-notice',
    );
    expect(new Set(allNotices.map((n) => n.wave))).toEqual(new Set([0]));
  });

  it('when Teams answers 404 ConversationNotFound, in a newly opened chat too and after an install, then the alert is undeliverable at the bound', async () => {
    const notFound = { status: 404, body: { error: { code: 'ConversationNotFound' } } };
    missing.set(TOM, notFound);
    openingChat = notFound;
    const graphCalls = graph.calls.length;
    const incident = await record();
    await passes(8);
    const toms = await alertFor(incident.incidentId, TOM);
    expect(toms.status).toBe('undeliverable');
    // The saved chat, a newly opened one (which asks Graph to install the app), the saved chat.
    expect(toms.attempts).toBe(RECIPIENT_MISSING_TRIES);
    expect(graph.calls.length - graphCalls).toBe(1);
  });

  it('when Teams will not open a chat (403 BotNotInConversationRoster) and Graph keeps putting the install off, then the alert stops at the bound', async () => {
    await connection.collection('conversation_references').deleteMany({ aadObjectId: TOM });
    openingChat = { status: 403, body: { error: { code: 'BotNotInConversationRoster' } } };
    const graphCalls = graph.calls.length;
    for (let i = 0; i < 20; i++) graph.script({ status: 503, body: { error: { code: 'Busy' } } });
    const incident = await record();
    await passes(10);
    const toms = await alertFor(incident.incidentId, TOM);
    expect(toms.status).toBe('undeliverable');
    expect(toms.attempts).toBe(RECIPIENT_MISSING_TRIES);
    // One install asked for per answer but the last, which gives up.
    expect(graph.calls.length - graphCalls).toBe(RECIPIENT_MISSING_TRIES - 1);
  });

  it('when alerts could not be delivered, then the DSL’s desk lists whom each was for and its record', async () => {
    missing.set(TOM, { status: 500, body: { error: { code: 'UserNotFound' } } });
    const incident = await record();
    await passes(8, 10_000);
    const toms = await alertFor(incident.incidentId, TOM);
    expect(toms.status).toBe('undeliverable');

    const desk = deskAnswer.parse(
      await services.desk.deskFor({ ...(await actor(PRIYA)), steppedUp: true }),
    );
    if (desk.kind !== 'team') throw new Error('the DSL gets the team’s desk');
    const tom = await actor(TOM);
    expect(desk.undeliverableAlerts).toBe(desk.undeliveredAlerts.length);
    expect(desk.undeliveredAlerts).toContainEqual(
      expect.objectContaining({
        incidentId: incident.incidentId,
        reference: incident.reference,
        alertId: toms.alertId,
        recipientName: tom.displayName,
        reason: expect.stringContaining('no such recipient'),
      }),
    );
    // A member of staff outside the team sees none of it.
    const staffDesk = await services.desk.deskFor({ ...(await actor(SAM)), steppedUp: true });
    expect(staffDesk.kind).toBe('staff');
  });
});
