export { type AuditEventInput, type AuditTrail } from './audit.types';
export { auditEvent } from './audit-event';
export { AuditRepository } from './audit.repository';
export { AuditLog } from './audit.service';
export { verifyAuditChain, type ChainReport } from './audit-verifier';
export { createAuditModule, createRecordAuditModule } from './audit.module';
