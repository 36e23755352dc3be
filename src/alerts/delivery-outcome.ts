/**
 * What the delivery worker does after a failed send to Teams. Pure: the worker passes the failure,
 * the attempt number, the clock and a random source, and stores the answer on the outbox entry.
 * botbuilder retries neither a 429 without Retry-After nor a 412, so retrying is ours to decide.
 */

/** A failed send as the sender saw it: an HTTP status and Teams error code, or a network code. */
export interface SendFailure {
  /** HTTP status from the Bot Connector; absent when no response came back (network error). */
  readonly status?: number;
  /** Teams error code (e.g. MessageWritesBlocked, ConversationNotFound) or a Node code (ECONNRESET). */
  readonly code?: string;
  /** The Retry-After header as received: delay-seconds or an HTTP date. */
  readonly retryAfterHeader?: string;
}

/**
 * The worker's next move. `reason` is a short, name-free phrase for logs and for telling the DSL
 * team why someone was not reached; it never holds the alert's content.
 */
export type DeliveryOutcome =
  | { readonly kind: 'retry'; readonly notBefore: Date; readonly reason: string }
  | { readonly kind: 'undeliverable'; readonly reason: string }
  | { readonly kind: 'reopen-conversation' };

/** How hard and how long to keep trying; configurable because schools' tolerances differ. */
export interface RetryPolicy {
  /** Cap of the first backoff (full jitter picks a delay between 0 and the cap). */
  readonly baseDelayMs: number;
  /** Growth of the cap per attempt. */
  readonly factor: number;
  /** Largest backoff cap, so an outage is noticed within minutes of it ending. */
  readonly maxDelayMs: number;
  /** The attempt after which we give up, whatever the age (a backstop against tight loops). */
  readonly maxAttempts: number;
  /** Age of the outbox entry after which we give up and tell the team. */
  readonly maxAgeMs: number;
  /** Retry-After values beyond this are treated as this (a bad header must not park an alert). */
  readonly maxRetryAfterMs: number;
  /** Random extra wait added after a Retry-After, so entries told the same instant do not stampede. */
  readonly retryAfterSpreadMs: number;
}

/**
 * Defaults: 2 s base doubling to a 5 min cap, up to 24 h. With full jitter 24 h takes about 580
 * attempts, so the age normally decides; 1,000 attempts only stops a server that keeps answering
 * Retry-After: 0.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  baseDelayMs: 2_000,
  factor: 2,
  maxDelayMs: 5 * 60_000,
  maxAttempts: 1_000,
  maxAgeMs: 24 * 60 * 60_000,
  maxRetryAfterMs: 60 * 60_000,
  retryAfterSpreadMs: 1_000,
});

/**
 * Teams error codes by which the connector says the person is not there to message: the
 * Playground's 500 UserNotFound, Teams' 404 ConversationNotFound and 403 BotNotInConversationRoster,
 * and our own AppNotInstalled (nobody in the tenant has the app, so no chat can be opened).
 */
const RECIPIENT_MISSING_CODES = new Set([
  'UserNotFound',
  'ConversationNotFound',
  'BotNotInConversationRoster',
  'AppNotInstalled',
]);

/**
 * How many "no such recipient" answers make an alert undeliverable, whatever the status code.
 * Three: Teams can answer "not found" for a short while after someone joins the school's tenant or
 * has the app installed (its roster catches up within seconds), and a 404 first gets a newly
 * opened chat; a third such answer, after a backoff, is no hiccup. Before this bound such alerts
 * (the Playground's 500 UserNotFound) were retried ~540 times per instance over 24 h, and the
 * team was told nothing until the day was out (issue 18).
 */
export const RECIPIENT_MISSING_TRIES = 3;

/** True when the connector said the recipient does not exist (see RECIPIENT_MISSING_CODES). */
export function recipientMissing(failure: SendFailure): boolean {
  return (
    failure.status === 404 ||
    (failure.code !== undefined && RECIPIENT_MISSING_CODES.has(failure.code))
  );
}

