import { AppError, type ErrorCode } from '../shared/errors';
import { FILE_REFUSALS } from './file-upload/file-upload-flow';

/**
 * What the bot says when a feature refuses, for every error code: a new code does not compile
 * until someone decides what the chat says about it, and a misspelt one does not compile at all.
 * null: nothing the person can act on from the chat (a fault, a CLI's or the tab's own error, or a
 * refusal a flow words itself); the error goes on to the adapter's error handler.
 */
const REFUSALS: Readonly<Record<ErrorCode, string | null>> = {
  'STAFF.NOT_FOUND':
    "I can't find you in your school's staff list, so I can't record anything for you. Please ask your DSL or IT administrator to add you.",
  'STAFF.SEVERAL_SCHOOLS':
    'You are listed at more than one school, and choosing between them is not available yet. Please ask your IT administrator.',
  'IDENTITY.MISSING':
    'I could not tell who you are from this chat. Please message me from Microsoft Teams with your school account.',
  'IDENTITY.MISMATCH':
    'This message did not come from the person this chat belongs to, so I have not acted on it. The attempt has been recorded.',
  'INCIDENT.CONFLICT_OF_INTEREST':
    'You are recorded as having a conflict of interest with this pupil, so you cannot record about them here. Please speak to the DSL in person.',
  'INCIDENT.KEY_REUSED': 'This form cannot be used. Type report to start a new one.',
  'INCIDENT.NOT_FOUND': 'I could not find that record, or it is not one you can see.',
  'ALERT.NOT_RECIPIENT': 'This alert was not sent to you, so you cannot acknowledge it.',
  'ACCESS.STEP_UP_REQUIRED':
    'Seeing this needs a recent second sign-in. Open the Safeguarding tab, sign in again, then try here.',
  'ACCESS.DENIED': 'That is only available to the safeguarding team.',
  'ACTION.RECORD_NOT_FOUND': 'That record could not be found at your school.',
  'ACTION.NOT_FOUND': 'That task could not be found at your school.',
  'ACTION.NOT_ASSIGNEE':
    'Only the person the task is assigned to, or the safeguarding team, can mark it done.',
  'ACTION.KEY_REUSED': 'This form cannot be used again. Open a new action form from the alert.',
  'CHRONOLOGY.PUPIL_NOT_FOUND': 'I could not find that pupil at your school.',
  'ADULT_CONCERN.NOT_FOUND':
    'I could not find that concern, or it is not one you can see. If you need to pass something on, speak to the head teacher in person.',
  'ADULT_CONCERN.OUTCOME_RECORDED': 'The outcome of this concern is already recorded.',
  'ADULT_CONCERN.INVALID': null,
  'ADULT_CONCERN.CONTENDED': null,
  'CHRONOLOGY.BAD_CURSOR': 'That list has changed. Type history and the pupil\u2019s name again.',
  ...FILE_REFUSALS,
  // The file flow answers these itself, naming the file, when it receives one.
  'FILE.TYPE_NOT_ALLOWED': null,
  'FILE.TYPE_MISMATCH': null,
  'FILE.ACTIVE_CONTENT': null,
  'FILE.TOO_LARGE': null,
  'FILE.EMPTY': null,
  'FILE.URL_NOT_ALLOWED': null,
  'FILE.DOWNLOAD_FAILED': null,
  // Faults: the store away is answered before refusals (a card keeps what was typed).
  'STORE.UNAVAILABLE': null,
  'FILE.CORRUPT': null,
  'FILE.STORE_CONFIG': null,
  'FILE.ENTRY_IMMUTABLE': null,
  'INCIDENT.INVALID': null,
  'INCIDENT.IMMUTABLE': null,
  'INCIDENT.REFERENCE_EXHAUSTED': null,
  'ACTION.INVALID': null,
  'ACTION.IMMUTABLE': null,
  'ACTION.SEQUENCE_EXHAUSTED': null,
  'ALERT.UNREACHABLE': null,
  'AUDIT.APPEND_ONLY': null,
  'AUDIT.CONTENDED': null,
  'SCHOOL.NOT_CONFIGURED': null,
  'SCHOOL_DAY.NO_SCHOOL_TIME': null,
  'TEMPLATE.UNBOUND': null,
  'TEMPLATE.UNKNOWN': null,
  'BOT.DUPLICATE_ROUTE': null,
  // Start-up, command-line and tooling errors: never met in a turn.
  'CONFIG.INVALID': null,
  'STORE.GO_MISSING': null,
  'STORE.START_FAILED': null,
  'SCHOOL_LISTS.INVALID': null,
  'IMPORT.USAGE': null,
  'AUDIT.USAGE': null,
  'ENCRYPTION.OPEN_FAILED': null,
  'ENCRYPTION.UNSUPPORTED_FORMAT': null,
  'ENCRYPTION.UNKNOWN_KEY': null,
  'ENCRYPTION.UNWRAP_FAILED': null,
  'ENCRYPTION.KEY_FILE': null,
  'ENCRYPTION.KEY_SERVICE': null,
  'ENCRYPTION.USAGE': null,
  'PLAYGROUND.PORT_IN_USE': null,
  'PLAYGROUND.START_FAILED': null,
  // The tab's own: amendments, case closing and its HTTP answers.
  'AMENDMENT.INVALID': null,
  'AMENDMENT.CONTENDED': null,
  'CASE.OUTCOME_REQUIRED': null,
  'CASE.ALREADY_CLOSED': null,
  'CASE.NOT_CLOSED': null,
  'CASE.REASON_REQUIRED': null,
  'TAB.UNAUTHENTICATED': null,
  'TAB.BAD_REQUEST': null,
  'TAB.NOT_FOUND': null,
  'TAB.RATE_LIMITED': null,
  // Pupil status is changed in the tab only.
  'PUPIL_STATUS.INVALID': null,
  'PUPIL_STATUS.IMMUTABLE': null,
  'PUPIL_STATUS.CONTENDED': null,
  // Reports live in the tab, which says what is wrong with the period chosen.
  'REPORTS.INVALID_PERIOD': null,
  'REPORTS.INVALID_TARGETS': null,
  // Subject access requests and the sharing log are kept in the tab only.
  'SAR.INVALID': null,
  'SAR.NOT_FOUND': null,
  'SAR.IMMUTABLE': null,
  'SAR.CONTENDED': null,
  'SAR.DECISIONS_REQUIRED': null,
  'SAR.REVIEW_INCOMPLETE': null,
  'SAR.CLOSED': null,
  'SHARING.INVALID': null,
  'SHARING.IMMUTABLE': null,
  // Transfers are built, sent and received in the tab and on the download page only.
  'TRANSFER.INVALID': null,
  'TRANSFER.NOT_FOUND': null,
  'TRANSFER.ALREADY_RECEIVED': null,
  'TRANSFER.LINK_GONE': null,
  'TRANSFER.WRONG_CODE': null,
  'TRANSFER.ARCHIVE_INVALID': null,
  'TRANSFER.IMMUTABLE': null,
  // Pattern rules and flags are handled in the tab only.
  'PATTERN.INVALID_RULES': null,
  'PATTERN.FLAG_NOT_FOUND': null,
  // Retention, legal holds and disposal are decided in the tab only (after step-up).
  'RETENTION.INVALID': null,
  'RETENTION.NOT_FOUND': null,
  'RETENTION.HELD': null,
  'RETENTION.DISPOSED':
    'That record was disposed of under the school\u2019s retention rules; only its tombstone remains.',
  'RETENTION.HOLD_NOT_FOUND': null,
};

/** A refusal the person can act on, with its code for the log; undefined for a real error. */
export function refusalOf(error: unknown): { code: ErrorCode; message: string } | undefined {
  if (!(error instanceof AppError)) return undefined;
  const message = REFUSALS[error.code];
  return message ? { code: error.code, message } : undefined;
}
