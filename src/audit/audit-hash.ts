import { createHash } from 'node:crypto';
import type { AuditEvent } from './audit.types';

/**
 * The SHA-256 an event is chained by: over every field that says what happened, in a fixed order,
 * plus the previous event's hash. Any change to a stored event, or to the order of events, changes
 * a hash that the next event or the verifier holds.
 */
export function hashAuditEvent(event: Omit<AuditEvent, 'hash'>): string {
  const canonical = JSON.stringify([
    event.tenantId,
    event.schoolId,
    event.sequence,
    event.at.toISOString(),
    event.actorAadObjectId,
    event.action,
    event.target.kind,
    event.target.id,
    event.reason ?? null,
    event.requestId ?? null,
    event.previousHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
