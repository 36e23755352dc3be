import type { Response } from 'restify';
import { AppError, isStoreUnavailableError, type ErrorCode } from '../shared/errors';

/** HTTP status per error code the tab API answers; anything else is a 500. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  'TAB.UNAUTHENTICATED': 401,
  'ACCESS.STEP_UP_REQUIRED': 401,
  'ACCESS.DENIED': 403,
  'STAFF.NOT_FOUND': 403,
  'STAFF.SEVERAL_SCHOOLS': 403,
  'CHRONOLOGY.PUPIL_NOT_FOUND': 404,
  'INCIDENT.NOT_FOUND': 404,
  'TAB.NOT_FOUND': 404,
  'CHRONOLOGY.BAD_CURSOR': 400,
  'TAB.BAD_REQUEST': 400,
  'AMENDMENT.INVALID': 400,
  'AMENDMENT.CONTENDED': 409,
  'CASE.OUTCOME_REQUIRED': 400,
  'CASE.REASON_REQUIRED': 400,
  'CASE.ALREADY_CLOSED': 409,
  'CASE.NOT_CLOSED': 409,
  'TAB.RATE_LIMITED': 429,
  'PUPIL_STATUS.INVALID': 400,
  'PUPIL_STATUS.CONTENDED': 409,
  'ADULT_CONCERN.NOT_FOUND': 404,
  'ADULT_CONCERN.INVALID': 400,
  'ADULT_CONCERN.OUTCOME_RECORDED': 409,
  'ADULT_CONCERN.CONTENDED': 409,
  'REPORTS.INVALID_PERIOD': 400,
  'REPORTS.INVALID_TARGETS': 400,
  'SAR.INVALID': 400,
  'SAR.NOT_FOUND': 404,
  'SAR.CONTENDED': 409,
  'SAR.DECISIONS_REQUIRED': 409,
  'SAR.REVIEW_INCOMPLETE': 409,
  'SAR.CLOSED': 409,
  'SHARING.INVALID': 400,
  'TRANSFER.INVALID': 400,
  'TRANSFER.NOT_FOUND': 404,
  'TRANSFER.ALREADY_RECEIVED': 409,
  'TRANSFER.ARCHIVE_INVALID': 400,
  'TRANSFER.WRONG_CODE': 400,
  'PATTERN.INVALID_RULES': 400,
  'PATTERN.FLAG_NOT_FOUND': 404,
  'RETENTION.INVALID': 400,
  'RETENTION.NOT_FOUND': 404,
  'RETENTION.HELD': 409,
  'RETENTION.DISPOSED': 410,
  'RETENTION.HOLD_NOT_FOUND': 404,
};

/** What the user may read: fixed per code, never the internal message (which may name ids). */
const SAFE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  'TAB.UNAUTHENTICATED': 'Please sign in again.',
  'ACCESS.STEP_UP_REQUIRED': 'Please confirm it is you with your second factor to see this.',
  'ACCESS.DENIED': 'You do not have access to this.',
  'STAFF.NOT_FOUND': "You are not in your school's staff list. Please ask your DSL.",
  'STAFF.SEVERAL_SCHOOLS': 'You are listed at more than one school; please ask your IT team.',
  'CHRONOLOGY.PUPIL_NOT_FOUND': 'No such pupil at your school.',
  'INCIDENT.NOT_FOUND': 'No such record.',
  'TAB.NOT_FOUND': 'Not found.',
  'CHRONOLOGY.BAD_CURSOR': 'That page link is no longer valid; please start from the top.',
  'TAB.BAD_REQUEST': 'The request was not understood.',
  'TAB.RATE_LIMITED': 'Too many requests; please wait a moment.',
  'CASE.OUTCOME_REQUIRED':
    'A case closes with its outcome: record a decision on it first (an action of kind decision), made since the case was last reopened if it was.',
  'CASE.REASON_REQUIRED': 'Give the reason for reopening the case.',
  'CASE.ALREADY_CLOSED': 'The case is already closed.',
  'CASE.NOT_CLOSED': 'Only a closed case can be reopened.',
  'PUPIL_STATUS.CONTENDED': 'The status was being changed by someone else; please try again.',
  'ADULT_CONCERN.NOT_FOUND': 'No such concern, or not one you can see.',
  'ADULT_CONCERN.OUTCOME_RECORDED': 'The outcome of this concern is already recorded.',
  'ADULT_CONCERN.CONTENDED': 'Someone else was changing this concern; please try again.',
  'SAR.NOT_FOUND': 'No such subject access request.',
  'SAR.CONTENDED': 'The request was being changed by someone else; please try again.',
  'SAR.CLOSED': 'The request is closed; it cannot be changed.',
  'TRANSFER.NOT_FOUND': 'No such transfer at your school.',
  'TRANSFER.ALREADY_RECEIVED': 'The next school has already confirmed receipt of this file.',
  'TRANSFER.WRONG_CODE':
    'The one-time code does not open this file (a wrong code, or the file was changed or cut short). Nothing was imported.',
  'PATTERN.FLAG_NOT_FOUND': 'No such pattern flag.',
  'RETENTION.NOT_FOUND': 'No such record due for retention review.',
  'RETENTION.HOLD_NOT_FOUND': 'No such legal hold in force.',
};

