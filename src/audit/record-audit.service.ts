import type { SchoolScope } from '../shared/school-scope';
import type { AuditEvent, AuditTrail } from './audit.types';
import { auditEvent } from './audit-event';

/** Checks the actor may read a record's audit (the access policy's `viewAudit`). */
export interface AuditAuthorizer<A extends SchoolScope & { aadObjectId: string }> {
  authorize(
    actor: A,
    incidentId: string,
    operation: 'viewAudit',
    requestId?: string,
  ): Promise<unknown>;
}

/** One line of a record's audit as the team reads it: who, what, when, why. */
export interface RecordAuditLine {
  readonly sequence: number;
  readonly at: Date;
  readonly actorName: string;
  readonly action: AuditEvent['action'];
  readonly reason?: string;
}

const MAX_LINES = 500;

/**
 * The team reads who viewed and changed a record. Reading the audit is itself audited, and the
 * policy decides who may (the team, after step-up).
 */
export class RecordAuditService<A extends SchoolScope & { aadObjectId: string }> {
  constructor(
    private readonly events: {
      listForTarget(scope: SchoolScope, targetId: string, limit: number): Promise<AuditEvent[]>;
    },
    private readonly access: AuditAuthorizer<A>,
    private readonly names: {
      namesOf(scope: SchoolScope, aadObjectIds: readonly string[]): Promise<Map<string, string>>;
    },
    private readonly audit: AuditTrail,
  ) {}

  /** The record's events, newest first. */
  async forRecord(actor: A, incidentId: string, requestId?: string): Promise<RecordAuditLine[]> {
    await this.access.authorize(actor, incidentId, 'viewAudit', requestId);
    const events = await this.events.listForTarget(actor, incidentId, MAX_LINES);
    await this.audit.record(
      auditEvent(actor, 'audit.view', { kind: 'incident', id: incidentId }, { requestId }),
    );
    const names = await this.names.namesOf(actor, [
      ...new Set(events.map((e) => e.actorAadObjectId)),
    ]);
    return events.map((e) => ({
      sequence: e.sequence,
      at: e.at,
      actorName: names.get(e.actorAadObjectId) ?? 'Someone no longer in the staff list',
      action: e.action,
      ...(e.reason !== undefined ? { reason: e.reason } : {}),
    }));
  }
}
