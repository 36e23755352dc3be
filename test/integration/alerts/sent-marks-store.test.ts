import { randomUUID } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import { AlertRepository, type Alert } from '../../../src/alerts';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCOPE = { tenantId: 'tenant-1', schoolId: 'school-1' };
const NOW = new Date('2026-11-23T10:00:00.000Z');

function aPendingAlert(n: number): Alert {
  return {
    alertId: randomUUID(),
    ...SCOPE,
    kind: 'incident',
    incidentId: `incident-${n}`,
    reference: `EPC-2026-000${n}`,
    recipientAadObjectId: `aad-${n}`,
    reason: 'safeguarding-team',
    wave: 0,
    recordedBy: { aadObjectId: 'aad-0', displayName: 'Sam Taylor' },
    categoryNames: ['Bullying'],
    recordedAt: NOW,
    createdAt: NOW,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: NOW,
  };
}

const deliveryOf = (alert: Alert) => ({
  alertId: alert.alertId,
  activityId: `activity-${alert.alertId}`,
  conversationId: `a:chat-${alert.recipientAadObjectId}`,
  sentAt: NOW,
  attempts: 1,
});

describe('marking journalled sends sent in the outbox', () => {
  let connection: Connection;
  let repository: AlertRepository;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    repository = new AlertRepository(connection);
    await connection.models.Alert!.init();
  });
  afterAll(async () => {
    await dropTestStore(connection);
  });

  it('when several sends are marked at once, then each alert records its own send', async () => {
    const alerts = [aPendingAlert(1), aPendingAlert(2), aPendingAlert(3)];
    await repository.insertMissing(alerts);

    await repository.markSent(alerts.map(deliveryOf));

    for (const alert of alerts) {
      const stored = await repository.get(alert.alertId);
      expect(stored).toMatchObject({
        status: 'sent',
        attempts: 1,
        activityId: `activity-${alert.alertId}`,
        conversationId: `a:chat-${alert.recipientAadObjectId}`,
        sentAt: NOW,
        lastError: '',
      });
    }
  });

  it('when an older alert keyed by an ObjectId is among them, then it is marked through its alertId', async () => {
    const older = aPendingAlert(4);
    const newer = aPendingAlert(5);
    await connection.collection('alerts').insertOne({ ...older, _id: new Types.ObjectId() });
    await repository.insertMissing([newer]);

    await repository.markSent([deliveryOf(older), deliveryOf(newer)]);

    expect((await repository.get(older.alertId))?.status).toBe('sent');
    expect((await repository.get(newer.alertId))?.status).toBe('sent');
  });
});
