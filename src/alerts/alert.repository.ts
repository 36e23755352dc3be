import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';
import { insertFailuresOf } from '../store/insert-failures';
import type { SchoolScope } from '../shared/school-scope';
import type { Acknowledgement, Alert, AlertStatus, EscalationJob } from './alert.types';

/**
 * An alert as stored: its `_id` is its alertId, so reading or updating one alert is a filter on
 * `_id` alone: an index seek on MongoDB and, through the embedded store's pushdown patch, on
 * FerretDB's SQLite backend too (test/integration/store/index-use.test.ts asserts it).
 */
type AlertDoc = Alert & { _id: string };

const alertSchema = new Schema<AlertDoc>(
  {
    // Older alerts carry an ObjectId here; get/updateDelivery fall back to alertId for them.
    _id: { type: String, required: true },
    alertId: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    kind: { type: String, required: true },
    incidentId: { type: String, required: true },
    reference: { type: String, required: true },
    recipientAadObjectId: { type: String, required: true },
    reason: { type: String, required: true },
    wave: { type: Number, required: true },
    recordedBy: {
      aadObjectId: { type: String, required: true },
      displayName: { type: String, required: true },
    },
    categoryNames: { type: [String], required: true },
    recordedAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    notice: { type: { recipientName: String, reason: String }, required: false, _id: false },
    action: { type: { actionId: String, kind: String, dueAt: Date }, required: false, _id: false },
    status: { type: String, required: true },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    lastError: { type: String },
    activityId: { type: String },
    conversationId: { type: String },
    sentAt: { type: Date },
  },
  { collection: 'alerts', strict: 'throw', versionKey: false },
);
// Outbox first: one alert per record, person, kind and wave, however often enqueueing is retried.
alertSchema.index(
  { tenantId: 1, schoolId: 1, incidentId: 1, recipientAadObjectId: 1, kind: 1, wave: 1 },
  { unique: true },
);
alertSchema.index({ alertId: 1 }, { unique: true });
alertSchema.index({ status: 1, nextAttemptAt: 1 });
alertSchema.index({ tenantId: 1, schoolId: 1, status: 1, createdAt: -1 });

const ackSchema = new Schema<Acknowledgement>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    incidentId: { type: String, required: true },
    aadObjectId: { type: String, required: true },
    displayName: { type: String, required: true },
    acknowledgedAt: { type: Date, required: true },
    onTeam: { type: Boolean, required: true },
  },
  { collection: 'alert_acknowledgements', strict: 'throw', versionKey: false },
);
// A second click, a replay or a race between two instances records nothing new.
ackSchema.index({ tenantId: 1, schoolId: 1, incidentId: 1, aadObjectId: 1 }, { unique: true });

const jobSchema = new Schema<EscalationJob>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    incidentId: { type: String, required: true },
    reference: { type: String, required: true },
    pupilIds: { type: [String], required: true },
    createdAt: { type: Date, required: true },
    stepsDone: { type: Number, required: true },
    nextCheckAt: { type: Date, required: true },
    teamAcknowledgedAt: { type: Date },
    teamAcknowledgedBy: { type: String },
  },
  { collection: 'alert_escalations', strict: 'throw', versionKey: false },
);
jobSchema.index({ tenantId: 1, schoolId: 1, incidentId: 1 }, { unique: true });
jobSchema.index({ nextCheckAt: 1 });

/**
 * The journal of sends Teams accepted, one document per alert (`_id` is the alertId). Written by
 * the lease holder straight after the send, as a batched insert; the alert's own `sent` state
 * follows a moment later (see DeliveryWorker), and a later claimer that finds the journal entry
 * completes it without sending. (The delay was chosen when every FerretDB update read the whole
 * alerts table; with the pushdown patch an update by `_id` is a seek, and the journal remains what
 * keeps a crash between a send and its `sent` mark from sending twice.)
 */
