import type { Connection } from 'mongoose';
import type { ChannelAccount } from 'botbuilder';
import type { AppServices } from '../../../src/app-services';
import { renderAlertCard } from '../../../src/bot/alerts/alert-cards';
import type { Incident } from '../../../src/incidents';
import type { Actor } from '../../../src/staff';
import { cardAction, DEMO_TENANT, messageActivity, STAFF_USER } from '../../support/activities';
import { startBotHarness } from '../../support/bot-harness';
import { inputsOf, invokeAnswer, textsOf } from '../../support/cards';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import type { RecordingTestAdapter } from '../../support/recording-test-adapter';
import { dropTestStore } from '../../support/test-store';

const DSL_USER: ChannelAccount = {
  id: '29:dsl-priya',
  name: 'Priya Shah',
  aadObjectId: '00000000-0000-0000-0000-000000000e02',
};
const TOM_USER: ChannelAccount = {
  id: '29:staff-tom',
  name: 'Tom Reilly',
  aadObjectId: '00000000-0000-0000-0000-000000000e05',
};

/** The Action.Execute buttons of a card, anywhere in it. */
function executeActions(card: unknown): { verb: string; data: Record<string, unknown> }[] {
  const found: { verb: string; data: Record<string, unknown> }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const r = node as Record<string, unknown>;
    if (r.type === 'Action.Execute') {
      found.push({ verb: String(r.verb), data: (r.data ?? {}) as Record<string, unknown> });
    }
    Object.values(r).forEach(walk);
  };
  walk(card);
  return found;
}

/** The values of the action form's kind picker. */
function kindsOffered(card: unknown): string[] {
  const kind = inputsOf(card).get('kind');
  return ((kind?.choices ?? []) as { value: string }[]).map((c) => c.value);
}

