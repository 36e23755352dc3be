export type { School } from './school.types';
export { SchoolRepository } from './school.repository';
export { SchoolService } from './school.service';