/** Network failures (no HTTP status) that are known to be transient. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Exponential backoff with full jitter (a uniform delay between 0 and the cap) after the given
 * failed attempt (1 = the first send failed): full jitter spreads many failed entries apart so they
 * do not come back together and trip the limit again.
 */
export function backoffDelayMs(
  attempt: number,
  random: () => number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'factor' | 'maxDelayMs'> = DEFAULT_RETRY_POLICY,
): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // Computed in the log domain first so a large attempt number cannot overflow to Infinity/NaN.
  const cap =
    exponent * Math.log(policy.factor) >= Math.log(policy.maxDelayMs / policy.baseDelayMs)
      ? policy.maxDelayMs
      : Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** exponent);
  return Math.floor(clampUnit(random()) * cap);
}

/**
 * The wait a Retry-After header asks for, in ms from now (0 for a date already past), or undefined
 * when it is absent or unreadable. Accepts delay-seconds and the HTTP dates that carry GMT
 * (IMF-fixdate, RFC 850); asctime dates are not read, as JavaScript would take them as local time.
 */
export function parseRetryAfter(header: string | undefined, now: Date): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1_000;
  if (!/ GMT$/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** Where the failed attempt stands: the worker's own bookkeeping for the outbox entry. */
export interface FailureContext {
  /** The attempt that just failed, 1-based. */
  readonly attempt: number;
  /** When the outbox entry was inserted: the age limit counts from here. */
  readonly queuedAt: Date;
  readonly now: Date;
  /** Uniform in [0, 1): injected so tests are repeatable. */
  readonly random: () => number;
  /** True when this failure came after a new 1:1 chat was opened, so a second 404 is final. */
  readonly reopened?: boolean;
  /** "No such recipient" answers so far, this failure included (see RECIPIENT_MISSING_TRIES). */
  readonly recipientMissingTries?: number;
  readonly policy?: RetryPolicy;
}

/**
 * Decides retry, reopen or give up for a failed send. Retried: 429, 412, 408, 5xx and network
 * errors (also an unrecognised error with no status, since an alert must not stop on a hiccup).
 * Undeliverable: 403 (blocked, removed or app not installed), 400, 401 and other 4xx, and anything
 * past the attempt or age limit, so the DSL team is told rather than the alert silently stopping.
 * 404 ConversationNotFound asks the caller to open a new 1:1 chat, once. A recipient the connector
 * keeps saying does not exist is undeliverable at its RECIPIENT_MISSING_TRIES-th such answer.
 */
export function classifySendFailure(
  failure: SendFailure,
  context: FailureContext,
): DeliveryOutcome {
  const policy = context.policy ?? DEFAULT_RETRY_POLICY;
  const { status, code } = failure;
  const label = describe(failure);

  if (status === 403 || (status === undefined && code === 'MessageWritesBlocked')) {
    return {
      kind: 'undeliverable',
      reason:
        code === 'MessageWritesBlocked'
          ? `${label}: the person has blocked or removed the app`
          : `${label}: the app is not installed for the person or may not message them`,
    };
  }
  const missingTries = context.recipientMissingTries ?? 0;
  if (recipientMissing(failure) && missingTries >= RECIPIENT_MISSING_TRIES) {
    return {
      kind: 'undeliverable',
      reason: `${label}: no such recipient after ${missingTries} tries`,
    };
  }
  if (status === 404 || code === 'ConversationNotFound') {
    if (context.reopened) {
      return { kind: 'undeliverable', reason: `${label}: not found even in a newly opened chat` };
    }
    if (context.attempt >= policy.maxAttempts) return giveUp(context, policy, label);
    return { kind: 'reopen-conversation' };
  }
  if (status === 400) return { kind: 'undeliverable', reason: `${label}: the message was refused` };
  if (status === 401) {
    return { kind: 'undeliverable', reason: `${label}: the bot's credentials were refused` };
  }
  if (status !== undefined && !isRetryableStatus(status)) {
    return { kind: 'undeliverable', reason: `${label}: not retryable` };
  }

  // Retryable from here on: 429, 412, 408, 5xx or no response at all.
  if (context.attempt >= policy.maxAttempts) return giveUp(context, policy, label);
  const nowMs = context.now.getTime();
  const asked = parseRetryAfter(failure.retryAfterHeader, context.now);
  const delay =
    asked === undefined
      ? backoffDelayMs(context.attempt, context.random, policy)
      : // Never earlier than the server said; spread a little after it.
        Math.min(asked, policy.maxRetryAfterMs) +
        Math.floor(clampUnit(context.random()) * policy.retryAfterSpreadMs);
  const notBefore = nowMs + delay;
  if (notBefore > context.queuedAt.getTime() + policy.maxAgeMs) {
    return giveUp(context, policy, label);
  }
  return { kind: 'retry', notBefore: new Date(notBefore), reason: label };
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 412 || status === 408 || (status >= 500 && status <= 599);
}

function giveUp(context: FailureContext, policy: RetryPolicy, label: string): DeliveryOutcome {
  const hours = (context.now.getTime() - context.queuedAt.getTime()) / 3_600_000;
  const limit =
    context.attempt >= policy.maxAttempts
      ? `the attempt limit (${policy.maxAttempts})`
      : `the age limit (${policy.maxAgeMs / 3_600_000} h)`;
  return {
    kind: 'undeliverable',
    reason: `gave up at ${limit} after ${context.attempt} attempts over ${hours.toFixed(1)} h; last failure ${label}`,
  };
}

/** A name-free label: the status and code only (codes are Teams' or Node's, never user text). */
function describe(failure: SendFailure): string {
  const code = failure.code && /^[A-Za-z0-9_.-]{1,64}$/.test(failure.code) ? failure.code : '';
  if (failure.status === undefined) {
    const kind = TRANSIENT_NETWORK_CODES.has(code) ? 'network error' : 'error without a response';
    return code ? `${kind} ${code}` : kind;
  }
  return code ? `HTTP ${failure.status} ${code}` : `HTTP ${failure.status}`;
}

/** A random source outside [0, 1) must not produce negative or oversized delays. */
function clampUnit(value: number): number {
  if (!(value >= 0)) return 0;
  return value >= 1 ? 1 - Number.EPSILON : value;
}

/** Reads what a failed send said, whatever shape the error has (botbuilder RestError, fetch, ours). */
export function readSendFailure(error: unknown): SendFailure {
  const e = (error ?? {}) as {
    statusCode?: unknown;
    status?: unknown;
    code?: unknown;
    retryAfter?: unknown;
    response?: {
      headers?: { get?: (name: string) => string | undefined } | Record<string, unknown>;
    };
    details?: { error?: { code?: unknown } };
  };
  const status =
    typeof e.statusCode === 'number'
      ? e.statusCode
      : typeof e.status === 'number'
        ? e.status
        : undefined;
  const headers = e.response?.headers;
  const retryAfter =
    typeof e.retryAfter === 'string'
      ? e.retryAfter
      : headers && typeof (headers as { get?: unknown }).get === 'function'
        ? (headers as { get: (n: string) => string | undefined }).get('retry-after')
        : typeof (headers as Record<string, unknown> | undefined)?.['retry-after'] === 'string'
          ? ((headers as Record<string, unknown>)['retry-after'] as string)
          : undefined;
  const code =
    typeof e.details?.error?.code === 'string'
      ? e.details.error.code
      : typeof e.code === 'string'
        ? e.code
        : undefined;
  return {
    ...(status !== undefined ? { status } : {}),
    ...(code ? { code } : {}),
    ...(retryAfter ? { retryAfterHeader: retryAfter } : {}),
  };
}