describe('actions through the bot (TestAdapter, real store)', () => {
  let connection: Connection;
  let services: AppServices;
  let adapter: RecordingTestAdapter;
  let logLines: string[];
  let incident: Incident;
  const clock = new MutableClock(new Date('2026-11-23T11:00:00.000Z'));

  beforeAll(async () => {
    ({ connection, services, adapter, logLines } = await startBotHarness(__filename, clock));
    const sam: Actor = await services.staff.resolveActor(DEMO_TENANT, STAFF_USER.aadObjectId!);
    const [pupil] = await services.pupils.searchPupils(sam, 'a', 1);
    ({ incident } = await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId: pupil!.pupilId,
        linkedPupils: [],
        agencyIds: [],
        alertStaffIds: [],
        categoryIds: ['safeguarding'],
        bodyMap: [],
      }),
      'form-bot-actions-1',
    ));
    await services.alerts.enqueueForIncident(incident);
  });
  afterAll(() => dropTestStore(connection));

  async function openForm(): Promise<{ card: Record<string, unknown>; key: string }> {
    const [alert] = (
      await services.alertRepository.forIncident(incident, incident.incidentId, 'incident')
    ).filter((a) => a.recipientAadObjectId === DSL_USER.aadObjectId);
    const alertCard = renderAlertCard(alert!, []);
    const add = executeActions(alertCard).find((a) => a.verb === 'action.openForm');
    expect(add?.data).toEqual({ incidentId: incident.incidentId });
    const answer = invokeAnswer(
      await adapter.exchange(cardAction('action.openForm', add!.data, { from: DSL_USER })),
    );
    const submit = executeActions(answer.card).find((a) => a.verb === 'action.submit');
    return { card: answer.card!, key: String(submit?.data.idempotencyKey) };
  }

  it('when the DSL clicks Add action on an alert card, then the action form opens in place for that record', async () => {
    const { card, key } = await openForm();
    expect(textsOf(card).join('\n')).toContain(`Add an action to ${incident.reference}`);
    expect([...inputsOf(card).keys()]).toEqual(
      expect.arrayContaining([
        'kind',
        'happenedDate',
        'text',
        'agencyId',
        'outcome',
        'reason',
        'assignee',
        'dueDate',
      ]),
    );
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(kindsOffered(card)).toContain('decision');
  });

  it('when no further action is submitted without a reason, then the form comes back with what was typed and says why', async () => {
    const { key } = await openForm();
    const typed = {
      incidentId: incident.incidentId,
      idempotencyKey: key,
      kind: 'decision',
      outcome: 'no-further-action',
      reason: '',
      text: 'Discussed with the head; explained by a sports injury.',
      happenedDate: '2026-11-23',
      happenedTime: '10:45',
    };
    const answer = invokeAnswer(
      await adapter.exchange(cardAction('action.submit', typed, { from: DSL_USER })),
    );
    const inputs = inputsOf(answer.card);
    expect(inputs.get('text')?.value).toBe(typed.text);
    expect(inputs.get('outcome')?.value).toBe('no-further-action');
    expect(textsOf(answer.card).join('\n')).toContain('needs its reason');
    expect(await services.actions.listForIncidents(incident, [incident.incidentId])).toHaveLength(
      0,
    );
  });

  it('when a referral is submitted (twice, a double click), then one action is added and the card says so without the text', async () => {
    const { key } = await openForm();
    const typed = {
      incidentId: incident.incidentId,
      idempotencyKey: key,
      kind: 'referral',
      agencyId: 'social-care-mash',
      agencyReference: 'MASH-1187',
      referredDate: '2026-11-23',
      text: 'Referred by phone to the MASH duty social worker.',
      happenedDate: '2026-11-23',
      happenedTime: '10:50',
    };
    const first = invokeAnswer(
      await adapter.exchange(cardAction('action.submit', typed, { from: DSL_USER })),
    );
    const second = invokeAnswer(
      await adapter.exchange(cardAction('action.submit', typed, { from: DSL_USER })),
    );
    expect(textsOf(first.card).join('\n')).toContain('Action added');
    expect(textsOf(second.card).join('\n')).toContain('already added');
    expect(JSON.stringify(first.card)).not.toContain('duty social worker');
    const actions = await services.actions.listForIncidents(incident, [incident.incidentId]);
    expect(actions.map((a) => a.details.kind)).toEqual(['referral']);
  });

  it('when a task is assigned to Tom, then his actions command lists it and Done marks it done', async () => {
    const { key } = await openForm();
    const typed = {
      incidentId: incident.incidentId,
      idempotencyKey: key,
      kind: 'task',
      assignee: TOM_USER.aadObjectId,
      dueDate: '2026-11-25',
      text: 'Check in with the pupil at morning registration.',
      happenedDate: '2026-11-23',
      happenedTime: '11:00',
    };
    invokeAnswer(await adapter.exchange(cardAction('action.submit', typed, { from: DSL_USER })));
    const [taskAlert] = await services.alertRepository.forIncident(
      incident,
      incident.incidentId,
      'task',
    );
    expect(taskAlert?.recipientAadObjectId).toBe(TOM_USER.aadObjectId);
    const taskCard = renderAlertCard(taskAlert!, []);
    expect(executeActions(taskCard).map((a) => a.verb)).toEqual(['task.done', 'task.addNote']);
    expect(JSON.stringify(taskCard)).not.toContain('registration');

    const [list] = await adapter.exchange(messageActivity('actions', { from: TOM_USER }));
    expect(JSON.stringify(list)).toContain(incident.reference);

    const done = executeActions(taskCard).find((a) => a.verb === 'task.done')!;
    const answer = invokeAnswer(
      await adapter.exchange(cardAction('task.done', done.data, { from: TOM_USER })),
    );
    expect(textsOf(answer.card).join('\n')).toContain('Done: marked by Tom Reilly');
    const [after] = await adapter.exchange(messageActivity('actions', { from: TOM_USER }));
    expect(JSON.stringify(after)).toContain('You have no open tasks.');

    const note = executeActions(taskCard).find((a) => a.verb === 'task.addNote')!;
    const form = invokeAnswer(
      await adapter.exchange(cardAction('task.addNote', note.data, { from: TOM_USER })),
    );
    expect(inputsOf(form.card).get('kind')?.value).toBe('note');
    // Decisions are the safeguarding team's: a teacher's form does not offer the kind.
    expect(kindsOffered(form.card)).toEqual(expect.arrayContaining(['note', 'task']));
    expect(kindsOffered(form.card)).not.toContain('decision');
  });

  it('when someone other than the assignee clicks Done, then it is refused politely', async () => {
    const [taskAlert] = await services.alertRepository.forIncident(
      incident,
      incident.incidentId,
      'task',
    );
    const answer = invokeAnswer(
      await adapter.exchange(
        cardAction('task.done', { actionId: taskAlert!.action!.actionId }, { from: STAFF_USER }),
      ),
    );
    expect(answer.text).toContain('Only the person the task is assigned to');
    const denied = await services.auditEvents.listForTarget(
      incident,
      taskAlert!.action!.actionId,
      5,
    );
    expect(denied).toContainEqual(
      expect.objectContaining({ action: 'access.denied', reason: 'completeTask:not-assignee' }),
    );
  });

  it('when these cards were used, then no log line carries the action text', () => {
    expect(logLines.join('\n')).not.toMatch(/duty social worker|registration|sports injury/);
  });
});
