// Over 300 lines: the one repository of actions and task completions, with the sealing of each
// kind's text and its mapping back (detailsOf); splitting the two collections would split one
// sealed format across files.
import { personSchemaFields } from '../store/person-fields';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  MongoWrappedKeyHolder,
  sealedNarrativeSchema,
  type NarrativeCipher,
  type SealedNarrative,
  type WrappedKeyHolder,
} from '../encryption';
import { scoped, type SchoolScope } from '../shared/school-scope';
import type {
  Action,
  ActionDetails,
  ConversationParty,
  DecisionOutcome,
  TaskCompletion,
} from './action.types';
import { refuseChanges } from '../store/append-only';
import { insertOnce } from '../store/insert-once';
import type { ActionFacts } from './action-audit';

/** An action as stored: one flat document, kind-specific fields optional, `_id` = actionId. */
interface ActionDoc extends SchoolScope {
  _id: string;
  incidentId: string;
  reference: string;
  pupilIds: string[];
  sequence: number;
  kind: ActionDetails['kind'];
  happenedAt: Date;
  recordedAt: Date;
  author: { aadObjectId: string; displayName: string };
  /** The narrative (text, a decision's reason), sealed: see `sealNarrative`. */
  sealed: SealedNarrative;
  alertStaffIds: string[];
  idempotencyKey: string;
  with?: ConversationParty;
  minutesFileId?: string;
  minutesFileName?: string;
  agencyId?: string;
  agencyName?: string;
  agencyReference?: string;
  referredAt?: Date;
  statutory?: boolean;
  outcome?: DecisionOutcome;
  assigneeAadObjectId?: string;
  assigneeName?: string;
  dueDate?: string;
  dueAt?: Date;
}

/** A referral or a decision as reports count it: ids, kind, times, agency or outcome; no text. */
export interface ReferralOrDecisionFact {
  readonly actionId: string;
  readonly incidentId: string;
  readonly pupilIds: readonly string[];
  readonly sequence: number;
  readonly kind: 'referral' | 'decision';
  readonly happenedAt: Date;
  readonly referredAt?: Date;
  readonly agencyName?: string;
  readonly statutory?: boolean;
  readonly outcome?: DecisionOutcome;
}

const actionSchema = new Schema<ActionDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    incidentId: { type: String, required: true },
    reference: { type: String, required: true },
    pupilIds: { type: [String], required: true },
    sequence: { type: Number, required: true },
    kind: { type: String, required: true },
    happenedAt: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    author: personSchemaFields,
    sealed: { type: sealedNarrativeSchema, required: true },
    alertStaffIds: { type: [String], default: [] },
    idempotencyKey: { type: String, required: true },
    with: { type: String },
    minutesFileId: { type: String },
    minutesFileName: { type: String },
    agencyId: { type: String },
    agencyName: { type: String },
    agencyReference: { type: String },
    referredAt: { type: Date },
    statutory: { type: Boolean },
    outcome: { type: String },
    assigneeAadObjectId: { type: String },
    assigneeName: { type: String },
    dueDate: { type: String },
    dueAt: { type: Date },
  },
  { collection: 'actions', strict: 'throw', minimize: false, versionKey: false },
);
// A double click or a Teams retry of the same form finds the first action here.
actionSchema.index({ tenantId: 1, schoolId: 1, idempotencyKey: 1 }, { unique: true });
// Each action of a record claims the next number by inserting against this index.
actionSchema.index({ tenantId: 1, schoolId: 1, incidentId: 1, sequence: 1 }, { unique: true });
actionSchema.index({ tenantId: 1, schoolId: 1, kind: 1, assigneeAadObjectId: 1 });

// Actions are immutable like records: refuse every update or delete path at the model.
refuseChanges(actionSchema, 'ACTION.IMMUTABLE', 'actions');

