export { DeskService, type DeskSources } from './desk.service';
export type { MyDesk, NeedsAttention } from './desk.types';
