/**
 * Typed errors with stable codes. The edges translate them (a card in the bot, an HTTP status in
 * the tab API); what the user sees and what is logged differ, so messages here never hold names
 * or narrative.
 */
export type ErrorCode =
  | 'CONFIG.INVALID'
  | 'STORE.GO_MISSING'
  | 'STORE.START_FAILED'
  | 'STORE.UNAVAILABLE'
  | 'SCHOOL.NOT_CONFIGURED'
  | 'IDENTITY.MISSING'
  | 'TEMPLATE.UNBOUND'
  | 'TEMPLATE.UNKNOWN'
  | 'INCIDENT.INVALID'
  | 'INCIDENT.IMMUTABLE'
  | 'INCIDENT.CONFLICT_OF_INTEREST'
  | 'INCIDENT.REFERENCE_EXHAUSTED'
  | 'INCIDENT.KEY_REUSED';

/** Base of every error the project throws on purpose. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

/** True for a MongoDB duplicate-key error (FerretDB gives the code but not keyValue). */
export function isDuplicateKeyError(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000
  );
}
