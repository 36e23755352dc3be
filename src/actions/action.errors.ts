import { AppError } from '../shared/errors';

/** Per-field messages, keyed by the form's input ids. */
export type ActionFieldErrors = Partial<Record<string, string>>;

/** The action form failed validation; `fieldErrors` says what is wrong next to each input. */
export class ActionValidationError extends AppError {
  constructor(readonly fieldErrors: ActionFieldErrors) {
    super('ACTION.INVALID', `action form invalid: ${Object.keys(fieldErrors).join(', ')}`);
  }
}
