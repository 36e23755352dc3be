export { ChronologyIndexRepository } from './chronology-index.repository';
export { migratePerPupilChronology } from './per-pupil-migration.repository';
export { ChronologyService, type ChronologyLine, type RecordRelations } from './chronology.service';
export {
  CHRONOLOGY_ENTRY_TYPES,
  type ChronologyEntry,
  type ChronologyFilter,
  type ChronologySource,
} from './chronology.types';
export {
  ChronologyIndexer,
  IncidentChronologySource,
  indexEntriesFor,
} from './incident-chronology';
export { RecordViewService } from './record-view.service';
export { ActionChronologySource } from './action-chronology';
export { AmendmentChronologySource } from './amendment-chronology';
export { RecordStateService } from './record-state.service';
export { subscribeChronology } from './chronology-subscriptions';
