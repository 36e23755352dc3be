export { PupilStatusRepository } from './pupil-status.repository';
export { PupilStatusService, type ImportedStatus } from './pupil-status.service';
export { STATUS_FLAGS, LOOKED_AFTER, type PupilStatus } from './pupil-status.types';
export { checkIdentifier, isValidNhsNumber, normaliseNhsNumber } from './pupil-status.schemas';
