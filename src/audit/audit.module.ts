import type { Connection } from 'mongoose';
import type { SchoolScope } from '../shared/school-scope';
import type { Clock } from '../shared/clock';
import { AuditRepository } from './audit.repository';
import { ChangeAuditRecovery } from './change-audit-recovery';
import { AuditLog } from './audit.service';
import type { AuditTrail } from './audit.types';
import { RecordAuditService, type AuditAuthorizer } from './record-audit.service';

/** The audit trail every module writes to: one hash chain per school. Built before all others. */
export function createAuditModule(connection: Connection, clock: Clock) {
  const auditEvents = new AuditRepository(connection);
  return { auditEvents, audit: new AuditLog(auditEvents, clock) };
}

/**
 * Appends the events a crash cut off after amendments, actions and acknowledgements (each
 * feature says where its changes are and what their events look like).
 */
export function createChangeAuditRecovery(
  auditEvents: AuditRepository,
  audit: AuditTrail,
  clock: Clock,
): ChangeAuditRecovery {
  return new ChangeAuditRecovery(auditEvents, audit, clock);
}

/** What reading a record's trail needs: the access policy, and names for the ids it shows. */
interface RecordAuditDeps<A extends SchoolScope & { aadObjectId: string }> {
  readonly auditEvents: AuditRepository;
  readonly access: AuditAuthorizer<A>;
  readonly staff: {
    findStaff(
      scope: SchoolScope,
      aadObjectIds: readonly string[],
    ): Promise<readonly { aadObjectId: string; displayName: string }[]>;
  };
  readonly audit: AuditTrail;
}

/**
 * Who viewed and changed a record, for those the access policy lets see it. Built once access
 * exists (it asks access first); the trail itself is built first of all, above.
 */
export function createRecordAuditModule<A extends SchoolScope & { aadObjectId: string }>(
  deps: RecordAuditDeps<A>,
) {
  const recordAudit = new RecordAuditService<A>(
    deps.auditEvents,
    deps.access,
    {
      async namesOf(scope, aadObjectIds) {
        const members = await deps.staff.findStaff(scope, aadObjectIds);
        return new Map(members.map((m) => [m.aadObjectId, m.displayName]));
      },
    },
    deps.audit,
  );
  return { recordAudit };
}
