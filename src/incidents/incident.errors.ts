import { AppError } from '../shared/errors';
import type { FieldErrors } from './incident.schemas';

/** The form failed validation; `fieldErrors` says what is wrong next to each input. */
export class IncidentValidationError extends AppError {
  constructor(readonly fieldErrors: FieldErrors) {
    super('INCIDENT.INVALID', `incident form invalid: ${Object.keys(fieldErrors).join(', ')}`);
  }
}