const deliverySchema = new Schema<Delivery & { _id: string }>(
  {
    _id: { type: String, required: true },
    activityId: { type: String, required: true },
    conversationId: { type: String, required: true },
    sentAt: { type: Date, required: true },
    attempts: { type: Number, required: true },
  },
  { collection: 'alert_deliveries', strict: 'throw', versionKey: false },
);

/** A send Teams accepted: what the alert records once it is marked sent. */
export interface Delivery {
  readonly alertId: string;
  readonly activityId: string;
  readonly conversationId: string;
  readonly sentAt: Date;
  readonly attempts: number;
}

/** The outbox: alerts, acknowledgements and escalation jobs. */
export class AlertRepository {
  private readonly alerts: Model<AlertDoc>;
  private readonly acks: Model<Acknowledgement>;
  private readonly jobs: Model<EscalationJob>;
  private readonly deliveries: Model<Delivery & { _id: string }>;

  constructor(connection: Connection) {
    this.alerts = connection.models.Alert ?? connection.model<AlertDoc>('Alert', alertSchema);
    this.acks =
      connection.models.Acknowledgement ??
      connection.model<Acknowledgement>('Acknowledgement', ackSchema);
    this.jobs =
      connection.models.EscalationJob ??
      connection.model<EscalationJob>('EscalationJob', jobSchema);
    this.deliveries =
      connection.models.AlertDelivery ??
      connection.model<Delivery & { _id: string }>('AlertDelivery', deliverySchema);
  }

  /**
   * Inserts alerts that are not there yet, in one unordered insert; returns how many were new.
   * Safe to repeat: the unique keys turn a repeat into duplicate-key failures, which are ignored.
   */
  async insertMissing(alerts: readonly Alert[]): Promise<number> {
    if (alerts.length === 0) return 0;
    const docs = alerts.map((a) => new this.alerts({ ...a, _id: a.alertId }));
    await Promise.all(docs.map((doc) => doc.validate()));
    try {
      // The driver's own insert: one round trip, and it reports each duplicate by its index.
      const outbox = this.alerts.collection as unknown as mongo.Collection<AlertDoc>;
      await outbox.insertMany(
        docs.map((d) => d.toObject<AlertDoc>()),
        { ordered: false },
      );
      return docs.length;
    } catch (error) {
      const failures = insertFailuresOf(error);
      if (!failures || failures.some((f) => !isDuplicateKeyError(f))) throw error;
      return docs.length - failures.length;
    }
  }

  /**
   * Alerts due to be sent. Unsorted on purpose: MongoDB walks the (status, nextAttemptAt) index
   * and answers oldest due first anyway, while FerretDB, which seeks only the `status` prefix
   * (ranges and sorts are not pushed down) and would sort every pending alert in memory, can stop
   * reading once `limit` alerts matched.
   */
  async findDue(now: Date, limit: number): Promise<Alert[]> {
    const docs = await this.alerts
      .find({ status: 'pending', nextAttemptAt: { $lte: now } })
      .limit(limit)
      .lean();
    return docs.map(toAlert);
  }

  /** The earliest time any pending alert is due (to sleep until then). */
  async nextDueAt(): Promise<Date | undefined> {
    const [doc] = await this.alerts
      .find({ status: 'pending' }, { nextAttemptAt: 1 })
      .sort({ nextAttemptAt: 1 })
      .limit(1)
      .lean();
    return doc?.nextAttemptAt;
  }

  async get(alertId: string): Promise<Alert | undefined> {
    const doc =
      (await this.alerts.findOne({ _id: alertId }).lean()) ??
      (await this.alerts.findOne({ alertId }).lean());
    return doc ? toAlert(doc) : undefined;
  }

  /** Every alert of a record (of one kind), e.g. to update the other recipients' cards. */
  async forIncident(scope: SchoolScope, incidentId: string, kind: Alert['kind']): Promise<Alert[]> {
    const docs = await this.alerts
      .find({ tenantId: scope.tenantId, schoolId: scope.schoolId, incidentId, kind })
      .limit(500)
      .lean();
    return docs.map(toAlert);
  }

