import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ACTION_FORM_FIELDS,
  ActionValidationError,
  actionFormValues,
  parseActionForm,
  type ActionFormValues,
  type ActionService,
} from '../../actions';
import type { Agency } from '../../schools';
import type { Clock } from '../../shared/clock';
import { AppError } from '../../shared/errors';
import type { SchoolScope } from '../../shared/school-scope';
import { formatSchoolTime, SCHOOL_TIME_ZONE, toSchoolDateTime } from '../../shared/school-time';
import { isSafeguardingTeam, type Actor, type StaffMember } from '../../staff';
import { inertText } from '../inert-text';
import { renderCard, type AdaptiveCardJson } from '../render-card';
import {
  choicesOf,
  KIND_LABELS,
  renderActionAdded,
  renderTaskCard,
  renderOpenTasks,
} from './action-cards';

/** What the action cards need from the features. */
export interface ActionFlowDependencies {
  actions: Pick<ActionService, 'add' | 'get' | 'completeTask' | 'openTasksOf' | 'overdueTasks'>;
  incidents: {
    findById(scope: SchoolScope, incidentId: string): Promise<{ reference: string } | undefined>;
  };
  lists: { listAgencies(scope: SchoolScope): Promise<Agency[]> };
  staff: { listActiveStaff(scope: SchoolScope, limit?: number): Promise<StaffMember[]> };
  clock: Clock;
}

const WITH_LABELS = {
  pupil: 'The pupil',
  'parent-carer': 'A parent or carer',
  professional: 'A professional',
};
const OUTCOME_LABELS = {
  'no-further-action': 'No further action (give the reason)',
  monitor: 'Monitor in school',
  refer: 'Refer to an agency',
  'early-help': 'Early help',
  other: 'Other (say what in the text)',
};

const ids = z.object({ incidentId: z.uuid(), idempotencyKey: z.uuid() });

/**
 * The bot side of actions: the form (opened from an alert card, a task card or a chase), its
 * submission, a task's Done and Add note, and the `actions` command. Parses card values, calls
 * the actions service, renders one card. Until the step-up store lands the actor is passed with
 * `steppedUp: false` (adding an action from a card does not need it; closing does).
 */
export class ActionFlow {
  constructor(private readonly deps: ActionFlowDependencies) {}

  /** A blank form for a record (or with values kept, and messages, after a refusal). */
  async openForm(
    actor: Actor,
    incidentId: string,
    kept?: { values: ActionFormValues; errors: Partial<Record<string, string>>; key: string },
  ): Promise<AdaptiveCardJson> {
    const record = await this.deps.incidents.findById(actor, incidentId);
    if (!record) throw new AppError('ACTION.RECORD_NOT_FOUND', 'no such record at this school');
    const [agencies, staff] = await Promise.all([
      this.deps.lists.listAgencies(actor),
      this.deps.staff.listActiveStaff(actor, 500),
    ]);
    const now = toSchoolDateTime(this.deps.clock.now());
    const values: Record<string, string> =
      kept?.values ?? Object.fromEntries(ACTION_FORM_FIELDS.map((f) => [f, '']));
    if (!kept) Object.assign(values, { happenedDate: now.date, happenedTime: now.time });
    const errors = Object.fromEntries(ACTION_FORM_FIELDS.map((f) => [f, kept?.errors[f] ?? '']));
    return renderCard('actions/action-form', {
      incidentId,
      idempotencyKey: kept?.key ?? randomUUID(),
      reference: record.reference,
      banner:
        kept && Object.keys(kept.errors).length > 0
          ? 'Please check the highlighted fields: nothing you typed was lost.'
          : '',
      maxDate: now.date,
      values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, inertText(v)])),
      errors,
      // Decisions are the team's: others are not offered the kind (the service refuses it too).
      kindChoices: choicesOf(KIND_LABELS).filter(
        (c) => c.value !== 'decision' || isSafeguardingTeam(actor.roles),
      ),
      withChoices: choicesOf(WITH_LABELS),
      agencyChoices: agencies.map((a) => ({ title: inertText(a.name), value: a.agencyId })),
      outcomeChoices: choicesOf(OUTCOME_LABELS),
      staffChoices: staff.map((m) => ({ title: inertText(m.displayName), value: m.aadObjectId })),
    });
  }

  /** Adds the action; a refused form comes back with what was typed and a message by each field. */
  async submit(actor: Actor, data: Record<string, unknown>): Promise<AdaptiveCardJson | undefined> {
    const parsedIds = ids.safeParse(data);
    if (!parsedIds.success) return undefined;
    const { incidentId, idempotencyKey } = parsedIds.data;
    const values = actionFormValues(data);
    const parsed = parseActionForm(values, idempotencyKey, SCHOOL_TIME_ZONE);
    if (!parsed.ok)
      return this.openForm(actor, incidentId, {
        values,
        errors: parsed.errors,
        key: idempotencyKey,
      });
    try {
      const { action, created } = await this.deps.actions.add(
        { ...actor, steppedUp: false },
        incidentId,
        parsed.input,
      );
      const staff = await this.deps.staff.listActiveStaff(actor, 500);
      const told = [
        ...action.alertStaffIds,
        ...(action.details.kind === 'task' ? [action.details.assignee.aadObjectId] : []),
      ];
      const names = staff.filter((m) => told.includes(m.aadObjectId)).map((m) => m.displayName);
      return renderActionAdded(action, names, !created);
    } catch (error) {
      if (!(error instanceof ActionValidationError)) throw error;
      return this.openForm(actor, incidentId, {
        values,
        errors: error.fieldErrors,
        key: idempotencyKey,
      });
    }
  }

  /** Done on a task card: marks it done and redraws the card saying so. */
  async completeTask(actor: Actor, actionId: string): Promise<AdaptiveCardJson> {
    const { task, completion } = await this.deps.actions.completeTask(actor, actionId);
    const by = inertText(completion.completedBy.displayName);
    return renderTaskCard(
      task,
      `Done: marked by ${by} at ${formatSchoolTime(completion.completedAt)}`,
    );
  }

  /** Add note on a task card: the action form for the task's record, as a note. */
  async addTaskNote(actor: Actor, actionId: string): Promise<AdaptiveCardJson> {
    const task = await this.deps.actions.get(actor, actionId);
    if (!task) throw new AppError('ACTION.NOT_FOUND', 'no such task at this school');
    const values = Object.fromEntries(ACTION_FORM_FIELDS.map((f) => [f, ''])) as ActionFormValues;
    const now = toSchoolDateTime(this.deps.clock.now());
    Object.assign(values, { kind: 'note', happenedDate: now.date, happenedTime: now.time });
    return this.openForm(actor, task.incidentId, { values, errors: {}, key: randomUUID() });
  }

  /** The `actions` command: my open tasks; the team also sees every overdue task of the school. */
  async listTasks(actor: Actor): Promise<AdaptiveCardJson> {
    const open = await this.deps.actions.openTasksOf(actor);
    const overdue = isSafeguardingTeam(actor.roles)
      ? await this.deps.actions.overdueTasks(actor)
      : undefined;
    return renderOpenTasks(open, overdue);
  }
}
