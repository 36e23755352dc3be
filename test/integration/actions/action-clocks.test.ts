import type { Connection } from 'mongoose';
import { AuditLog, AuditRepository } from '../../../src/audit';
import { throwawayCipher } from '../../../src/encryption';
import { IncidentRepository, IncidentService, type Incident } from '../../../src/incidents';
import type { AppError } from '../../../src/shared/errors';
import { syncAllIndexes } from '../../../src/store/connection';
import { anAccessActor, anActionInput, buildActionServices } from '../../support/action-builders';
import { aDirectory, anActor, anIncidentInput, SCOPE } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { dropTestStore, openTestStore } from '../../support/test-store';

// Monday 23 November 2026, 11:00 in London (GMT).
const START = new Date('2026-11-23T11:00:00.000Z');
const HOUR = 3_600_000;

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('task reminders, referral chases and case status on the real store', () => {
  let connection: Connection;
  let clock: MutableClock;
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
    buildActionServices(connection, clock);
    await syncAllIndexes(connection);
  });
  afterAll(() => dropTestStore(connection));

  it('when the app restarts between a task being set and its due day, then the reminder and the overdue notice still arrive once each', async () => {
    const incident = await recordIncident();
    const first = buildActionServices(connection, clock);
    const { action: open } = await first.actions.add(
      anAccessActor('aad-recorder'),
      incident.incidentId,
      anActionInput({ kind: 'task', assigneeAadObjectId: 'aad-teacher', dueDate: '2026-11-24' }),
    );
    const { action: done } = await first.actions.add(
      anAccessActor('aad-recorder'),
      incident.incidentId,
      anActionInput({ kind: 'task', assigneeAadObjectId: 'aad-teacher', dueDate: '2026-11-24' }),
    );
    expect(await first.jobs.runDue()).toBe(0);

    // Restart: new services (new lease owner) on the same database; Tuesday 08:05, the due day.
    clock.advance(21 * HOUR + 5 * 60_000);
    const second = buildActionServices(connection, clock);
    expect(await second.jobs.runDue()).toBe(2);
    expect(await second.jobs.runDue()).toBe(0);
    const reminders = await second.alerts.forIncident(SCOPE, incident.incidentId, 'task-reminder');
    expect(reminders.map((a) => a.action?.actionId).sort()).toEqual(
      [open.actionId, done.actionId].sort(),
    );

    await second.actions.completeTask(anAccessActor('aad-teacher'), done.actionId);

    // Restart again; Tuesday 17:30: the open task is overdue, the done one is not.
    clock.advance(9 * HOUR + 25 * 60_000);
    const third = buildActionServices(connection, clock);
    expect(await third.jobs.runDue()).toBe(2);
    const overdue = await third.alerts.forIncident(SCOPE, incident.incidentId, 'task-overdue');
    expect(overdue.map((a) => [a.action?.actionId, a.recipientAadObjectId]).sort()).toEqual([
      [open.actionId, 'aad-recorder'],
      [open.actionId, 'aad-teacher'],
    ]);
    const teamView = await third.actions.overdueTasks(anAccessActor('aad-dsl'));
    expect(teamView.map((t) => t.actionId)).toContain(open.actionId);
    expect(teamView.map((t) => t.actionId)).not.toContain(done.actionId);
    const teacherOpen = await third.actions.openTasksOf(anAccessActor('aad-teacher'));
    expect(teacherOpen.map((t) => t.actionId)).toContain(open.actionId);
    expect(teacherOpen.map((t) => t.actionId)).not.toContain(done.actionId);
    expect(await third.jobs.runDue()).toBe(0);
  });

  it('when two instances run the clock jobs at once, then each reminder is queued once', async () => {
    clock = new MutableClock(START);
    const incident = await recordIncident();
    const setter = buildActionServices(connection, clock);
    for (let i = 0; i < 3; i += 1) {
      await setter.actions.add(
        anAccessActor('aad-recorder'),
        incident.incidentId,
        anActionInput({ kind: 'task', assigneeAadObjectId: 'aad-teacher', dueDate: '2026-11-24' }),
      );
    }
    clock.advance(21 * HOUR + 5 * 60_000);
    const [a, b] = [buildActionServices(connection, clock), buildActionServices(connection, clock)];
    const [fromA, fromB] = await Promise.all([a.jobs.runDue(), b.jobs.runDue()]);
    expect(fromA + fromB).toBe(3);
    const reminders = await a.alerts.forIncident(SCOPE, incident.incidentId, 'task-reminder');
    expect(reminders).toHaveLength(3);
  });

  it('when a referral to children’s social care gets no decision, then the team is prompted to chase after one working day and each working day after, until a decision', async () => {
    clock = new MutableClock(START);
    const incident = await recordIncident();
    const s = buildActionServices(connection, clock);
    const { action: referral } = await s.actions.add(
      anAccessActor('aad-dsl'),
      incident.incidentId,
      anActionInput({
        kind: 'referral',
        agencyId: 'social-care-mash',
        agencyReference: 'MASH-77',
        referredAt: START,
      }),
    );
    expect(referral.details).toMatchObject({ statutory: true });
    // The desk lists it as waiting, due one working day on (Tuesday 11:00).
    const waitingHere = async (services: ReturnType<typeof buildActionServices>) =>
      (await services.referralsAwaiting.list(anAccessActor('aad-dsl'))).filter(
        (w) => w.referral.actionId === referral.actionId,
      );
    expect(await waitingHere(s)).toEqual([
      expect.objectContaining({ decisionDueAt: new Date(START.getTime() + 24 * HOUR) }),
    ]);
    // Other tests' jobs share this database: count this record's chases, not the jobs' total.
    const chasesOf = () => s.alerts.forIncident(SCOPE, incident.incidentId, 'referral-chase');
    clock.advance(23 * HOUR);
    await s.jobs.runDue();
    expect(await chasesOf()).toHaveLength(0);

    clock.advance(HOUR); // Tuesday 11:00: a working day has passed.
    const restarted = buildActionServices(connection, clock);
    await restarted.jobs.runDue();
    const chases = () => restarted.alerts.forIncident(SCOPE, incident.incidentId, 'referral-chase');
    expect(await chases()).toEqual([
      expect.objectContaining({
        recipientAadObjectId: 'aad-dsl',
        reason: 'referral-clock',
        wave: referral.sequence * 1000 + 1,
      }),
    ]);

    clock.advance(24 * HOUR); // Wednesday 11:00: still no decision.
    await restarted.jobs.runDue();
    expect(await chases()).toHaveLength(2);

    await restarted.actions.add(
      anAccessActor('aad-dsl'),
      incident.incidentId,
      anActionInput({ kind: 'decision', outcome: 'refer', reason: 'Strategy meeting booked.' }),
    );
    // Decided: off the desk at once, before the clock's next look settles the job.
    expect(await waitingHere(restarted)).toEqual([]);
    clock.advance(24 * HOUR);
    await restarted.jobs.runDue();
    expect(await chases()).toHaveLength(2);
  });

  it('when the school marks two agencies as children’s social care, then a referral to either starts the decision clock and one to the police does not', async () => {
    clock = new MutableClock(START);
    const incident = await recordIncident();
    const s = buildActionServices(connection, clock);
    const refer = async (agencyId: string) =>
      (
        await s.actions.add(
          anAccessActor('aad-dsl'),
          incident.incidentId,
          anActionInput({ kind: 'referral', agencyId, agencyReference: 'R-1', referredAt: START }),
        )
      ).action;
    const county = await refer('county-front-door');
    const police = await refer('police');
    expect(county.details).toMatchObject({ statutory: true });
    expect(police.details).toMatchObject({ statutory: false });
    const waiting = (await s.referralsAwaiting.list(anAccessActor('aad-dsl'))).map(
      (w) => w.referral.actionId,
    );
    expect(waiting).toContain(county.actionId);
    expect(waiting).not.toContain(police.actionId);
  });

  it('when the team closes a case without a decision, then it is refused; with one it closes, and reopening needs a reason', async () => {
    clock = new MutableClock(START);
    const incident = await recordIncident();
    const s = buildActionServices(connection, clock);
    const dsl = anAccessActor('aad-dsl', true);
    const id = incident.incidentId;

    expect(await s.cases.caseStatus(SCOPE, [id])).toEqual([{ incidentId: id, status: 'open' }]);
    expect(((await errorOf(s.cases.close(dsl, id))) as AppError).code).toBe(
      'CASE.OUTCOME_REQUIRED',
    );
    const { action: note } = await s.actions.add(dsl, id, anActionInput({ kind: 'note' }));
    expect(((await errorOf(s.cases.close(dsl, id, note.actionId))) as AppError).code).toBe(
      'CASE.OUTCOME_REQUIRED',
    );

    const { action: nfa } = await s.actions.add(
      dsl,
      id,
      anActionInput({
        kind: 'decision',
        outcome: 'no-further-action',
        reason: 'Explained by a sports injury; mum confirmed.',
      }),
    );
    const [a, b] = await Promise.all([s.cases.close(dsl, id), s.cases.close(dsl, id)].map(errorOf));
    expect([a, b].filter((e) => e === undefined)).toHaveLength(1);
    expect([a, b].map((e) => (e as AppError | undefined)?.code)).toContain('CASE.ALREADY_CLOSED');
    expect(await s.cases.caseStatus(SCOPE, [id])).toEqual([
      {
        incidentId: id,
        status: 'closed',
        latest: expect.objectContaining({ status: 'closed', outcomeActionId: nfa.actionId }),
      },
    ]);

    expect(((await errorOf(s.cases.reopen(dsl, id, ' '))) as AppError).code).toBe(
      'CASE.REASON_REQUIRED',
    );
    const staff = anAccessActor('aad-recorder', true);
    expect(((await errorOf(s.cases.reopen(staff, id, 'New disclosure'))) as AppError).code).toBe(
      'ACCESS.DENIED',
    );
    await s.cases.reopen(dsl, id, 'A new disclosure this morning.');
    const [status] = await s.cases.caseStatus(SCOPE, [id]);
    expect(status).toMatchObject({
      status: 'open',
      latest: { status: 'reopened', reason: 'A new disclosure this morning.' },
    });
    // The decision that closed it was about what was known then: closing again needs a new one.
    clock.advance(60_000);
    for (const named of [undefined, nfa.actionId]) {
      expect(((await errorOf(s.cases.close(dsl, id, named))) as AppError).code).toBe(
        'CASE.OUTCOME_REQUIRED',
      );
    }
    clock.advance(60_000);
    const { action: refer } = await s.actions.add(
      dsl,
      id,
      anActionInput({
        kind: 'decision',
        outcome: 'refer',
        reason: 'Referred after the disclosure.',
      }),
    );
    await s.cases.close(dsl, id);
    expect(await s.cases.caseStatus(SCOPE, [id])).toEqual([
      expect.objectContaining({
        status: 'closed',
        latest: expect.objectContaining({ outcomeActionId: refer.actionId }),
      }),
    ]);
    const audited = (await s.audit.listForTarget(SCOPE, id, 50)).map((e) => e.action);
    expect(audited).toEqual(
      expect.arrayContaining(['record.close', 'record.reopen', 'access.denied']),
    );
  });

  it('when a team member has not stepped up, then closing is refused (the policy asks for a second factor)', async () => {
    const incident = await recordIncident();
    const s = buildActionServices(connection, clock);
    const error = await errorOf(
      s.cases.close(anAccessActor('aad-dsl', false), incident.incidentId),
    );
    expect((error as AppError).code).toBe('ACCESS.STEP_UP_REQUIRED');
  });
});
