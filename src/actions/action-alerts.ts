import { randomUUID } from 'node:crypto';
import type { Alert } from '../alerts';
import type { Action } from './action.types';

/** The alert kinds actions use, with why the recipient gets one. */
type ActionAlertKind = Extract<
  Alert['kind'],
  'action' | 'task' | 'task-reminder' | 'task-overdue' | 'referral-chase'
>;

const REASONS: Record<ActionAlertKind, Alert['reason']> = {
  action: 'action-recipient',
  task: 'task-assignee',
  'task-reminder': 'task-clock',
  'task-overdue': 'task-clock',
  'referral-chase': 'referral-clock',
};

/**
 * An outbox alert about an action: the record's reference and categories, who added the action
 * and its kind; never its text. The unique key (record, person, kind, wave) makes enqueueing it
 * again harmless, so `wave` is derived from the action (its sequence; chases add their number).
 */
export function actionAlert(
  action: Action,
  kind: ActionAlertKind,
  recipientAadObjectId: string,
  categoryNames: readonly string[],
  now: Date,
  chaseNumber = 0,
): Alert {
  const dueAt = action.details.kind === 'task' ? action.details.dueAt : undefined;
  return {
    alertId: randomUUID(),
    tenantId: action.tenantId,
    schoolId: action.schoolId,
    kind,
    incidentId: action.incidentId,
    reference: action.reference,
    recipientAadObjectId,
    reason: REASONS[kind],
    wave: kind === 'referral-chase' ? action.sequence * 1000 + chaseNumber : action.sequence,
    recordedBy: { ...action.author },
    categoryNames: [...categoryNames],
    recordedAt: action.recordedAt,
    createdAt: now,
    action: {
      actionId: action.actionId,
      kind: action.details.kind,
      ...(dueAt ? { dueAt } : {}),
    },
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
  };
}
