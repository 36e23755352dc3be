export type { Action, ActionInput, ActionJob } from './action.types';
export { ActionRepository, type ReferralOrDecisionFact } from './action.repository';
export { ActionJobRepository } from './action-job.repository';
export { CaseStatusRepository } from './case-status.repository';
export { ActionService } from './action.service';
export { ActionValidationError } from './action.errors';
export { CaseStatusService } from './case-status.service';
export { ActionJobs, type OtherClock } from './action-jobs';
export {
  ACTION_FORM_FIELDS,
  actionFormValues,
  parseActionForm,
  type ActionFormValues,
} from './action.schemas';
export type { ReferralAwaitingDecision } from './referrals-awaiting';
export { createActionStores, createActionsModule } from './actions.module';
export { actionChanges } from './action-audit';
