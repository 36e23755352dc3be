export { createRetentionModule } from './retention.module';
export type { RetentionService, DueRecord, ReviewOutcome } from './retention.service';
export type { LegalHoldService } from './legal-holds.service';
export { DEFAULT_RETENTION_RULES, reviewDateFor, ruleName } from './retention-rules';
export type { LegalHold, RetentionRule, ScheduledRecord, Tombstone } from './retention.types';
