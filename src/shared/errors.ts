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
  | 'SCHOOL_LISTS.INVALID'
  | 'STAFF.NOT_FOUND'
  | 'STAFF.SEVERAL_SCHOOLS'
  | 'IMPORT.USAGE'
  | 'IDENTITY.MISSING'
  | 'IDENTITY.MISMATCH'
  | 'BOT.DUPLICATE_ROUTE'
  | 'TEMPLATE.UNBOUND'
  | 'TEMPLATE.UNKNOWN'
  | 'PLAYGROUND.PORT_IN_USE'
  | 'PLAYGROUND.START_FAILED'
  | 'INCIDENT.INVALID'
  | 'ALERT.NOT_RECIPIENT'
  | 'ALERT.UNREACHABLE'
  | 'ACCESS.DENIED'
  | 'INCIDENT.IMMUTABLE'
  | 'INCIDENT.CONFLICT_OF_INTEREST'
  | 'INCIDENT.REFERENCE_EXHAUSTED'
  | 'INCIDENT.KEY_REUSED'
  | 'FILE.TYPE_NOT_ALLOWED'
  | 'FILE.TYPE_MISMATCH'
  | 'FILE.ACTIVE_CONTENT'
  | 'FILE.TOO_LARGE'
  | 'FILE.EMPTY'
  | 'FILE.NOT_FOUND'
  | 'FILE.CORRUPT'
  | 'FILE.STORE_CONFIG'
  | 'FILE.URL_NOT_ALLOWED'
  | 'FILE.DOWNLOAD_FAILED'
  | 'FILE.RECORD_NOT_FOUND'
  | 'FILE.ACCESS_DENIED'
  | 'FILE.ALREADY_ATTACHED'
  | 'FILE.ENTRY_IMMUTABLE'
  | 'FILE.INVALID_REQUEST'
  | 'AUDIT.APPEND_ONLY'
  | 'ACCESS.STEP_UP_REQUIRED'
  | 'INCIDENT.NOT_FOUND'
  | 'AMENDMENT.INVALID'
  | 'AMENDMENT.CONTENDED'
  | 'AUDIT.CONTENDED'
  | 'AUDIT.USAGE'
  | 'SCHOOL_DAY.NO_SCHOOL_TIME'
  | 'ACTION.INVALID'
  | 'ACTION.IMMUTABLE'
  | 'ACTION.NOT_FOUND'
  | 'ACTION.RECORD_NOT_FOUND'
  | 'ACTION.NOT_ASSIGNEE'
  | 'ACTION.KEY_REUSED'
  | 'ACTION.SEQUENCE_EXHAUSTED'
  | 'CASE.OUTCOME_REQUIRED'
  | 'CASE.ALREADY_CLOSED'
  | 'CASE.NOT_CLOSED'
  | 'CASE.REASON_REQUIRED'
  | 'ENCRYPTION.OPEN_FAILED'
  | 'ENCRYPTION.UNSUPPORTED_FORMAT'
  | 'ENCRYPTION.UNKNOWN_KEY'
  | 'ENCRYPTION.UNWRAP_FAILED'
  | 'ENCRYPTION.KEY_FILE'
  | 'ENCRYPTION.KEY_SERVICE'
  | 'ENCRYPTION.USAGE'
  | 'CHRONOLOGY.PUPIL_NOT_FOUND'
  | 'CHRONOLOGY.BAD_CURSOR'
  | 'TAB.UNAUTHENTICATED'
  | 'TAB.BAD_REQUEST'
  | 'TAB.NOT_FOUND'
  | 'TAB.RATE_LIMITED'
  | 'PUPIL_STATUS.INVALID'
  | 'PUPIL_STATUS.IMMUTABLE'
  | 'PUPIL_STATUS.CONTENDED'
  | 'ADULT_CONCERN.NOT_FOUND'
  | 'ADULT_CONCERN.INVALID'
  | 'ADULT_CONCERN.OUTCOME_RECORDED'
  | 'ADULT_CONCERN.CONTENDED'
  | 'REPORTS.INVALID_PERIOD'
  | 'REPORTS.INVALID_TARGETS'
  | 'SAR.INVALID'
  | 'SAR.NOT_FOUND'
  | 'SAR.IMMUTABLE'
  | 'SAR.CONTENDED'
  | 'SAR.DECISIONS_REQUIRED'
  | 'SAR.REVIEW_INCOMPLETE'
  | 'SAR.CLOSED'
  | 'SHARING.INVALID'
  | 'SHARING.IMMUTABLE'
  | 'TRANSFER.INVALID'
  | 'TRANSFER.NOT_FOUND'
  | 'TRANSFER.ALREADY_RECEIVED'
  | 'TRANSFER.LINK_GONE'
  | 'TRANSFER.WRONG_CODE'
  | 'TRANSFER.ARCHIVE_INVALID'
  | 'TRANSFER.IMMUTABLE'
  | 'PATTERN.INVALID_RULES'
  | 'PATTERN.FLAG_NOT_FOUND'
  | 'RETENTION.INVALID'
  | 'RETENTION.NOT_FOUND'
  | 'RETENTION.HELD'
  | 'RETENTION.DISPOSED'
  | 'RETENTION.HOLD_NOT_FOUND';

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

/**
 * True when an error means the store could not be reached (as opposed to refusing the operation):
 * the caller should keep the user's input and ask them to try again. Checked by name so feature
 * code needs no driver import.
 */
export function isStoreUnavailableError(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'STORE.UNAVAILABLE';
  const name = (error as { name?: unknown } | null)?.name;
  return (
    (typeof name === 'string' &&
      /^Mongo(Network|NetworkTimeout|ServerSelection|NotConnected|Topology\w*|PoolCleared)Error$/.test(
        name,
      )) ||
    (name === 'MongooseError' &&
      /connect|not established|closed/i.test(String((error as Error).message)))
  );
}