/** Codes whose message says which field is wrong and why (never a value): shown as it is. */
const FIELD_MESSAGES: ReadonlySet<ErrorCode> = new Set([
  'AMENDMENT.INVALID',
  'PUPIL_STATUS.INVALID',
  'ADULT_CONCERN.INVALID',
  'REPORTS.INVALID_PERIOD',
  'REPORTS.INVALID_TARGETS',
  'SAR.INVALID',
  'SAR.DECISIONS_REQUIRED',
  'SAR.REVIEW_INCOMPLETE',
  'SHARING.INVALID',
  'TRANSFER.INVALID',
  'TRANSFER.ARCHIVE_INVALID',
  'PATTERN.INVALID_RULES',
  // Says which field is wrong, or which hold (its reference) stops a disposal, or when and under
  // which rule a record was disposed: never a pupil's name or a record's text.
  'RETENTION.INVALID',
  'RETENTION.HELD',
  'RETENTION.DISPOSED',
]);

/** The claims challenge asking Entra for an authentication context (base64 of the JSON). */
function claimsChallenge(authContext: string): string {
  const claims = { access_token: { acrs: { essential: true, value: authContext } } };
  return Buffer.from(JSON.stringify(claims), 'utf8').toString('base64');
}

/**
 * Answers an error as `{ code, message }` with its status; returns the code for the log. Step-up
 * gets the WWW-Authenticate claims challenge teams-js and MSAL act on.
 */
export function sendTabError(
  res: Response,
  error: unknown,
  options: { stepUpContext: string; retryAfterSeconds?: number },
): string {
  if (error instanceof AppError && STATUS[error.code]) {
    const status = STATUS[error.code] ?? 500;
    const body: Record<string, string> = {
      code: error.code,
      message: FIELD_MESSAGES.has(error.code)
        ? error.message
        : (SAFE_MESSAGES[error.code] ?? 'Refused.'),
    };
    if (error.code === 'ACCESS.STEP_UP_REQUIRED') {
      const claims = claimsChallenge(options.stepUpContext);
      res.header(
        'WWW-Authenticate',
        `Bearer realm="", error="insufficient_claims", claims="${claims}"`,
      );
      body.claims = claims;
    } else if (error.code === 'TAB.UNAUTHENTICATED') {
      res.header('WWW-Authenticate', 'Bearer realm="", error="invalid_token"');
    }
    if (options.retryAfterSeconds) res.header('Retry-After', String(options.retryAfterSeconds));
    res.send(status, body);
    return error.code;
  }
  if (isStoreUnavailableError(error)) {
    res.send(503, { code: 'STORE.UNAVAILABLE', message: 'Please try again in a minute.' });
    return 'STORE.UNAVAILABLE';
  }
  res.send(500, { code: 'INTERNAL', message: 'Something went wrong.' });
  return 'INTERNAL';
}
