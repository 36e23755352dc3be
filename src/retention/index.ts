export { createRetentionModule } from './retention.module';
export { RetentionRepository } from './retention.repository';
export { LegalHoldRepository } from './legal-hold.repository';
export type { RetentionService } from './retention.service';
export type { LegalHoldService } from './legal-holds.service';
export { DEFAULT_RETENTION_RULES, reviewDateFor } from './retention-rules';
export type { LegalHold, Tombstone } from './retention.types';
