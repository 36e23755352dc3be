import type { LegalHoldService, RetentionService } from '../retention';

/** What the retention page calls (the team, after step-up; the rules live in the services). */
export interface RetentionTabDependencies {
  readonly retention?: Pick<RetentionService, 'rules' | 'setRules' | 'due' | 'decide' | 'disposed'>;
  readonly legalHolds?: Pick<LegalHoldService, 'place' | 'lift' | 'list'>;
}
