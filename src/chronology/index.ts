export { ChronologyIndexRepository, type IndexedIncident } from './chronology-index.repository';
export { migratePerPupilChronology } from './per-pupil-migration.repository';
export { ChronologyService, type ChronologyLine } from './chronology.service';
export {
  CHRONOLOGY_ENTRY_TYPES,
  type ChronologyEntry,
  type ChronologyFilter,
  type ChronologySource,
} from './chronology.types';
export { indexEntriesFor } from './incident-chronology';
export { laterFirst } from './record-lines';
export { RecordViewService } from './record-view.service';
export { createChronologyModule } from './chronology.module';
