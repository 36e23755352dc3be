export { createDeskModule } from './desk.module';
export type { DeskService } from './desk.service';
