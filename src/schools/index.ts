export type { School } from './school.types';
export { SchoolRepository } from './school.repository';
export type { Agency, Category, CategoryInput } from './school-lists.types';
export { DEFAULT_AGENCIES, DEFAULT_CATEGORIES } from './default-lists';
export { SchoolListsRepository } from './school-lists.repository';
export { SchoolLists, type SeededLists } from './school-lists.service';
export { createDirectoryModule } from './directory.module';
