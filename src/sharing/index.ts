export { createSharingModule } from './sharing.module';
export type { SharingService } from './sharing.service';
export type { SharingEntry } from './sharing.types';
