import type { AdultConcernCaseService, AdultConcernService } from '../../adult-concerns';

/** What the tab's adult-concern routes call: the feature's services, narrowed. */
export interface AdultConcernTabServices {
  readonly concerns: Pick<AdultConcernService, 'list' | 'view' | 'invite'>;
  readonly cases: Pick<
    AdultConcernCaseService,
    'addStep' | 'recordOutcome' | 'escalateToAllegation' | 'patterns'
  >;
}
