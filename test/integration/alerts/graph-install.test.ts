import type { Connection } from 'mongoose';
import type { DeliveryWorker } from '../../../src/alerts';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { GraphAppInstaller } from '../../../src/graph/graph-app-installer';
import { DEMO_TENANT } from '../../support/activities';
import { FakeGraph } from '../../support/fake-graph';
import { anIncidentInput } from '../../support/incident-builders';
import { LocalConnector } from '../../support/local-connector';
import { MutableClock } from '../../support/mutable-clock';
import { capturingLogger } from '../../support/silent-logger';
import { aDeliveryWorker } from '../../support/delivery-worker';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const aad = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const TOM = aad('05'); // a teacher who never installed the app

describe('reaching a recipient without the app: install it through Microsoft Graph', () => {
  let connection: Connection;
  let services: AppServices;
  let connector: LocalConnector;
  let graph: FakeGraph;
  let worker: DeliveryWorker;
  let clock: MutableClock;
  let keys = 0;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    clock = new MutableClock(new Date('2026-11-23T10:00:00.000Z'));
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
    connector = await new LocalConnector().start();
    graph = await new FakeGraph().start();
    const { logger } = capturingLogger();
    // Everyone but Tom has a chat with the bot.
    for (const member of await services.staff.listActiveStaff(SCOPE)) {
      if (member.aadObjectId === TOM) continue;
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
        conversation: {
          id: `a:chat-${aadObjectId}`,
          conversationType: 'personal',
          tenantId: DEMO_TENANT,
        },
        bot: { id: '28:bot', name: 'Safeguarding' },
        user: { id: `29:${aadObjectId}`, aadObjectId },
      },
      updatedAt: clock.now(),
    });
  }

  async function recordAlertingTom(): Promise<string> {
    // Each record a moment after the last: the limiter paces sends, so a whole test file's alerts
    // at one frozen instant would be held back after the first burst.
    clock.advance(2_000);
    const sam = await services.staff.resolveActor(DEMO_TENANT, aad('01'));
    const input = anIncidentInput({
      pupilId: 'EP1003',
      linkedPupils: [],
      agencyIds: [],
      alertStaffIds: [TOM],
      categoryIds: ['bullying'],
      bodyMap: [],
    });
    const { incident } = await services.incidents.recordIncident(sam, input, `g-${++keys}`);
    await services.alerts.enqueueForIncident(incident);
    return incident.incidentId;
  }

  /** Tom removes the app: his saved chat goes, as it would on uninstall. */
  async function forgetTomsChat(): Promise<void> {
    await connection.collection('conversation_references').deleteMany({ aadObjectId: TOM });
  }

  const tomsAlert = async (incidentId: string) =>
    (await services.alertRepository.forIncident(SCOPE, incidentId, 'incident')).find(
      (a) => a.recipientAadObjectId === TOM,
    )!;

  it('when Teams will not open a chat with Tom, then the app is installed for him through Graph and the alert follows', async () => {
    // Teams refuses to open a chat while the app is not installed for him.
    connector.script({
      pathEquals: '/v3/conversations',
      status: 403,
      body: { error: { code: 'Forbidden' } },
    });
    const incidentId = await recordAlertingTom();
    await worker.runOnce();

    const [install] = graph.calls;
    expect(install?.path).toBe(`/v1.0/users/${TOM}/teamwork/installedApps`);
    expect(install?.authorization).toBe('Bearer graph-test-token');
    expect(install?.body['teamsApp@odata.bind']).toBe(
      `${graph.url}/v1.0/appCatalogs/teamsApps/catalog-app-1`,
    );
    const waiting = await tomsAlert(incidentId);
    expect(waiting.status).toBe('pending');
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());

    // Teams now opens the chat (the default answer): the alert is delivered there.
    clock.advance(15_000);
    await worker.runOnce();
    const delivered = await tomsAlert(incidentId);
    expect(delivered.status).toBe('sent');
    expect(connector.calls.some((c) => c.method === 'POST' && c.path === '/v3/conversations')).toBe(
      true,
    );
  });

  it('when Graph refuses the install (no permission), then the alert is undeliverable and the team is told', async () => {
    await forgetTomsChat();
    connector.script({
      pathEquals: '/v3/conversations',
      status: 403,
      body: { error: { code: 'Forbidden' } },
    });
    graph.script({ status: 403, body: { error: { code: 'Forbidden' } } });
    const incidentId = await recordAlertingTom();
    await worker.runOnce();
    expect((await tomsAlert(incidentId)).status).toBe('undeliverable');
    const notices = await services.alertRepository.forIncident(
      SCOPE,
      incidentId,
      'undeliverable-notice',
    );
    expect(notices.length).toBeGreaterThan(0);
  });

  it('when Graph is throttling, then the install is tried again no sooner than Retry-After says', async () => {
    await forgetTomsChat();
    connector.script({
      pathEquals: '/v3/conversations',
      status: 403,
      body: { error: { code: 'Forbidden' } },
    });
    graph.script({
      status: 429,
      headers: { 'retry-after': '30' },
      body: { error: { code: 'TooManyRequests' } },
    });
    const incidentId = await recordAlertingTom();
    await worker.runOnce();
    const throttled = await tomsAlert(incidentId);
    expect(throttled.status).toBe('pending');
    expect(throttled.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(
      clock.now().getTime() + 30_000,
    );
  });
});
