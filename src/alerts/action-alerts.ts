import { randomUUID } from 'node:crypto';
import type { AlertRepository } from './alert.repository';
import type { Alert } from './alert.types';
import type { DeliveryBell } from './delivery-bell';

/** The alert kinds about actions, with why the recipient gets one. */
type ActionAlertKind = Extract<
  Alert['kind'],
  | 'action'
  | 'task'
  | 'task-reminder'
  | 'task-overdue'
  | 'referral-chase'
  | 'transfer-chase'
  | 'transfer-arrived'
  | 'retention-review'
>;

const REASONS: Record<ActionAlertKind, Alert['reason']> = {
  action: 'action-recipient',
  task: 'task-assignee',
  'task-reminder': 'task-clock',
  'task-overdue': 'task-clock',
  'referral-chase': 'referral-clock',
  'transfer-chase': 'transfer-clock',
  'transfer-arrived': 'transfer-arrived',
  'retention-review': 'retention-clock',
};

/**
 * An action as alerts see it: ids, its record's reference and category names, who added it and its
 * kind (a task's due time); never its text.
 */
interface ActionAlertSubject {
  readonly tenantId: string;
  readonly schoolId: string;
  readonly incidentId: string;
  readonly reference: string;
  readonly actionId: string;
  /** The action's sequence on its record: the alerts' wave (chases add their number). */
  readonly sequence: number;
  readonly kind: string;
  readonly dueAt?: Date;
  readonly author: { readonly aadObjectId: string; readonly displayName: string };
  readonly recordedAt: Date;
  readonly categoryNames: readonly string[];
}

/** A newly added action, with the people it names: whom its author chose to tell, a task's assignee. */
export interface AddedActionSubject extends ActionAlertSubject {
  readonly alertStaffIds: readonly string[];
  readonly assigneeAadObjectId?: string;
}

/**
 * The outbox alerts about actions. alerts/ owns their shape and delivery state; the actions
 * feature says what happened (an action added, a task's or a referral's clock due) and who its
 * clock names. The unique key (record, person, kind, wave) makes queueing again harmless. Rings
 * the delivery bell when something new was queued.
 */
export class ActionAlerts {
  constructor(
    private readonly outbox: Pick<AlertRepository, 'insertMissing'>,
    private readonly bell: Pick<DeliveryBell, 'ring'>,
  ) {}

  /**
   * A new action's alerts: the staff its author chose to tell (never the author) and a task's
   * assignee. Returns how many were new.
   */
  queueForAddedAction(action: AddedActionSubject, now: Date): Promise<number> {
    const alerts = action.alertStaffIds
      .filter((id) => id !== action.author.aadObjectId)
      .map((id) => actionAlert(action, 'action', id, now));
    if (action.assigneeAadObjectId) {
      alerts.push(actionAlert(action, 'task', action.assigneeAadObjectId, now));
    }
    return this.queue(alerts);
  }

  /** A clock's alerts (task reminder or overdue, referral chase) to the people it names. */
  queueForActionClock(
    action: ActionAlertSubject,
    kind: Extract<
      ActionAlertKind,
      | 'task-reminder'
      | 'task-overdue'
      | 'referral-chase'
      | 'transfer-chase'
      | 'transfer-arrived'
      | 'retention-review'
    >,
    recipients: readonly string[],
    now: Date,
    chaseNumber = 0,
  ): Promise<number> {
    return this.queue(recipients.map((id) => actionAlert(action, kind, id, now, chaseNumber)));
  }

  private async queue(alerts: readonly Alert[]): Promise<number> {
    if (alerts.length === 0) return 0;
    const queued = await this.outbox.insertMissing(alerts);
    if (queued > 0) this.bell.ring();
    return queued;
  }
}

/** An outbox alert about an action; `wave` is derived from the action so a repeat is harmless. */
function actionAlert(
  action: ActionAlertSubject,
  kind: ActionAlertKind,
  recipientAadObjectId: string,
  now: Date,
  chaseNumber = 0,
): Alert {
  return {
    alertId: randomUUID(),
    tenantId: action.tenantId,
    schoolId: action.schoolId,
    kind,
    incidentId: action.incidentId,
    reference: action.reference,
    recipientAadObjectId,
    reason: REASONS[kind],
    wave:
      kind === 'referral-chase' || kind === 'transfer-chase'
        ? action.sequence * 1000 + chaseNumber
        : action.sequence,
    recordedBy: { ...action.author },
    categoryNames: [...action.categoryNames],
    recordedAt: action.recordedAt,
    createdAt: now,
    action: {
      actionId: action.actionId,
      kind: action.kind,
      ...(action.dueAt ? { dueAt: action.dueAt } : {}),
    },
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
  };
}
