import { actionFormValues, parseActionForm, type ActionFormValues } from '../../../src/actions';

const KEY = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

function form(values: Partial<ActionFormValues>): ActionFormValues {
  return actionFormValues({
    happenedDate: '2026-11-23',
    happenedTime: '10:45',
    text: 'Spoke with mum at the gate.',
    ...values,
  });
}

describe('reading the action form', () => {
  it.each([
    ['a note', { kind: 'note' }, { kind: 'note' }],
    [
      'a conversation',
      { kind: 'conversation', with: 'pupil' },
      { kind: 'conversation', with: 'pupil' },
    ],
    [
      'a phone call',
      { kind: 'phone-call', with: 'professional' },
      { kind: 'phone-call', with: 'professional' },
    ],
    ['a meeting', { kind: 'meeting' }, { kind: 'meeting' }],
    [
      'a referral',
      {
        kind: 'referral',
        agencyId: 'police',
        agencyReference: ' POL-1 ',
        referredDate: '2026-11-23',
      },
      {
        kind: 'referral',
        agencyId: 'police',
        agencyReference: 'POL-1',
        referredAt: new Date('2026-11-23T10:45:00.000Z'),
      },
    ],
    [
      'a decision',
      { kind: 'decision', outcome: 'no-further-action', reason: 'Sports injury.' },
      { kind: 'decision', outcome: 'no-further-action', reason: 'Sports injury.' },
    ],
    [
      'a task',
      { kind: 'task', assignee: 'aad-teacher', dueDate: '2026-11-25' },
      { kind: 'task', assigneeAadObjectId: 'aad-teacher', dueDate: '2026-11-25' },
    ],
  ])('when %s is filled in, then its details are read', (_name, values, details) => {
    const parsed = parseActionForm(form(values), KEY, 'Europe/London');
    expect(parsed).toEqual({
      ok: true,
      input: {
        details,
        happenedAt: new Date('2026-11-23T10:45:00.000Z'),
        text: 'Spoke with mum at the gate.',
        alertStaffIds: [],
        idempotencyKey: KEY,
      },
    });
  });

  it.each([
    ['no kind', {}, ['kind']],
    ['no text', { kind: 'note', text: '   ' }, ['text']],
    ['no date', { kind: 'note', happenedDate: '' }, ['happenedDate']],
    ['a conversation with nobody', { kind: 'conversation' }, ['with']],
    [
      'no further action without a reason',
      { kind: 'decision', outcome: 'no-further-action' },
      ['reason'],
    ],
    ['a task with no one or date', { kind: 'task' }, ['assignee', 'dueDate']],
    ['a referral with no agency or date', { kind: 'referral' }, ['agencyId', 'referredDate']],
  ])('when %s, then those fields carry a message', (_name, values, fields) => {
    const parsed = parseActionForm(form(values), KEY, 'Europe/London');
    expect(parsed.ok).toBe(false);
    expect(Object.keys(parsed.ok ? {} : parsed.errors).sort()).toEqual([...fields].sort());
  });

  it('when colleagues are chosen, then the comma-separated list is read and values that are not strings are dropped', () => {
    const values = actionFormValues({
      kind: 'note',
      happenedDate: '2026-11-23',
      text: 'x',
      alertStaffIds: 'a, b,,c',
      with: 42,
    });
    expect(values.with).toBe('');
    const parsed = parseActionForm(values, KEY, 'Europe/London');
    expect(parsed.ok && parsed.input.alertStaffIds).toEqual(['a', 'b', 'c']);
  });
});
