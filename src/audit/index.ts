export { type AuditEventInput, type AuditTrail } from './audit.types';
export { AuditRepository } from './audit.repository';
export { AuditLog } from './audit.service';
export { RecordAuditService } from './record-audit.service';
export { verifyAuditChain, type ChainReport } from './audit-verifier';
