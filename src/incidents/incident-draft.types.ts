import type { SchoolScope } from '../shared/school-scope';
import type { IncidentFormValues } from './incident.schemas';

/**
 * A form as typed, saved on every submit attempt so that a validation failure, a store hiccup or a
 * closed chat loses nothing. `draftId` doubles as the record's idempotency key.
 */
export interface IncidentDraft extends SchoolScope {
  readonly aadObjectId: string;
  readonly draftId: string;
  readonly values: IncidentFormValues;
  readonly status: 'open' | 'submitted' | 'discarded';
  readonly incidentId: string | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
