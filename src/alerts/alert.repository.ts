// A little over 300 lines: the one repository of the outbox's four collections (alerts, the send
// journal, acknowledgements, escalation jobs), each method a query; its documents are in
// alert-documents.repository.ts.
import type { Connection, Model, mongo } from 'mongoose';
import { NEVER_DUE } from '../shared/clock';
import { isDuplicateKeyError } from '../shared/errors';
import { insertFailuresOf } from '../store/insert-failures';
import type { SchoolScope } from '../shared/school-scope';
import {
  ackSchema,
  alertSchema,
  deliverySchema,
  jobSchema,
  toAlert,
  toJob,
  type AlertDoc,
  type DeliveryDoc,
} from './alert-documents.repository';
import type { Acknowledgement, Alert, AlertStatus, EscalationJob } from './alert.types';
import { insertOnce } from '../store/insert-once';
import { AlertSendRepository } from './alert-sends.repository';
import type { AcknowledgementFacts } from './acknowledgement-audit';

/**
 * Records per `$in` of a report's reads: on the embedded store a long `$in` costs more than its
 * length (5,000 acknowledgements: 100 at a time 0.9 s, 1,000 at a time 7.3 s, measured).
 */
const REPORT_CHUNK = 100;

/** A send Teams accepted: what the alert records once it is marked sent. */
export interface Delivery {
  readonly alertId: string;
  readonly activityId: string;
  readonly conversationId: string;
  readonly sentAt: Date;
  readonly attempts: number;
  /** The intent this send was journalled under (see alert-sends.repository); absent on older ones. */
  readonly sendId?: string;
}

/** The outbox: alerts, acknowledgements and escalation jobs. */
export class AlertRepository {
  private readonly alerts: Model<AlertDoc>;
  private readonly acks: Model<Acknowledgement>;
  private readonly jobs: Model<EscalationJob>;
  private readonly deliveries: Model<DeliveryDoc>;
  /** The send intents and the copies seen in chats (a collection of its own, its own file). */
  readonly sends: AlertSendRepository;

