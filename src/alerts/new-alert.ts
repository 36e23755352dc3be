import { randomUUID } from 'node:crypto';
import type { IncidentHeader } from '../incidents';
import type { Alert, AlertKind, AlertReason } from './alert.types';

/** A pending alert of a record for one recipient, due now. */
export function newAlert(
  incident: IncidentHeader,
  kind: AlertKind,
  recipient: string,
  reason: AlertReason,
  wave: number,
  categoryNames: string[],
  now: Date,
): Alert {
  return {
    alertId: randomUUID(),
    tenantId: incident.tenantId,
    schoolId: incident.schoolId,
    kind,
    incidentId: incident.incidentId,
    reference: incident.reference,
    recipientAadObjectId: recipient,
    reason,
    wave,
    recordedBy: {
      aadObjectId: incident.recordedBy.aadObjectId,
      displayName: incident.recordedBy.displayName,
    },
    categoryNames,
    recordedAt: incident.recordedAt,
    createdAt: now,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
  };
}

/** A pending alert for another recipient (or another kind) about the same record, due now. */
export function newAlertFrom(
  source: Alert,
  kind: AlertKind,
  recipient: string,
  reason: AlertReason,
  wave: number,
  now: Date,
): Alert {
  return {
    ...pick(source),
    alertId: randomUUID(),
    kind,
    recipientAadObjectId: recipient,
    reason,
    wave,
    createdAt: now,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
  };
}

/** What a new alert copies from the one it follows: the record's facts, never the delivery state. */
function pick(
  a: Alert,
): Omit<
  Alert,
  | 'alertId'
  | 'kind'
  | 'recipientAadObjectId'
  | 'reason'
  | 'wave'
  | 'createdAt'
  | 'status'
  | 'attempts'
  | 'nextAttemptAt'
> {
  return {
    tenantId: a.tenantId,
    schoolId: a.schoolId,
    incidentId: a.incidentId,
    reference: a.reference,
    recordedBy: a.recordedBy,
    categoryNames: a.categoryNames,
    recordedAt: a.recordedAt,
  };
}
