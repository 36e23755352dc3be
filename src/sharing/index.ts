export { createSharingModule } from './sharing.module';
export { SharingRepository } from './sharing.repository';
export type { SharingService } from './sharing.service';
export type { SharingEntry } from './sharing.types';
