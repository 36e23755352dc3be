export { createAdultConcernsModule } from './adult-concerns.module';
export {
  ADULT_CONCERN_OPERATIONS,
  decideAdultConcernAccess,
  type AdultConcernAccessFacts,
  type AdultConcernActor,
  type AdultConcernOperation,
} from './adult-concern-access';
export type { AdultConcernService } from './adult-concern.service';
export type { AdultConcernFormService } from './adult-concern-form.service';
export { ladoClockOf, type AdultConcernCaseService } from './adult-concern-case.service';
export {
  adultConcernFormSchema,
  type AdultConcernFieldErrors,
  type AdultConcernFormValues,
} from './adult-concern.schemas';
export { ADULT_KINDS, type AdultConcernHeader } from './adult-concern.types';
export { retentionFor, addYears, DEFAULT_RETENTION_POLICY } from './retention';
export { AdultConcernRepository } from './adult-concern.repository';
export { AdultConcernDraftRepository } from './adult-concern-draft.repository';
