import type { Connection } from 'mongoose';
import type { DeliveryWorker } from '../../../src/alerts';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { DEMO_TENANT } from '../../support/activities';
import { anIncidentInput } from '../../support/incident-builders';
import { LocalConnector } from '../../support/local-connector';
import { MutableClock } from '../../support/mutable-clock';
import { capturingLogger } from '../../support/silent-logger';
import { aDeliveryWorker } from '../../support/delivery-worker';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const SAM = '00000000-0000-0000-0000-000000000e01';
/** Teams takes this long to answer each send, so the running worker's queue stays full a while. */
const SLOW_ANSWER_MS = 400;

describe('the running worker marks each alert sent as soon as it is sent', () => {
  let connection: Connection;
  let services: AppServices;
  let connector: LocalConnector;
  let worker: DeliveryWorker;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    // 10:00 on a Monday in term; frozen: every recipient's chat has a free slot throughout.
    const clock = new MutableClock(new Date('2026-11-23T10:00:00.000Z'));
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
    connector = await new LocalConnector().start();
    const { logger } = capturingLogger();
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
    worker = aDeliveryWorker(services, clock, logger, {
      // One send at a time: the rest of the record's alerts wait in the worker's queue.
      concurrency: 1,
    });
  });
  afterAll(async () => {
    await worker.stop();
    await connector.stop();
    await dropTestStore(connection);
  });

  it('when sends are still queued, then the alerts already sent are marked sent in the store', async () => {
    const { incident } = await services.incidents.recordIncident(
      await services.staff.resolveActor(DEMO_TENANT, SAM),
      anIncidentInput({ pupilId: 'EP1003', linkedPupils: [], agencyIds: [], alertStaffIds: [] }),
      'k-1',
    );
    await services.alerts.enqueueForIncident(incident);
    const recipients = (
      await services.alertRepository.forIncident(SCOPE, incident.incidentId, 'incident')
    ).length;
    expect(recipients).toBeGreaterThanOrEqual(3);
    connector.script(
      ...Array.from({ length: recipients }, () => ({
        pathIncludes: '/activities',
        status: 201,
        delayMs: SLOW_ANSWER_MS,
        body: { id: 'slow' },
      })),
    );
    const sends = () => connector.calls.filter((c) => c.path.includes('/activities')).length;
    const markedSent = async () =>
      (await services.alertRepository.forIncident(SCOPE, incident.incidentId, 'incident')).filter(
        (a) => a.status === 'sent',
      ).length;

    worker.start(100);
    while ((await markedSent()) === 0) await new Promise((resolve) => setTimeout(resolve, 20));

    // The first alert shows as sent while later ones have not even gone out.
    expect(sends()).toBeLessThan(recipients);
    while ((await markedSent()) < recipients) await new Promise((r) => setTimeout(r, 50));
    expect(sends()).toBe(recipients);
  });
});
