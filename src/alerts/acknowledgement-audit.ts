import { auditEvent, inBatches, type AuditedChanges, type ChangeToAudit } from '../audit';
import type { SchoolScope } from '../shared/school-scope';
import type { Acknowledgement } from './alert.types';

/** What an acknowledgement's `alert.acknowledge` event is made of. */
export type AcknowledgementFacts = Pick<
  Acknowledgement,
  'tenantId' | 'schoolId' | 'incidentId' | 'aadObjectId' | 'acknowledgedAt'
>;

/**
 * An acknowledgement and the event it must have: `alert.acknowledge` of its record, by the person
 * who acknowledged (one acknowledgement per person and record, so one event each).
 */
export function acknowledgementChange(ack: AcknowledgementFacts): ChangeToAudit {
  return {
    at: ack.acknowledgedAt,
    event: auditEvent(
      { tenantId: ack.tenantId, schoolId: ack.schoolId, aadObjectId: ack.aadObjectId },
      'alert.acknowledge',
      { kind: 'incident', id: ack.incidentId },
    ),
    isItsEvent: (found) => found.actorAadObjectId === ack.aadObjectId,
  };
}

/** Where the acknowledgements are, for the recovery at start-up and `audit:verify`. */
export function acknowledgementChanges(store: {
  acknowledgementAuditFacts(
    where: { since: Date } | { scope: SchoolScope },
  ): AsyncIterable<AcknowledgementFacts>;
}): AuditedChanges {
  return {
    since: (since) => inBatches(store.acknowledgementAuditFacts({ since }), acknowledgementChange),
    ofSchool: (scope) =>
      inBatches(store.acknowledgementAuditFacts({ scope }), acknowledgementChange),
  };
}
