import { AppError } from '../shared/errors';

/** A form or a case step that cannot be accepted, with each problem next to its field. */
export class AdultConcernValidationError extends AppError {
  constructor(readonly fieldErrors: Record<string, string>) {
    // Each field and why (never a value typed): the tab shows it as it is.
    super(
      'ADULT_CONCERN.INVALID',
      Object.entries(fieldErrors)
        .map(([field, why]) => `${field}: ${why}`)
        .join(' '),
    );
  }
}

/**
 * Not there, or not the asker's to see: the same answer either way, so the refusal does not tell
 * anyone that a concern about a colleague exists.
 */
export function concernNotFound(): AppError {
  return new AppError('ADULT_CONCERN.NOT_FOUND', 'concern not found or not visible');
}
