export type { Incident } from './incident.types';
export type { IncidentHeader } from './incident-narrative';
export { IncidentRepository } from './incident.repository';
export type { RecordsLeftOut, RecordSummaryFact } from './record-listings.repository';
export { IncidentService, type IncidentDirectory } from './incident.service';
export { IncidentValidationError } from './incident.errors';
export {
  BODY_MAP_ROWS,
  incidentFormValuesSchema,
  LINKED_PUPIL_ROWS,
  parseIncidentForm,
  type FieldErrors,
  type IncidentFormValues,
} from './incident.schemas';
export { IncidentDraftRepository } from './incident-draft.repository';
export { IncidentFormService } from './incident-form.service';
export { BODY_LATERALITIES, BODY_REGIONS, BODY_SIDES, LINKED_PUPIL_ROLES } from './incident.types';
export { AmendmentRepository, type AmendmentHeader } from './amendment.repository';
export { AmendmentService, effectiveRecord } from './amendment.service';
export type { IncidentAmendment } from './amendment.types';
export { createIncidentStores, createIncidentsModule } from './incidents.module';
export { amendmentChanges } from './amendment-audit';
