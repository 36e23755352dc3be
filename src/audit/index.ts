export { type AuditEventInput, type AuditTrail } from './audit.types';
export { auditEvent } from './audit-event';
export { AuditRepository } from './audit.repository';
export { AuditLog } from './audit.service';
export { RecordAuditService } from './record-audit.service';
