import { Schema } from 'mongoose';
import type { Acknowledgement, Alert, EscalationJob } from './alert.types';

// The outbox's documents as stored (mongoose schemas and their indexes) and how they are read
// back; alert.repository.ts does the reading and writing.

/**
 * An alert as stored: its `_id` is its alertId, so reading or updating one alert is a filter on
 * `_id` alone: an index seek on MongoDB and, through the embedded store's pushdown patch, on
 * FerretDB's SQLite backend too (test/integration/store/index-use.test.ts asserts it).
 */
export type AlertDoc = Alert & { _id: string };

export const alertSchema = new Schema<AlertDoc>(
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
    pattern: {
      type: { flagId: String, ruleText: String, recordCount: Number },
      required: false,
      _id: false,
    },
    status: { type: String, required: true },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    lastError: { type: String },
    recipientMissingTries: { type: Number },
    activityId: { type: String },
    conversationId: { type: String },
    sentAt: { type: Date },
    sendId: { type: String },
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

export const ackSchema = new Schema<Acknowledgement>(
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

export const jobSchema = new Schema<EscalationJob>(
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

/** A journalled send as stored: `_id` is the alertId. */
export interface DeliveryDoc {
  _id: string;
  activityId: string;
  conversationId: string;
  sentAt: Date;
  attempts: number;
  sendId?: string;
}

/**
 * The journal of sends Teams accepted, one document per alert. Written by the lease holder
 * straight after the send, as a batched insert, just before the alert itself is marked sent (see
 * delivery-journal): a crash between the two leaves the entry, and a later claimer that finds it
 * completes the alert without sending again.
 */
export const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: String, required: true },
    activityId: { type: String, required: true },
    conversationId: { type: String, required: true },
    sentAt: { type: Date, required: true },
    attempts: { type: Number, required: true },
    sendId: { type: String },
  },
  { collection: 'alert_deliveries', strict: 'throw', versionKey: false },
);

/** An alert read back, with exactly the fields an Alert has. */
export function toAlert(d: Alert): Alert {
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
    ...(d.pattern
      ? {
          pattern: {
            flagId: d.pattern.flagId,
            ruleText: d.pattern.ruleText,
            recordCount: d.pattern.recordCount,
          },
        }
      : {}),
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    ...(d.lastError !== undefined ? { lastError: d.lastError } : {}),
    ...(d.recipientMissingTries ? { recipientMissingTries: d.recipientMissingTries } : {}),
    ...(d.activityId !== undefined ? { activityId: d.activityId } : {}),
    ...(d.conversationId !== undefined ? { conversationId: d.conversationId } : {}),
    ...(d.sentAt !== undefined ? { sentAt: d.sentAt } : {}),
    ...(d.sendId !== undefined ? { sendId: d.sendId } : {}),
  };
}

/** An escalation job read back, with exactly its fields. */
export function toJob(d: EscalationJob): EscalationJob {
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
