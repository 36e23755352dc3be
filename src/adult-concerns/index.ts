export { createAdultConcernsModule } from './adult-concerns.module';
export {
  ADULT_CONCERN_OPERATIONS,
  decideAdultConcernAccess,
  type AdultConcernAccessFacts,
  type AdultConcernActor,
  type AdultConcernOperation,
} from './adult-concern-access';
export type { AdultConcernService } from './adult-concern.service';
export type {
  AdultConcernFormService,
  AdultConcernSubmitOutcome,
} from './adult-concern-form.service';
export {
  ladoClockOf,
  type AdultConcernCaseService,
  type LadoClock,
} from './adult-concern-case.service';
export type { AdultConcernEscalation } from './adult-concern-escalation';
export {
  adultConcernFormSchema,
  HARM_THRESHOLD_ANSWERS,
  type AdultConcernFieldErrors,
  type AdultConcernFormValues,
} from './adult-concern.schemas';
export {
  ADULT_KINDS,
  ALLEGATION_OUTCOMES,
  CASE_STEP_KINDS,
  LOW_LEVEL_OUTCOMES,
  type AdultConcern,
  type AdultConcernHeader,
} from './adult-concern.types';
export { retentionFor, addYears, DEFAULT_RETENTION_POLICY } from './retention';
export { AdultConcernRepository } from './adult-concern.repository';
export { AdultConcernDraftRepository } from './adult-concern-draft.repository';