interface CompletionDoc extends Omit<TaskCompletion, 'actionId'> {
  _id: string;
}
const completionSchema = new Schema<CompletionDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    incidentId: { type: String, required: true },
    completedAt: { type: Date, required: true },
    completedBy: personSchemaFields,
  },
  { collection: 'action_task_completions', strict: 'throw', versionKey: false },
);

/**
 * Actions and task completions: insert-only; correctness comes from unique keys (idempotency key,
 * the record's sequence, a completion's task id), never from racing updates.
 */
export class ActionRepository {
  private readonly actions: Model<ActionDoc>;
  private readonly completions: Model<CompletionDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    const models = connection.models;
    this.actions = models.Action ?? connection.model<ActionDoc>('Action', actionSchema);
    this.completions =
      models.TaskCompletion ?? connection.model<CompletionDoc>('TaskCompletion', completionSchema);
  }

  /** Inserts an action; a reused idempotency key or a taken sequence fails with code 11000. */
  async insert(action: Action): Promise<void> {
    await this.actions.create(await this.toDoc(action));
  }

  /**
   * What each action's audit event is made of (id, author, time; no text): those recorded since
   * an instant across schools, or one school's.
   */
  auditFacts(where: { since: Date } | { scope: SchoolScope }): AsyncIterable<ActionFacts> {
    return this.actions
      .find('since' in where ? { recordedAt: { $gte: where.since } } : scoped(where.scope), {
        tenantId: 1,
        schoolId: 1,
        author: 1,
        recordedAt: 1,
      })
      .lean<ActionFacts[]>()
      .cursor({ batchSize: 500 });
  }

  /** Where key rotation finds the wrapped data keys of actions. */
  wrappedKeys(): WrappedKeyHolder {
    return new MongoWrappedKeyHolder('actions', this.actions.collection, 'sealed', 'string');
  }

  async findByIdempotencyKey(scope: SchoolScope, key: string): Promise<Action | undefined> {
    const doc = await this.actions.findOne({ ...scoped(scope), idempotencyKey: key }).lean();
    return doc ? this.fromDoc(doc) : undefined;
  }

  /** One action by id (an `_id` lookup), only within the school. */
  async findById(scope: SchoolScope, actionId: string): Promise<Action | undefined> {
    const doc = await this.actions.findById(actionId).lean();
    return doc && inScope(doc, scope) ? this.fromDoc(doc) : undefined;
  }

  /** The highest sequence used on a record (0 when it has no action). */
  async highestSequence(scope: SchoolScope, incidentId: string): Promise<number> {
    const [doc] = await this.actions
      .find({ ...scoped(scope), incidentId }, { sequence: 1 })
      .sort({ sequence: -1 })
      .limit(1)
      .lean();
    return doc?.sequence ?? 0;
  }

  /** Actions of these records, newest (by when they happened) first. */
  async listForIncidents(
    scope: SchoolScope,
    incidentIds: readonly string[],
    limit: number,
  ): Promise<Action[]> {
    if (incidentIds.length === 0) return [];
    const docs = await this.actions
      .find({ ...scoped(scope), incidentId: { $in: [...incidentIds] } })
      .sort({ happenedAt: -1, sequence: -1 })
      .limit(limit)
      .lean();
    return Promise.all(docs.map((d) => this.fromDoc(d)));
  }

  /** Tasks of a school, optionally one person's or due before an instant (open or done). */
  async listTasks(
    scope: SchoolScope,
    filter: { assigneeAadObjectId?: string; dueBefore?: Date },
    limit: number,
  ): Promise<Action[]> {
    const docs = await this.actions
      .find({
        ...scoped(scope),
        kind: 'task',
        ...(filter.assigneeAadObjectId ? { assigneeAadObjectId: filter.assigneeAadObjectId } : {}),
        ...(filter.dueBefore ? { dueAt: { $lt: filter.dueBefore } } : {}),
      })
      .sort({ dueAt: 1 })
      .limit(limit)
      .lean();
    return Promise.all(docs.map((d) => this.fromDoc(d)));
  }

  /** Records a task as done; false when it already was (a second click, another instance). */
  async insertCompletion(completion: TaskCompletion): Promise<boolean> {
    const { actionId, ...rest } = completion;
    return insertOnce(this.completions, { _id: actionId, ...rest });
  }

  /** Completions of these tasks (`_id` lookups). */
  async completionsOf(scope: SchoolScope, actionIds: readonly string[]): Promise<TaskCompletion[]> {
    if (actionIds.length === 0) return [];
    const docs = await this.completions
      .find({ _id: { $in: [...actionIds] } })
      .limit(actionIds.length)
      .lean();
    return docs
      .filter((d) => inScope(d, scope))
      .map((d) => ({
        tenantId: d.tenantId,
        schoolId: d.schoolId,
        actionId: d._id,
        incidentId: d.incidentId,
        completedAt: d.completedAt,
        completedBy: {
          aadObjectId: d.completedBy.aadObjectId,
          displayName: d.completedBy.displayName,
        },
      }));
  }

  /**
   * A school's referrals and decisions that happened since an instant, without their narrative
   * (reports count them; nothing is opened). A seek on the `(school, kind)` prefix of the
   * assignee index; the date is checked by the store after it.
   */
  async referralsAndDecisionsSince(
    scope: SchoolScope,
    since: Date,
    limit: number,
  ): Promise<ReferralOrDecisionFact[]> {
    const docs = await this.actions
      .find(
        { ...scoped(scope), kind: { $in: ['referral', 'decision'] }, happenedAt: { $gte: since } },
        { sealed: 0, author: 0, alertStaffIds: 0, idempotencyKey: 0 },
      )
      .limit(limit)
      .lean();
    return docs.map(toReferralOrDecisionFact);
  }

  /**
   * These actions as reports count them, when they are referrals or decisions (others are left
   * out): `_id` seeks, nothing opened. The summaries' follow-up of `action.added` reads one.
   */
  async referralOrDecisionFactsOf(
    scope: SchoolScope,
    actionIds: readonly string[],
  ): Promise<ReferralOrDecisionFact[]> {
    if (actionIds.length === 0) return [];
    const docs = await this.actions
      .find(
        { _id: { $in: [...actionIds] }, ...scoped(scope) },
        { sealed: 0, author: 0, alertStaffIds: 0, idempotencyKey: 0 },
      )
      .lean();
    return docs
      .filter((d) => d.kind === 'referral' || d.kind === 'decision')
      .map(toReferralOrDecisionFact);
  }

  /*
   * The narrative fields, mapped here and nowhere else: an action's `text` and a decision's
   * `reason` are sealed together, bound to the action's id (`action:<id>`), so a dump of the
   * database holds no narrative and a ciphertext moved onto another action does not open.
   */
  private async toDoc(a: Action): Promise<ActionDoc> {
    const d = a.details;
    const narrative = { text: a.text, ...(d.kind === 'decision' ? { reason: d.reason } : {}) };
    return {
      _id: a.actionId,
      tenantId: a.tenantId,
      schoolId: a.schoolId,
      incidentId: a.incidentId,
      reference: a.reference,
      pupilIds: [...a.pupilIds],
      sequence: a.sequence,
      kind: d.kind,
      happenedAt: a.happenedAt,
      recordedAt: a.recordedAt,
      author: { ...a.author },
      sealed: await this.cipher.seal(narrative, actionContext(a.actionId)),
      alertStaffIds: [...a.alertStaffIds],
      idempotencyKey: a.idempotencyKey,
      ...(d.kind === 'conversation' || d.kind === 'phone-call' ? { with: d.with } : {}),
      ...(d.kind === 'meeting' && d.minutes
        ? { minutesFileId: d.minutes.fileId, minutesFileName: d.minutes.name }
        : {}),
      ...(d.kind === 'referral'
        ? {
            agencyId: d.agencyId,
            agencyName: d.agencyName,
            agencyReference: d.agencyReference,
            referredAt: d.referredAt,
            statutory: d.statutory,
          }
        : {}),
      ...(d.kind === 'decision' ? { outcome: d.outcome } : {}),
      ...(d.kind === 'task'
        ? {
            assigneeAadObjectId: d.assignee.aadObjectId,
            assigneeName: d.assignee.displayName,
            dueDate: d.dueDate,
            dueAt: d.dueAt,
          }
        : {}),
    };
  }

  // Whitelist on the way out: only the fields of the type, never whatever else a document holds.
  private async fromDoc(doc: ActionDoc): Promise<Action> {
    const opened = await this.cipher.open(doc.sealed, actionContext(doc._id));
    const text = typeof opened.text === 'string' ? opened.text : '';
    const reason = typeof opened.reason === 'string' ? opened.reason : '';
    return {
      actionId: doc._id,
      tenantId: doc.tenantId,
      schoolId: doc.schoolId,
      incidentId: doc.incidentId,
      reference: doc.reference,
      pupilIds: [...doc.pupilIds],
      sequence: doc.sequence,
      details: detailsOf(doc, reason),
      happenedAt: doc.happenedAt,
      recordedAt: doc.recordedAt,
      author: { aadObjectId: doc.author.aadObjectId, displayName: doc.author.displayName },
      text,
      alertStaffIds: [...doc.alertStaffIds],
      idempotencyKey: doc.idempotencyKey,
    };
  }
}

