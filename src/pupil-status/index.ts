export { PupilStatusRepository } from './pupil-status.repository';
export { PupilStatusService, type ImportedStatus } from './pupil-status.service';
export { isValidNhsNumber, normaliseNhsNumber } from './pupil-status.schemas';
