export type { Incident, IncidentInput } from './incident.types';
export { IncidentRepository } from './incident.repository';
export { IncidentService, type IncidentDirectory } from './incident.service';
export { IncidentValidationError } from './incident.errors';
export {
  parseIncidentForm,
  readFormValues,
  type IncidentFormValues,
  type FieldErrors,
} from './incident.schemas';