  /** Records the outcome of a send attempt (only the lease holder calls this). */
  async updateDelivery(
    alertId: string,
    change: Partial<
      Pick<
        Alert,
        'attempts' | 'nextAttemptAt' | 'lastError' | 'activityId' | 'conversationId' | 'sentAt'
      >
    > & {
      status: AlertStatus;
    },
  ): Promise<void> {
    const byId = await this.alerts.updateOne({ _id: alertId }, { $set: change });
    if (byId.matchedCount === 0) await this.alerts.updateOne({ alertId }, { $set: change });
  }

  /**
   * Journals sends Teams accepted, in one insert. Safe to repeat: an alert already journalled
   * keeps its first entry (its unique `_id`), which is the send that counts.
   */
  async recordDeliveries(deliveries: readonly Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const docs = deliveries.map((d) => ({
      _id: d.alertId,
      activityId: d.activityId,
      conversationId: d.conversationId,
      sentAt: d.sentAt,
      attempts: d.attempts,
    }));
    try {
      const journal = this.deliveries.collection as unknown as mongo.Collection<(typeof docs)[0]>;
      await journal.insertMany(docs, { ordered: false });
    } catch (error) {
      const failures = insertFailuresOf(error);
      if (!failures || failures.some((f) => !isDuplicateKeyError(f))) throw error;
    }
  }

  /** The journalled send of an alert, if Teams accepted one. */
  async deliveryOf(alertId: string): Promise<Delivery | undefined> {
    const doc = await this.deliveries.findOne({ _id: alertId }).lean();
    return doc
      ? {
          alertId: doc._id,
          activityId: doc.activityId,
          conversationId: doc.conversationId,
          sentAt: doc.sentAt,
          attempts: doc.attempts,
        }
      : undefined;
  }

  /**
   * Marks these records' pending alerts withheld (never sent), in one update; returns how many.
   * For records written as history, whose alerts would otherwise all go out as live cards.
   */
  async withholdPending(
    scope: SchoolScope,
    incidentIds: readonly string[],
    reason: string,
  ): Promise<number> {
    if (incidentIds.length === 0) return 0;
    const result = await this.alerts.updateMany(
      {
        tenantId: scope.tenantId,
        schoolId: scope.schoolId,
        incidentId: { $in: [...incidentIds] },
        status: 'pending',
      },
      { $set: { status: 'withheld', lastError: reason } },
    );
    return result.modifiedCount;
  }

  /** Alerts of a school in a state the team must see (`alerts` command), newest first. */
  async listByStatus(
    scope: SchoolScope,
    statuses: readonly AlertStatus[],
    limit: number,
  ): Promise<Alert[]> {
    const docs = await this.alerts
      .find({
        tenantId: scope.tenantId,
        schoolId: scope.schoolId,
        kind: 'incident',
        status: { $in: statuses },
      })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean();
    return docs.map(toAlert);
  }

