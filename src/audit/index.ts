export {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditEvent,
  type AuditEventInput,
  type AuditTarget,
  type AuditTrail,
} from './audit.types';
export { AuditRepository } from './audit.repository';
export { AuditLog } from './audit.service';
export { RecordAuditService, type RecordAuditLine } from './record-audit.service';
