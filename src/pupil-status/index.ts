export { createPupilStatusModule } from './pupil-status.module';
export { PupilStatusRepository } from './pupil-status.repository';
export type { PupilStatusService, ImportedStatus } from './pupil-status.service';
export { isValidNhsNumber, normaliseNhsNumber } from './pupil-status.schemas';
export { STATUS_FLAGS, type PupilStatus } from './pupil-status.types';