  /** Records an acknowledgement; false when this person had already acknowledged this record. */
  async acknowledge(ack: Acknowledgement): Promise<boolean> {
    try {
      await this.acks.create(ack);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /**
   * True once anyone on the safeguarding team has acknowledged the record. Acknowledgements are
   * insert-only, so this is the source of truth; the job's teamAcknowledgedAt is a cache that a
   * concurrent escalation update can overwrite (FerretDB applies updates without isolation).
   */
  async hasTeamAcknowledgement(scope: SchoolScope, incidentId: string): Promise<boolean> {
    const found = await this.acks.exists({
      tenantId: scope.tenantId,
      schoolId: scope.schoolId,
      incidentId,
      onTeam: true,
    });
    return found !== null;
  }

  /** Who has acknowledged a record, earliest first. */
  async acknowledgements(scope: SchoolScope, incidentId: string): Promise<Acknowledgement[]> {
    const docs = await this.acks
      .find({ tenantId: scope.tenantId, schoolId: scope.schoolId, incidentId })
      .sort({ acknowledgedAt: 1 })
      .limit(500)
      .lean();
    return docs.map((d) => ({
      tenantId: d.tenantId,
      schoolId: d.schoolId,
      incidentId: d.incidentId,
      aadObjectId: d.aadObjectId,
      displayName: d.displayName,
      acknowledgedAt: d.acknowledgedAt,
      onTeam: d.onTeam,
    }));
  }

  /** Creates a record's escalation job once. */
  async insertJob(job: EscalationJob): Promise<void> {
    try {
      await this.jobs.create(job);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** Escalation jobs due for a look, and not yet settled by a team acknowledgement. */
  async dueJobs(now: Date, limit: number): Promise<EscalationJob[]> {
    const docs = await this.jobs
      .find({ nextCheckAt: { $lte: now }, teamAcknowledgedAt: { $exists: false } })
      .sort({ nextCheckAt: 1 })
      .limit(limit)
      .lean();
    return docs.map(toJob);
  }

  /** Which of these records already have an escalation job (written after their alerts). */
  async incidentsWithJobs(incidentIds: readonly string[]): Promise<Set<string>> {
    if (incidentIds.length === 0) return new Set();
    const docs = await this.jobs
      .find({ incidentId: { $in: incidentIds } }, { incidentId: 1 })
      .limit(incidentIds.length)
      .lean();
    return new Set(docs.map((d) => d.incidentId));
  }

  async getJob(scope: SchoolScope, incidentId: string): Promise<EscalationJob | undefined> {
    const doc = await this.jobs
      .findOne({ tenantId: scope.tenantId, schoolId: scope.schoolId, incidentId })
      .lean();
    return doc ? toJob(doc) : undefined;
  }

  async updateJob(
    scope: SchoolScope,
    incidentId: string,
    change: Partial<
      Pick<EscalationJob, 'stepsDone' | 'nextCheckAt' | 'teamAcknowledgedAt' | 'teamAcknowledgedBy'>
    >,
  ): Promise<void> {
    await this.jobs.updateOne(
      { tenantId: scope.tenantId, schoolId: scope.schoolId, incidentId },
      { $set: change },
    );
  }
}

function toAlert(d: Alert): Alert {
  return {
    alertId: d.alertId,
    tenantId: d.tenantId,
    schoolId: d.schoolId,
    kind: d.kind,
    incidentId: d.incidentId,
    reference: d.reference,
    recipientAadObjectId: d.recipientAadObjectId,
    reason: d.reason,
    wave: d.wave,
    recordedBy: { aadObjectId: d.recordedBy.aadObjectId, displayName: d.recordedBy.displayName },
    categoryNames: [...d.categoryNames],
    recordedAt: d.recordedAt,
    createdAt: d.createdAt,
    ...(d.notice
      ? { notice: { recipientName: d.notice.recipientName, reason: d.notice.reason } }
      : {}),
    ...(d.action
      ? {
          action: {
            actionId: d.action.actionId,
            kind: d.action.kind,
            ...(d.action.dueAt ? { dueAt: d.action.dueAt } : {}),
          },
        }
      : {}),
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    ...(d.lastError !== undefined ? { lastError: d.lastError } : {}),
    ...(d.activityId !== undefined ? { activityId: d.activityId } : {}),
    ...(d.conversationId !== undefined ? { conversationId: d.conversationId } : {}),
    ...(d.sentAt !== undefined ? { sentAt: d.sentAt } : {}),
  };
}

function toJob(d: EscalationJob): EscalationJob {
  return {
    tenantId: d.tenantId,
    schoolId: d.schoolId,
    incidentId: d.incidentId,
    reference: d.reference,
    pupilIds: [...d.pupilIds],
    createdAt: d.createdAt,
    stepsDone: d.stepsDone,
    nextCheckAt: d.nextCheckAt,
    ...(d.teamAcknowledgedAt ? { teamAcknowledgedAt: d.teamAcknowledgedAt } : {}),
    ...(d.teamAcknowledgedBy ? { teamAcknowledgedBy: d.teamAcknowledgedBy } : {}),
  };
}
