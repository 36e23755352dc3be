import type { Action } from '../../actions';
import type { Alert } from '../../alerts';
import { formatSchoolTime } from '../../shared/school-time';
import { inertText } from '../inert-text';
import { renderCard, type AdaptiveCardJson, type Choice } from '../render-card';

/** How cards name each kind of action. */
export const KIND_LABELS: Record<string, string> = {
  note: 'Note',
  conversation: 'Conversation',
  'phone-call': 'Phone call',
  meeting: 'Meeting',
  referral: 'Referral',
  decision: 'Decision',
  task: 'Task',
  transfer: 'Child protection file transfer',
  'transfer-in': 'Child protection file received',
  retention: 'Retention review',
};

const ALERT_TEXT: Record<string, { title: string; intro: string }> = {
  action: {
    title: 'A follow-up action was added',
    intro: 'A colleague added an action to a record and chose you to be told.',
  },
  task: {
    title: 'You have a task',
    intro: 'A colleague assigned you a task on a record. Mark it done here when it is.',
  },
  'task-reminder': {
    title: 'Task due today',
    intro: 'A task assigned to you is due by the end of today.',
  },
  'task-overdue': {
    title: 'Task overdue',
    intro: 'A task on a record is past its due time and not marked done.',
  },
  'referral-chase': {
    title: 'Chase the referral',
    intro:
      'A referral to children’s social care has had no recorded decision for a working day or more. Please chase the local authority and record what they decided.',
  },
  'transfer-chase': {
    title: 'Chase the child protection file transfer',
    intro:
      'A leaver’s child protection file has not been confirmed as received by the next school within 5 school days. Please chase their DSL; the transfer stays on the desk until they confirm receipt.',
  },
  'retention-review': {
    title: 'A record is due for retention review',
    intro:
      'A record has reached its retention review date. Please decide in the tab (Retention, after step-up) whether to retain it, with a reason and a new date, or dispose of it.',
  },
  'transfer-arrived': {
    title: 'A child protection file has arrived',
    intro:
      'A pupil joining your school has a child protection file from their previous school; it has been imported. Please read it today (in the tab, after step-up).',
  },
};

/**
 * The card for an action's alert (assignment, reminder, overdue, chase, or someone told of an
 * action): the record's reference and categories, the action's kind, who added it and when. Never
 * the action's text: the chat keeps the card.
 */
export function renderActionAlertCard(alert: Alert, status = ''): AdaptiveCardJson {
  const text = ALERT_TEXT[alert.kind] ?? ALERT_TEXT.action!;
  const isTask =
    alert.kind === 'task' || alert.kind === 'task-reminder' || alert.kind === 'task-overdue';
  const dueAt = alert.action?.dueAt;
  return renderCard('actions/action-alert', {
    title: text.title,
    intro: text.intro,
    reference: alert.reference,
    categories: alert.categoryNames.map(inertText).join(', '),
    kind: KIND_LABELS[alert.action?.kind ?? ''] ?? 'Action',
    by: inertText(alert.recordedBy.displayName),
    addedAt: formatSchoolTime(alert.recordedAt),
    extraFacts: dueAt ? [{ title: 'Due', value: formatSchoolTime(dueAt) }] : [],
    status,
    actionId: alert.action?.actionId ?? '',
    incidentId: alert.incidentId,
    showTaskButtons: isTask && status === '',
    // A transfer is not a record: nothing to add an action to.
    showAddAction:
      !isTask &&
      alert.kind !== 'transfer-chase' &&
      alert.kind !== 'transfer-arrived' &&
      alert.kind !== 'retention-review',
  });
}

/** A task's card drawn from the task itself (after Done), with its status line. */
export function renderTaskCard(task: Action, status: string): AdaptiveCardJson {
  return renderCard('actions/action-alert', {
    title: 'Task',
    intro: 'A task on a record.',
    reference: task.reference,
    categories: '',
    kind: KIND_LABELS.task ?? 'Task',
    by: inertText(task.author.displayName),
    addedAt: formatSchoolTime(task.recordedAt),
    extraFacts:
      task.details.kind === 'task'
        ? [{ title: 'Due', value: formatSchoolTime(task.details.dueAt) }]
        : [],
    status,
    actionId: task.actionId,
    incidentId: task.incidentId,
    showTaskButtons: false,
    showAddAction: false,
  });
}

/** The confirmation that replaces the form: no narrative, so the chat keeps none. */
export function renderActionAdded(
  action: Action,
  alerted: string[],
  again: boolean,
): AdaptiveCardJson {
  return renderCard('actions/action-added', {
    title: again ? 'This action was already added' : 'Action added',
    reference: action.reference,
    kind: KIND_LABELS[action.details.kind] ?? 'Action',
    happenedAt: formatSchoolTime(action.happenedAt),
    alerted: alerted.length > 0 ? alerted.map(inertText).join(', ') : 'No one else',
  });
}

/** The `actions` command's answer: the asker's open tasks and, for the team, overdue ones. */
export function renderOpenTasks(
  open: readonly Action[],
  overdue: readonly Action[] | undefined,
): AdaptiveCardJson {
  const line = (t: Action) => ({
    reference: t.reference,
    detail:
      t.details.kind === 'task'
        ? `Due ${formatSchoolTime(t.details.dueAt)}; for ${inertText(t.details.assignee.displayName)}`
        : '',
  });
  return renderCard('actions/open-tasks', {
    openCount: open.length,
    open: open.slice(0, 25).map(line),
    showOverdue: overdue !== undefined,
    overdueCount: overdue?.length ?? 0,
    overdue: (overdue ?? []).slice(0, 25).map(line),
  });
}

/** A choice list for the form from labels. */
export function choicesOf(labels: Record<string, string>): Choice[] {
  return Object.entries(labels).map(([value, title]) => ({ title, value }));
}
