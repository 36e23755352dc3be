import type { Connection } from 'mongoose';
import { ActionValidationError } from '../../../src/actions';
import { AuditLog, AuditRepository } from '../../../src/audit';
import { throwawayCipher } from '../../../src/encryption';
import { IncidentRepository, IncidentService, type Incident } from '../../../src/incidents';
import { AppError } from '../../../src/shared/errors';
import { syncAllIndexes } from '../../../src/store/connection';
import { anAccessActor, anActionInput, buildActionServices } from '../../support/action-builders';
import { aDirectory, anActor, anIncidentInput, SCOPE } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { dropTestStore, openTestStore } from '../../support/test-store';

// Monday 23 November 2026, 11:00 in London (GMT).
const START = new Date('2026-11-23T11:00:00.000Z');

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('actions on a record, on the real store', () => {
  let connection: Connection;
  let clock: MutableClock;
  let s: ReturnType<typeof buildActionServices>;
  let incident: Incident;
  let keys = 0;

  async function recordIncident(): Promise<Incident> {
    const service = new IncidentService(
      new IncidentRepository(connection, throwawayCipher()),
      aDirectory(),
      clock,
      new AuditLog(new AuditRepository(connection), clock),
    );
    const { incident } = await service.recordIncident(anActor(), anIncidentInput(), `k-${++keys}`);
    return incident;
  }

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    clock = new MutableClock(START);
    s = buildActionServices(connection, clock);
    await syncAllIndexes(connection);
    incident = await recordIncident();
  });
  afterAll(() => dropTestStore(connection));

  it('when each kind of action is added by the recorder (the decision by the team), then each is stored as written and listed newest first', async () => {
    const recorder = anAccessActor('aad-recorder');
    const dsl = anAccessActor('aad-dsl');
    const file = await s.fileStore.put({
      ...SCOPE,
      name: 'minutes.pdf',
      contentType: 'application/pdf',
      bytes: Buffer.from('%PDF-1.4 minutes'),
      uploadedBy: { aadObjectId: 'aad-recorder', displayName: 'Sam Taylor' },
      uploadedAt: START,
    });
    const inputs = [
      { kind: 'note' as const },
      { kind: 'conversation' as const, with: 'parent-carer' as const },
      { kind: 'phone-call' as const, with: 'professional' as const },
      { kind: 'meeting' as const, minutesFileId: file.fileId },
      {
        kind: 'referral' as const,
        agencyId: 'police',
        agencyReference: 'POL-123',
        referredAt: new Date('2026-11-23T09:00:00.000Z'),
      },
      { kind: 'decision' as const, outcome: 'monitor' as const, reason: 'Watch attendance.' },
      { kind: 'task' as const, assigneeAadObjectId: 'aad-teacher', dueDate: '2026-11-25' },
    ];
    const added = [];
    for (const [i, details] of inputs.entries()) {
      const happenedAt = new Date(START.getTime() - (inputs.length - i) * 60_000);
      const { action, created } = await s.actions.add(
        details.kind === 'decision' ? dsl : recorder,
        incident.incidentId,
        anActionInput(details, { happenedAt }),
      );
      expect(created).toBe(true);
      added.push(action);
    }
    expect(added.map((a) => a.details)).toEqual([
      { kind: 'note' },
      { kind: 'conversation', with: 'parent-carer' },
      { kind: 'phone-call', with: 'professional' },
      { kind: 'meeting', minutes: { fileId: file.fileId, name: 'minutes.pdf' } },
      {
        kind: 'referral',
        agencyId: 'police',
        agencyName: 'Police',
        agencyReference: 'POL-123',
        referredAt: new Date('2026-11-23T09:00:00.000Z'),
        statutory: false,
      },
      { kind: 'decision', outcome: 'monitor', reason: 'Watch attendance.' },
      {
        kind: 'task',
        assignee: { aadObjectId: 'aad-teacher', displayName: 'Name of aad-teacher' },
        dueDate: '2026-11-25',
        dueAt: new Date('2026-11-25T17:00:00.000Z'),
      },
    ]);
    expect(added.map((a) => a.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const listed = await s.actions.listForIncidents(SCOPE, [incident.incidentId]);
    expect(listed).toEqual([...added].reverse());
    const events = await s.audit.listForTarget(SCOPE, added[0]!.actionId, 5);
    expect(events).toEqual([expect.objectContaining({ action: 'action.create' })]);
  });

  it('when the same action form is submitted twice at once, then one action is made', async () => {
    const input = anActionInput({ kind: 'note' });
    const [a, b] = await Promise.all([
      s.actions.add(anAccessActor('aad-recorder'), incident.incidentId, input),
      s.actions.add(anAccessActor('aad-recorder'), incident.incidentId, input),
    ]);
    expect(a.action.actionId).toBe(b.action.actionId);
    expect([a.created, b.created].sort()).toEqual([false, true]);
  });

  it('when someone outside the safeguarding team records a decision, then the kind field says only the team does and nothing is stored', async () => {
    const before = await s.actions.listForIncidents(SCOPE, [incident.incidentId]);
    const error = await errorOf(
      s.actions.add(
        anAccessActor('aad-recorder'),
        incident.incidentId,
        anActionInput({ kind: 'decision', outcome: 'monitor', reason: 'Seems fine now.' }),
      ),
    );
    expect(error).toBeInstanceOf(ActionValidationError);
    expect((error as ActionValidationError).fieldErrors).toEqual({
      kind: 'Only the safeguarding team records decisions.',
    });
    expect(await s.actions.listForIncidents(SCOPE, [incident.incidentId])).toEqual(before);
  });

  it('when no further action is decided without a reason, then it is refused with a message by the reason', async () => {
    const error = await errorOf(
      s.actions.add(
        anAccessActor('aad-dsl'),
        incident.incidentId,
        anActionInput({ kind: 'decision', outcome: 'no-further-action', reason: '  ' }),
      ),
    );
    expect(error).toBeInstanceOf(ActionValidationError);
    expect((error as ActionValidationError).fieldErrors).toEqual({
      reason: expect.stringMatching(/reason/),
    });
  });

  it('when an action is dated in the future or names an unknown agency, then each field says so', async () => {
    const error = await errorOf(
      s.actions.add(
        anAccessActor('aad-recorder'),
        incident.incidentId,
        anActionInput(
          { kind: 'referral', agencyId: 'nope', agencyReference: '', referredAt: START },
          { happenedAt: new Date(START.getTime() + 3_600_000) },
        ),
      ),
    );
    expect((error as ActionValidationError).fieldErrors).toEqual({
      happenedDate: expect.any(String),
      agencyId: expect.any(String),
    });
  });

  it('when someone with no relationship to the record adds an action, then it is refused and audited', async () => {
    const error = await errorOf(
      s.actions.add(
        anAccessActor('aad-outsider'),
        incident.incidentId,
        anActionInput({ kind: 'note' }),
      ),
    );
    // Whether the record exists is itself need-to-know: it is "not found" to them.
    expect((error as AppError).code).toBe('INCIDENT.NOT_FOUND');
    const events = await s.audit.listForTarget(SCOPE, incident.incidentId, 50);
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'access.denied',
        actorAadObjectId: 'aad-outsider',
        reason: 'no-relationship: addAction',
      }),
    );
  });

  it('when an action alerts a colleague, then they get an action alert, are invited, and may add actions', async () => {
    const { action } = await s.actions.add(
      anAccessActor('aad-recorder'),
      incident.incidentId,
      anActionInput({ kind: 'note' }, { alertStaffIds: ['aad-outsider'] }),
    );
    const alerts = await s.alerts.forIncident(SCOPE, incident.incidentId, 'action');
    expect(alerts).toContainEqual(
      expect.objectContaining({
        recipientAadObjectId: 'aad-outsider',
        reason: 'action-recipient',
        wave: action.sequence,
        action: { actionId: action.actionId, kind: 'note' },
      }),
    );
    const invited = await s.actions.invitedTo(SCOPE, [incident.incidentId]);
    expect(invited.get(incident.incidentId)).toEqual(
      expect.arrayContaining(['aad-outsider', 'aad-teacher']),
    );
    const { created } = await s.actions.add(
      anAccessActor('aad-outsider'),
      incident.incidentId,
      anActionInput({ kind: 'note' }),
    );
    expect(created).toBe(true);
  });

  it('when a task is assigned, then the assignee gets a task alert and the task is in their open tasks', async () => {
    const { action } = await s.actions.add(
      anAccessActor('aad-recorder'),
      incident.incidentId,
      anActionInput({ kind: 'task', assigneeAadObjectId: 'aad-teacher', dueDate: '2026-11-24' }),
    );
    const alerts = await s.alerts.forIncident(SCOPE, incident.incidentId, 'task');
    expect(alerts).toContainEqual(
      expect.objectContaining({
        recipientAadObjectId: 'aad-teacher',
        reason: 'task-assignee',
        action: expect.objectContaining({ actionId: action.actionId, kind: 'task' }),
      }),
    );
    const open = await s.actions.openTasksOf(anAccessActor('aad-teacher'));
    expect(open.map((t) => t.actionId)).toContain(action.actionId);
  });

  it('when a task names someone with a conflict of interest, then the assignee field is refused', async () => {
    const error = await errorOf(
      s.actions.add(
        anAccessActor('aad-recorder'),
        incident.incidentId,
        anActionInput({
          kind: 'task',
          assigneeAadObjectId: 'aad-conflicted',
          dueDate: '2026-11-24',
        }),
      ),
    );
    expect((error as ActionValidationError).fieldErrors).toEqual({ assignee: expect.any(String) });
  });

  it('when a task is due on a day already past, then the due date is refused', async () => {
    const error = await errorOf(
      s.actions.add(
        anAccessActor('aad-recorder'),
        incident.incidentId,
        anActionInput({ kind: 'task', assigneeAadObjectId: 'aad-teacher', dueDate: '2026-11-22' }),
      ),
    );
    expect((error as ActionValidationError).fieldErrors).toEqual({ dueDate: expect.any(String) });
  });

  it('when an action is stored, then its text and a decision’s reason are sealed: the raw document holds neither', async () => {
    const { action } = await s.actions.add(
      anAccessActor('aad-dsl'),
      incident.incidentId,
      anActionInput(
        {
          kind: 'decision',
          outcome: 'no-further-action',
          reason: 'Explained by a FALL AT FOOTBALL.',
        },
        { text: 'Mum CONFIRMED THE INJURY at pick-up.' },
      ),
    );
    const raw = await connection.collection('actions').findOne({ _id: action.actionId as never });
    const dumped = JSON.stringify(raw);
    expect(dumped).not.toContain('FALL AT FOOTBALL');
    expect(dumped).not.toContain('CONFIRMED THE INJURY');
    expect(raw).toMatchObject({ sealed: { keyId: expect.any(String) } });
    const read = await s.repository.findById(SCOPE, action.actionId);
    expect(read).toMatchObject({
      text: 'Mum CONFIRMED THE INJURY at pick-up.',
      details: { kind: 'decision', reason: 'Explained by a FALL AT FOOTBALL.' },
    });
  });

  it('when someone tries to change a stored action, then the model refuses', async () => {
    const [first] = await s.actions.listForIncidents(SCOPE, [incident.incidentId]);
    const model = connection.models.Action!;
    const error = await errorOf(
      model.updateOne({ _id: first!.actionId }, { $set: { reference: 'x' } }),
    );
    expect((error as AppError).code).toBe('ACTION.IMMUTABLE');
  });
});
