export {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditEvent,
  type AuditEventInput,
  type AuditTarget,
  type AuditTrail,
} from './audit.types';