const actionContext = (actionId: string) => `action:${actionId}`;

function inScope(doc: SchoolScope, scope: SchoolScope): boolean {
  return doc.tenantId === scope.tenantId && doc.schoolId === scope.schoolId;
}

function detailsOf(doc: ActionDoc, reason: string): ActionDetails {
  switch (doc.kind) {
    case 'conversation':
    case 'phone-call':
      return { kind: doc.kind, with: doc.with ?? 'professional' };
    case 'meeting':
      return doc.minutesFileId
        ? {
            kind: 'meeting',
            minutes: { fileId: doc.minutesFileId, name: doc.minutesFileName ?? '' },
          }
        : { kind: 'meeting' };
    case 'referral':
      return {
        kind: 'referral',
        agencyId: doc.agencyId ?? '',
        agencyName: doc.agencyName ?? '',
        agencyReference: doc.agencyReference ?? '',
        referredAt: doc.referredAt ?? doc.happenedAt,
        statutory: doc.statutory ?? false,
      };
    case 'decision':
      return {
        kind: 'decision',
        outcome: doc.outcome ?? 'other',
        reason,
      };
    case 'task':
      return {
        kind: 'task',
        assignee: {
          aadObjectId: doc.assigneeAadObjectId ?? '',
          displayName: doc.assigneeName ?? '',
        },
        dueDate: doc.dueDate ?? '',
        dueAt: doc.dueAt ?? doc.happenedAt,
      };
    default:
      return { kind: 'note' };
  }
}

/** A stored referral or decision as reports count it (no narrative). */
function toReferralOrDecisionFact(
  d: Omit<ActionDoc, 'sealed' | 'author' | 'alertStaffIds' | 'idempotencyKey'>,
): ReferralOrDecisionFact {
  return {
    actionId: d._id,
    incidentId: d.incidentId,
    pupilIds: [...d.pupilIds],
    sequence: d.sequence,
    kind: d.kind === 'referral' ? ('referral' as const) : ('decision' as const),
    happenedAt: d.happenedAt,
    ...(d.kind === 'referral'
      ? {
          referredAt: d.referredAt ?? d.happenedAt,
          agencyName: d.agencyName ?? '',
          statutory: d.statutory ?? false,
        }
      : { outcome: d.outcome ?? 'other' }),
  };
}
