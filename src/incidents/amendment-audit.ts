import { auditEvent, inBatches, type AuditedChanges, type ChangeToAudit } from '../audit';
import type { SchoolScope } from '../shared/school-scope';

/** What an amendment's `record.amend` event is made of (no sealed value, no reason text). */
export interface AmendmentFacts extends SchoolScope {
  readonly incidentId: string;
  readonly version: number;
  readonly amendedBy: { readonly aadObjectId: string };
  readonly amendedAt: Date;
  readonly changedFields: readonly string[];
}

/**
 * The event's reason: the version and the names of the fields changed. The amendment's own
 * reason is narrative (it may name people): it is sealed with the amendment, never here.
 */
export function amendReason(version: number, changedFields: readonly string[]): string {
  return `v${version} (${changedFields.join(', ')})`;
}

/** An amendment and the event it must have: `record.amend` of its record, by its version. */
export function amendmentChange(a: AmendmentFacts): ChangeToAudit {
  return {
    at: a.amendedAt,
    event: auditEvent(
      { tenantId: a.tenantId, schoolId: a.schoolId, aadObjectId: a.amendedBy.aadObjectId },
      'record.amend',
      { kind: 'incident', id: a.incidentId },
      { reason: amendReason(a.version, a.changedFields) },
    ),
    isItsEvent: (found) =>
      found.actorAadObjectId === a.amendedBy.aadObjectId &&
      (found.reason ?? '').startsWith(`v${a.version} `),
  };
}

/** Where the amendments are, for the recovery at start-up and `audit:verify`. */
export function amendmentChanges(store: {
  auditFacts(where: { since: Date } | { scope: SchoolScope }): AsyncIterable<AmendmentFacts>;
}): AuditedChanges {
  return {
    since: (since) => inBatches(store.auditFacts({ since }), amendmentChange),
    ofSchool: (scope) => inBatches(store.auditFacts({ scope }), amendmentChange),
  };
}
