export {
  ChronologyIndexRepository,
  type IndexedIncident,
} from './chronology-index.repository';
export {
  ChronologyService,
  type ChronologyLine,
  type ChronologyView,
  type RecordRelations,
  type RequestContext,
} from './chronology.service';
export {
  CHRONOLOGY_ENTRY_TYPES,
  type ChronologyEntry,
  type ChronologyEntryType,
  type ChronologyFilter,
  type ChronologySource,
} from './chronology.types';
export { ChronologyIndexer, IncidentChronologySource, indexEntriesFor } from './incident-chronology';
export { RecordViewService, type RecordView } from './record-view.service';
