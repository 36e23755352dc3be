export type { Pupil } from './pupil.types';
export { pupilDisplayName } from './pupil.types';
export { PupilRepository } from './pupil.repository';
export { PupilDirectory, type PupilStore } from './pupil.service';