  constructor(connection: Connection) {
    this.sends = new AlertSendRepository(connection);
    this.alerts = connection.models.Alert ?? connection.model<AlertDoc>('Alert', alertSchema);
    this.acks =
      connection.models.Acknowledgement ??
      connection.model<Acknowledgement>('Acknowledgement', ackSchema);
    this.jobs =
      connection.models.EscalationJob ??
      connection.model<EscalationJob>('EscalationJob', jobSchema);
    this.deliveries =
      connection.models.AlertDelivery ??
      connection.model<DeliveryDoc>('AlertDelivery', deliverySchema);
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
   * and answers oldest due first anyway, while the embedded store seeks only the `status` prefix
   * (its date check runs on every pending alert, inside SQLite) and, asked for an order, would
   * order them all before the first one; unsorted it stops once `limit` alerts matched.
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
        | 'attempts'
        | 'nextAttemptAt'
        | 'lastError'
        | 'activityId'
        | 'conversationId'
        | 'sentAt'
        | 'sendId'
        | 'recipientMissingTries'
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
      ...(d.sendId ? { sendId: d.sendId } : {}),
    }));
    try {
      const journal = this.deliveries.collection as unknown as mongo.Collection<(typeof docs)[0]>;
      await journal.insertMany(docs, { ordered: false });
    } catch (error) {
      const failures = insertFailuresOf(error);
      if (!failures || failures.some((f) => !isDuplicateKeyError(f))) throw error;
    }
  }

  /**
   * Marks alerts sent as their journal entries say, in one round trip: an update by `_id` each, so
   * a seek each on every store. Alerts from before `_id` was the alertId are marked one by one.
   */
  async markSent(deliveries: readonly Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const change = (d: Delivery) => ({
      status: 'sent' as const,
      attempts: d.attempts,
      activityId: d.activityId,
      conversationId: d.conversationId,
      sentAt: d.sentAt,
      lastError: '',
      ...(d.sendId ? { sendId: d.sendId } : {}),
    });
    const result = await this.alerts.bulkWrite(
      deliveries.map((d) => ({
        updateOne: { filter: { _id: d.alertId }, update: { $set: change(d) } },
      })),
      { ordered: false },
    );
    if (result.matchedCount === deliveries.length) return;
    for (const d of deliveries) await this.updateDelivery(d.alertId, change(d));
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
          ...(doc.sendId ? { sendId: doc.sendId } : {}),
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
    return insertOnce(this.acks, ack);
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

  /**
   * What each acknowledgement's audit event is made of: those since an instant across schools,
   * or one school's (the recovery of events a crash cut off, and `audit:verify`).
   */
  acknowledgementAuditFacts(
    where: { since: Date } | { scope: SchoolScope },
  ): AsyncIterable<AcknowledgementFacts> {
    return this.acks
      .find(
        'since' in where
          ? { acknowledgedAt: { $gte: where.since } }
          : { tenantId: where.scope.tenantId, schoolId: where.scope.schoolId },
        { _id: 0, tenantId: 1, schoolId: 1, incidentId: 1, aadObjectId: 1, acknowledgedAt: 1 },
      )
      .lean<AcknowledgementFacts[]>()
      .cursor({ batchSize: 500 });
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

  /**
   * Settled escalation jobs that earlier versions parked a year ahead (or left due) move to
   * NEVER_DUE, once; afterwards the store's date check passes over them. Returns how many moved.
   */
  async parkSettledJobs(): Promise<number> {
    const moved = await this.jobs.updateMany(
      { nextCheckAt: { $lt: NEVER_DUE }, teamAcknowledgedAt: { $exists: true } },
      { $set: { nextCheckAt: NEVER_DUE } },
    );
    return moved.modifiedCount;
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

  /**
   * For the team's open alerts: which of these records someone on the team has acknowledged, and
   * the pupils each record's escalation job names (for conflicts of interest). One `$in` each on
   * the `(school, incidentId)` prefix of the acknowledgement and escalation-job keys (seeks).
   */
  async openFactsOf(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<{ teamAcknowledged: Set<string>; pupilIdsOf: Map<string, readonly string[]> }> {
    const teamAcknowledged = new Set<string>();
    const pupilIdsOf = new Map<string, readonly string[]>();
    for (let i = 0; i < incidentIds.length; i += REPORT_CHUNK) {
      const filter = {
        tenantId: scope.tenantId,
        schoolId: scope.schoolId,
        incidentId: { $in: incidentIds.slice(i, i + REPORT_CHUNK) },
      };
      const [acks, jobs] = await Promise.all([
        this.acks.find({ ...filter, onTeam: true }, { _id: 0, incidentId: 1 }).lean(),
        this.jobs.find(filter, { _id: 0, incidentId: 1, pupilIds: 1 }).lean(),
      ]);
      for (const a of acks) teamAcknowledged.add(a.incidentId);
      for (const job of jobs) pupilIdsOf.set(job.incidentId, job.pupilIds);
    }
    return { teamAcknowledged, pupilIdsOf };
  }

  /**
   * For reports: when the safeguarding team first acknowledged each of these records, and how
   * many escalation moves (ladder steps and reminders) each record's job made. One `$in` each on
   * the `(school, incidentId)` prefix of the acknowledgement and escalation-job keys (seeks); the
   * outbox itself (an alert per person per wave) is not read.
   */
  async acknowledgementFacts(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<{ firstTeamAck: Map<string, Date>; highestEscalation: Map<string, number> }> {
    const firstTeamAck = new Map<string, Date>();
    const highestEscalation = new Map<string, number>();
    for (let i = 0; i < incidentIds.length; i += REPORT_CHUNK) {
      const filter = {
        tenantId: scope.tenantId,
        schoolId: scope.schoolId,
        incidentId: { $in: incidentIds.slice(i, i + REPORT_CHUNK) },
      };
      const [acks, jobs] = await Promise.all([
        this.acks.find(filter, { _id: 0, incidentId: 1, acknowledgedAt: 1, onTeam: 1 }).lean(),
        this.jobs.find(filter, { _id: 0, incidentId: 1, stepsDone: 1 }).lean(),
      ]);
      for (const a of acks) {
        const seen = firstTeamAck.get(a.incidentId);
        if (a.onTeam && (!seen || a.acknowledgedAt < seen)) {
          firstTeamAck.set(a.incidentId, a.acknowledgedAt);
        }
      }
      for (const job of jobs) highestEscalation.set(job.incidentId, job.stepsDone);
    }
    return { firstTeamAck, highestEscalation };
  }
}
