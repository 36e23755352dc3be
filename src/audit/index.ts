export { type AuditEventInput, type AuditTrail } from './audit.types';
export { auditEvent } from './audit-event';
export { AuditRepository } from './audit.repository';
export { AuditLog } from './audit.service';
export { verifyAuditChain, type ChainReport } from './audit-verifier';
export { createAuditModule, createRecordAuditModule } from './audit.module';
export { createChangeAuditRecovery } from './audit.module';
export {
  CHANGE_RECOVERED_REASON,
  countUnaudited,
  inBatches,
  type AuditedChanges,
  type ChangeAuditRecovery,
  type ChangeToAudit,
} from './change-audit-recovery';
