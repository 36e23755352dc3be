// A little over 300 lines: adding an action, its idempotency and sequence, and the task queries
// share one set of rules; the checks per kind (action-details.ts), the referral list
// (referrals-awaiting.ts) and the clocks (action-jobs.ts) are apart.
import { randomUUID } from 'node:crypto';
import type { AccessActor } from '../access';
import type { AddedActionSubject } from '../alerts';
import type { AuditTrail, ChangeAuditRecovery } from '../audit';
import { actionChange } from './action-audit';
import { referralDecisionDueAt, taskTimes } from '../clocks';
import type { DomainEvents } from '../events';
import type { Incident } from '../incidents';
import type { Clock } from '../shared/clock';
import { AppError, isDuplicateKeyError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { isSafeguardingTeam, type Actor } from '../staff';
import { alertSubjectOf } from './action-alerts';
import { invitedToRecords } from './action-invitations';
import { checkActionDetails, type ActionDirectory, type ActionFiles } from './action-details';
import type { ActionJobRepository } from './action-job.repository';
import type { ActionRepository } from './action.repository';
import type {
  Action,
  ActionConfig,
  ActionDetails,
  ActionInput,
  TaskCompletion,
} from './action.types';
import { categoryNamesOf, type ActionRecords } from './record-access';
import { auditEvent } from '../audit';

type ActionStore = Pick<
  ActionRepository,
  | 'insert'
  | 'findByIdempotencyKey'
  | 'findById'
  | 'highestSequence'
  | 'listForIncidents'
  | 'listTasks'
  | 'insertCompletion'
  | 'completionsOf'
>;

/** A result of adding: `created` is false when the same form was already submitted. */
export interface AddActionResult {
  readonly action: Action;
  readonly created: boolean;
}

const MAX_SEQUENCE_ATTEMPTS = 50;

/**
 * Follow-ups on a record: notes, conversations, calls, meetings, referrals, decisions and tasks.
 * Immutable once added; a task's completion is a document of its own. Access is the record's
 * (`addAction` in the one policy, asked through `ActionRecords.authorize`); the people an action
 * alerts and a task's assignee are then invited to the record (`invitedTo`).
 */
export class ActionService {
  constructor(
    private readonly store: ActionStore,
    private readonly jobs: Pick<ActionJobRepository, 'insertJob'>,
    private readonly records: ActionRecords,
    private readonly directory: ActionDirectory,
    private readonly files: ActionFiles,
    /** Hears `action.added` (alerts/ alerts the people the action names). */
    private readonly events: Pick<DomainEvents, 'publish'>,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly config: ActionConfig,
    /** Appends the event a crash cut off after an action, when the same form comes again. */
    private readonly recovery?: Pick<ChangeAuditRecovery, 'recover'>,
  ) {}

  /**
   * Adds an action to a record, once per idempotency key; alerts its recipients and a task's
   * assignee, and starts a task's or a statutory referral's clock. Throws the policy's refusals
   * (INCIDENT.NOT_FOUND, ACCESS.DENIED; audited) or ActionValidationError with per-field messages.
   */
  async add(
    actor: AccessActor,
    incidentId: string,
    input: ActionInput,
    requestId?: string,
  ): Promise<AddActionResult> {
    const existing = await this.store.findByIdempotencyKey(actor, input.idempotencyKey);
    if (existing) return this.repeated(actor, incidentId, existing);

    const incident = await this.records.authorize(actor, incidentId, 'addAction', requestId);
    const now = this.clock.now();
    const details = await checkActionDetails(
      { directory: this.directory, files: this.files, config: this.config },
      actor,
      incident,
      input,
      now,
    );
    const action = await this.insertWithSequence(actor, incident, input, details, now);
    if (!action.created) return this.repeated(actor, incidentId, action.action);

    await this.audit.record(
      auditEvent(
        actor,
        'action.create',
        { kind: 'action', id: action.action.actionId },
        { requestId },
      ),
    );
    await this.followUp(action.action);
    return action;
  }

  /**
   * An action as the alerts feature sees it (no text), for its `action.added` handler; nothing if
   * the action or its record is gone.
   */
  async addedActionSubject(
    scope: SchoolScope,
    actionId: string,
  ): Promise<AddedActionSubject | undefined> {
    const action = await this.store.findById(scope, actionId);
    const incident = action && (await this.records.findIncident(scope, action.incidentId));
    if (!action || !incident) return undefined;
    const categories = await this.records.listCategories(incident);
    return alertSubjectOf(action, categoryNamesOf(incident, categories));
  }

  /** One action of the actor’s school by id (a task card’s buttons carry the id). */
  async get(actor: Actor, actionId: string): Promise<Action | undefined> {
    return this.store.findById(actor, actionId);
  }

  /**
   * Actions of these records, newest first, for the chronology and the tab. The caller has asked
   * the access policy about each record; this returns everything of the records it names.
   */
  listForIncidents(
    scope: SchoolScope,
    incidentIds: readonly string[],
    limit = 1_000,
  ): Promise<Action[]> {
    return this.store.listForIncidents(scope, incidentIds, limit);
  }

  /**
   * Who was invited to each record by its actions: the people an action alerted and the
   * assignees of its tasks. The access facts' `invitedAadObjectIds`.
   */
  invitedTo(scope: SchoolScope, incidentIds: readonly string[]): Promise<Map<string, string[]>> {
    return invitedToRecords(this.store, scope, incidentIds);
  }

  /**
   * Marks a task done (its assignee or the team). A second click changes nothing; the task's
   * reminders stop at their next check.
   */
  async completeTask(
    actor: Actor,
    actionId: string,
  ): Promise<{ task: Action; completion: TaskCompletion; changed: boolean }> {
    const task = await this.store.findById(actor, actionId);
    if (!task || task.details.kind !== 'task') {
      throw new AppError('ACTION.NOT_FOUND', 'no such task at this school');
    }
    if (
      task.details.assignee.aadObjectId !== actor.aadObjectId &&
      !isSafeguardingTeam(actor.roles)
    ) {
      await this.audit.record(
        auditEvent(
          actor,
          'access.denied',
          { kind: 'action', id: actionId },
          { reason: 'completeTask:not-assignee' },
        ),
      );
      throw new AppError('ACTION.NOT_ASSIGNEE', 'only the assignee or the team completes a task');
    }
    const changed = await this.store.insertCompletion({
      tenantId: task.tenantId,
      schoolId: task.schoolId,
      actionId,
      incidentId: task.incidentId,
      completedAt: this.clock.now(),
      completedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
    });
    const [completion] = await this.store.completionsOf(actor, [actionId]);
    if (!completion) throw new AppError('ACTION.NOT_FOUND', 'completion vanished');
    return { task, completion, changed };
  }

  /** The actor's open tasks, soonest due first (the `actions` command). */
  async openTasksOf(actor: Actor): Promise<Action[]> {
    const tasks = await this.store.listTasks(
      actor,
      { assigneeAadObjectId: actor.aadObjectId },
      200,
    );
    return this.withoutDone(actor, tasks);
  }

  /** Every overdue task of the school, for the safeguarding team; conflicts left out. */
  async overdueTasks(actor: Actor): Promise<Action[]> {
    if (!isSafeguardingTeam(actor.roles)) {
      throw new AppError('ACCESS.DENIED', 'overdue tasks are for the safeguarding team');
    }
    const tasks = await this.store.listTasks(actor, { dueBefore: this.clock.now() }, 500);
    const visible = tasks.filter(
      (t) => !t.pupilIds.some((id) => actor.conflictPupilIds.includes(id)),
    );
    return this.withoutDone(actor, visible);
  }

  private async withoutDone(scope: SchoolScope, tasks: Action[]): Promise<Action[]> {
    const done = await this.store.completionsOf(
      scope,
      tasks.map((t) => t.actionId),
    );
    const doneIds = new Set(done.map((c) => c.actionId));
    return tasks.filter((t) => !doneIds.has(t.actionId));
  }

  /** The same form again: the first action, if it was this person's on this record. */
  private async repeated(
    actor: Actor,
    incidentId: string,
    existing: Action,
  ): Promise<AddActionResult> {
    if (existing.incidentId !== incidentId || existing.author.aadObjectId !== actor.aadObjectId) {
      throw new AppError('ACTION.KEY_REUSED', 'idempotency key belongs to another action');
    }
    // Finish what a crash may have cut short: its audit event first; alerts and clocks are
    // idempotent.
    await this.recovery?.recover([
      actionChange({ ...existing, _id: existing.actionId, recordedAt: existing.recordedAt }),
    ]);
    const incident = await this.records.findIncident(actor, incidentId);
    if (incident) await this.followUp(existing);
    return { action: existing, created: false };
  }

  /**
   * Clocks of a new action, then `action.added` for what follows it (alerts): each safe to repeat.
   * Published after the action is stored; its handlers run before this returns.
   */
  private async followUp(action: Action): Promise<void> {
    const now = this.clock.now();
    const d = action.details;
    if (d.kind === 'task') {
      const { remindAt } = taskTimes(d.dueDate, this.config.calendar);
      await this.jobs.insertJob({
        jobId: `task:${action.actionId}`,
        tenantId: action.tenantId,
        schoolId: action.schoolId,
        kind: 'task',
        incidentId: action.incidentId,
        actionId: action.actionId,
        nextCheckAt: remindAt.getTime() > now.getTime() ? remindAt : now,
      });
    }
    if (d.kind === 'referral' && d.statutory) {
      await this.jobs.insertJob({
        jobId: `referral:${action.actionId}`,
        tenantId: action.tenantId,
        schoolId: action.schoolId,
        kind: 'referral',
        incidentId: action.incidentId,
        actionId: action.actionId,
        nextCheckAt: referralDecisionDueAt(d.referredAt, this.config.calendar),
      });
    }
    await this.events.publish({
      type: 'action.added',
      tenantId: action.tenantId,
      schoolId: action.schoolId,
      incidentId: action.incidentId,
      actionId: action.actionId,
    });
  }

  /**
   * Inserts with the record's next sequence number; a clash means another action (or this same
   * form, clicked twice) got there first: look for the form's action, else take the next number.
   */
  private async insertWithSequence(
    actor: Actor,
    incident: Incident,
    input: ActionInput,
    details: ActionDetails,
    now: Date,
  ): Promise<AddActionResult> {
    for (let attempt = 0; attempt < MAX_SEQUENCE_ATTEMPTS; attempt += 1) {
      const action: Action = {
        actionId: randomUUID(),
        tenantId: incident.tenantId,
        schoolId: incident.schoolId,
        incidentId: incident.incidentId,
        reference: incident.reference,
        pupilIds: pupilIdsOf(incident),
        sequence: (await this.store.highestSequence(incident, incident.incidentId)) + 1,
        details,
        happenedAt: input.happenedAt,
        recordedAt: now,
        author: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
        text: input.text,
        alertStaffIds: [...new Set(input.alertStaffIds)],
        idempotencyKey: input.idempotencyKey,
      };
      try {
        await this.store.insert(action);
        return { action, created: true };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const first = await this.store.findByIdempotencyKey(actor, input.idempotencyKey);
        if (first) return { action: first, created: false };
      }
    }
    throw new AppError('ACTION.SEQUENCE_EXHAUSTED', 'could not claim an action number');
  }
}

function pupilIdsOf(incident: Incident): string[] {
  return [incident.pupilId, ...incident.linkedPupils.map((p) => p.pupilId)];
}
