import {
  ActionAlerts,
  DeliveryBell,
  subscribeActionAlerts,
  type AddedActionSubject,
  type Alert,
} from '../../../src/alerts';
import { InProcessDomainEvents } from '../../../src/events';

const SCOPE = { tenantId: 'tenant-1', schoolId: 'school-1' };
const NOW = new Date('2026-11-23T10:00:00.000Z');

const TASK: AddedActionSubject = {
  ...SCOPE,
  incidentId: 'incident-1',
  reference: 'SG-2026-0001',
  actionId: 'action-1',
  sequence: 3,
  kind: 'task',
  dueAt: new Date('2026-11-25T16:00:00.000Z'),
  assigneeAadObjectId: 'assignee',
  author: { aadObjectId: 'author', displayName: 'Author' },
  recordedAt: NOW,
  categoryNames: ['Neglect'],
  alertStaffIds: ['author', 'colleague'],
};

/** An outbox keyed as the store's unique index is: record, person, kind, wave. */
function fakeOutbox() {
  const stored = new Map<string, Alert>();
  return {
    stored,
    async insertMissing(alerts: readonly Alert[]) {
      let inserted = 0;
      for (const a of alerts) {
        const key = [a.incidentId, a.recipientAadObjectId, a.kind, a.wave].join('|');
        if (!stored.has(key)) {
          stored.set(key, a);
          inserted += 1;
        }
      }
      return inserted;
    },
  };
}

function wire(subject: AddedActionSubject | undefined) {
  const events = new InProcessDomainEvents();
  const outbox = fakeOutbox();
  const bell = new DeliveryBell();
  let rings = 0;
  bell.onRing(() => {
    rings += 1;
  });
  subscribeActionAlerts(events, {
    actionAlerts: new ActionAlerts(outbox, bell),
    actions: { addedActionSubject: async () => subject },
    clock: { now: () => NOW },
  });
  const added = () =>
    events.publish({
      type: 'action.added',
      ...SCOPE,
      incidentId: 'incident-1',
      actionId: 'action-1',
    });
  return { outbox, added, rings: () => rings };
}

describe('alerts/ follows action.added', () => {
  it('when a task is added, then the people named (never its author) and its assignee are queued, and delivery is woken once', async () => {
    const { outbox, added, rings } = wire(TASK);
    await added();
    const queued = [...outbox.stored.values()].map((a) => [
      a.recipientAadObjectId,
      a.kind,
      a.reason,
    ]);
    expect(queued).toEqual([
      ['colleague', 'action', 'action-recipient'],
      ['assignee', 'task', 'task-assignee'],
    ]);
    const [first] = outbox.stored.values();
    expect(first).toMatchObject({
      wave: 3,
      status: 'pending',
      attempts: 0,
      action: { actionId: 'action-1', kind: 'task', dueAt: TASK.dueAt },
    });
    expect(rings()).toBe(1);
  });

  it('when the same action is announced again, then nothing new is queued and delivery is not woken', async () => {
    const { outbox, added, rings } = wire(TASK);
    await added();
    await added();
    expect(outbox.stored.size).toBe(2);
    expect(rings()).toBe(1);
  });

  it('when the action or its record is gone, then nothing is queued', async () => {
    const { outbox, added, rings } = wire(undefined);
    await added();
    expect(outbox.stored.size).toBe(0);
    expect(rings()).toBe(0);
  });
});
