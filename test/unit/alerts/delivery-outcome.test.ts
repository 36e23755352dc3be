import {
  DEFAULT_RETRY_POLICY,
  RECIPIENT_MISSING_TRIES,
  backoffDelayMs,
  classifySendFailure,
  parseRetryAfter,
  type FailureContext,
  type SendFailure,
} from '../../../src/alerts/delivery-outcome';

const NOW = new Date('2026-01-15T10:00:00.000Z');
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function context(overrides: Partial<FailureContext> = {}): FailureContext {
  return { attempt: 1, queuedAt: NOW, now: NOW, random: () => 0.5, ...overrides };
}

function delayOf(failure: SendFailure, overrides: Partial<FailureContext> = {}): number {
  const outcome = classifySendFailure(failure, context(overrides));
  if (outcome.kind !== 'retry') throw new TypeError(`expected a retry, got ${outcome.kind}`);
  return outcome.notBefore.getTime() - (overrides.now ?? NOW).getTime();
}

describe('exponential backoff with full jitter', () => {
  it.each([
    // attempt, random, expected ms: the cap is 2 s × 2^(attempt − 1), at most 5 minutes
    [1, 0.999_999, 1_999],
    [1, 0, 0],
    [2, 0.5, 2_000],
    [3, 0.5, 4_000],
    [8, 0.5, 128_000],
    [9, 0.5, 150_000],
    [9, 0.999_999, 299_999],
    [50, 0.5, 150_000],
    [10_000, 0.5, 150_000],
  ])('when attempt %i fails and random gives %f, then the delay is %i ms', (attempt, r, ms) => {
    expect(backoffDelayMs(attempt, () => r)).toBe(ms);
  });

  it('when random misbehaves (1, negative, NaN), then the delay stays within [0, cap)', () => {
    expect(backoffDelayMs(1, () => 1)).toBeLessThan(2_000);
    expect(backoffDelayMs(1, () => -3)).toBe(0);
    expect(backoffDelayMs(1, () => Number.NaN)).toBe(0);
  });

  it('when a policy is given, then its base, factor and cap are used', () => {
    const policy = { baseDelayMs: 100, factor: 3, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, () => 0.5, policy))).toEqual([
      50, 150, 450, 500,
    ]);
  });
});

describe('reading Retry-After', () => {
  it.each([
    ['delay-seconds', '120', 120 * SECOND],
    ['zero seconds', '0', 0],
    ['seconds with spaces', ' 7 ', 7 * SECOND],
    ['an IMF-fixdate', 'Thu, 15 Jan 2026 10:00:30 GMT', 30 * SECOND],
    ['an RFC 850 date', 'Thursday, 15-Jan-26 10:01:00 GMT', MINUTE],
    ['a date in the past', 'Thu, 15 Jan 2026 09:00:00 GMT', 0],
  ])('when the header is %s, then the wait is read', (_label, header, ms) => {
    expect(parseRetryAfter(header, NOW)).toBe(ms);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['negative', '-5'],
    ['fractional', '1.5'],
    ['a word', 'soon'],
    ['an asctime date (no zone)', 'Thu Jan 15 10:00:30 2026'],
    ['a GMT date that is not a date', 'Thu, 99 Foo 2026 GMT'],
  ])('when the header is %s, then it is ignored', (_label, header) => {
    expect(parseRetryAfter(header, NOW)).toBeUndefined();
  });
});

describe('classifying a failed send', () => {
  it.each([
    ['429 throttled', { status: 429 }],
    ['412 precondition failed', { status: 412 }],
    ['408 request timeout', { status: 408 }],
    ['500', { status: 500 }],
    ['502 bad gateway', { status: 502 }],
    ['503', { status: 503 }],
    ['599', { status: 599 }],
    ['ECONNRESET', { code: 'ECONNRESET' }],
    ['ETIMEDOUT', { code: 'ETIMEDOUT' }],
    ['an unknown error with no response', { code: 'SomethingOdd' }],
    ['no status and no code', {}],
  ] as [string, SendFailure][])(
    'when the send fails with %s, then it is retried after the backoff',
    (_label, failure) => {
      // attempt 3, random 0.5: half of the 8 s cap
      expect(delayOf(failure, { attempt: 3 })).toBe(4_000);
    },
  );

  it.each([
    ['MessageWritesBlocked', { status: 403, code: 'MessageWritesBlocked' }, /blocked or removed/],
    ['any other 403', { status: 403, code: 'Forbidden' }, /not installed/],
    ['MessageWritesBlocked with no status', { code: 'MessageWritesBlocked' }, /blocked/],
    ['400 bad request', { status: 400, code: 'BadArgument' }, /HTTP 400 BadArgument: .*refused/],
    ['401 unauthorised', { status: 401 }, /HTTP 401: .*credentials/],
    ['413 too large', { status: 413 }, /HTTP 413: not retryable/],
  ] as [string, SendFailure, RegExp][])(
    'when the send fails with %s, then the entry is undeliverable with the reason',
    (_label, failure, reason) => {
      const outcome = classifySendFailure(failure, context());
      expect(outcome).toEqual({ kind: 'undeliverable', reason: expect.stringMatching(reason) });
    },
  );

  it('when a 403 carries a Retry-After, then it is still undeliverable', () => {
    const outcome = classifySendFailure({ status: 403, retryAfterHeader: '5' }, context());
    expect(outcome.kind).toBe('undeliverable');
  });

  it.each([
    ['404 ConversationNotFound', { status: 404, code: 'ConversationNotFound' }],
    ['a bare 404', { status: 404 }],
    ['ConversationNotFound with another status', { status: 400, code: 'ConversationNotFound' }],
  ] as [string, SendFailure][])(
    'when the send fails with %s, then a new 1:1 chat is opened',
    (_l, failure) => {
      expect(classifySendFailure(failure, context())).toEqual({ kind: 'reopen-conversation' });
    },
  );

  it('when the chat is still not found after reopening, then the entry is undeliverable', () => {
    const outcome = classifySendFailure(
      { status: 404, code: 'ConversationNotFound' },
      context({ reopened: true }),
    );
    expect(outcome).toEqual({
      kind: 'undeliverable',
      reason: expect.stringMatching(/newly opened chat/),
    });
  });

  it('when the code holds free text, then the reason does not repeat it', () => {
    const outcome = classifySendFailure({ status: 400, code: 'Pupil Jane Doe said…' }, context());
    expect(outcome.kind === 'undeliverable' && outcome.reason).toBe(
      'HTTP 400: the message was refused',
    );
  });
});

describe('honouring Retry-After', () => {
  it.each([
    // header, random, expected delay: the server's wait plus up to 1 s of spread, never less
    ['30', 0, 30 * SECOND],
    ['30', 0.5, 30 * SECOND + 500],
    ['Thu, 15 Jan 2026 10:02:00 GMT', 0, 2 * MINUTE],
    ['0', 0.25, 250],
  ])('when a 429 says Retry-After %s (random %f), then the retry waits %i ms', (h, r, ms) => {
    expect(delayOf({ status: 429, retryAfterHeader: h }, { attempt: 1, random: () => r })).toBe(ms);
  });

  it('when Retry-After is shorter than the backoff would be, then Retry-After wins', () => {
    // attempt 9 would back off ~150 s; the server asks for 3 s
    expect(delayOf({ status: 503, retryAfterHeader: '3' }, { attempt: 9, random: () => 0 })).toBe(
      3 * SECOND,
    );
  });

  it('when Retry-After is absurd (a day), then the wait is capped at an hour', () => {
    expect(
      delayOf({ status: 429, retryAfterHeader: '86400' }, { random: () => 0, attempt: 1 }),
    ).toBe(HOUR);
  });

  it('when Retry-After cannot be read, then the backoff is used', () => {
    expect(delayOf({ status: 429, retryAfterHeader: 'later' }, { attempt: 2 })).toBe(2_000);
  });
});

describe('giving up so the team is told', () => {
  it('when the attempt limit is reached, then the entry is undeliverable', () => {
    const outcome = classifySendFailure(
      { status: 503 },
      context({ attempt: DEFAULT_RETRY_POLICY.maxAttempts }),
    );
    expect(outcome).toEqual({
      kind: 'undeliverable',
      reason: expect.stringMatching(/attempt limit \(1000\).*last failure HTTP 503/),
    });
  });

  it('when one attempt is left, then it is still retried', () => {
    const outcome = classifySendFailure(
      { status: 503 },
      context({ attempt: DEFAULT_RETRY_POLICY.maxAttempts - 1 }),
    );
    expect(outcome.kind).toBe('retry');
  });

  it('when the next try would fall after 24 h, then the entry is undeliverable', () => {
    const now = new Date(NOW.getTime() + 24 * HOUR - MINUTE);
    const outcome = classifySendFailure(
      { status: 429 },
      context({ attempt: 40, now, random: () => 0.5 }), // would wait 150 s
    );
    expect(outcome).toEqual({
      kind: 'undeliverable',
      reason: expect.stringMatching(/age limit \(24 h\).*40 attempts over 24\.0 h/),
    });
  });

  it('when the next try still falls inside 24 h, then it is retried', () => {
    const now = new Date(NOW.getTime() + 24 * HOUR - 3 * MINUTE);
    const outcome = classifySendFailure({ status: 429 }, context({ attempt: 40, now }));
    expect(outcome.kind).toBe('retry');
  });

  it('when Retry-After points past the deadline, then it gives up rather than retry early', () => {
    const now = new Date(NOW.getTime() + 23.5 * HOUR);
    const outcome = classifySendFailure(
      { status: 429, retryAfterHeader: '3600' },
      context({ attempt: 5, now }),
    );
    expect(outcome.kind).toBe('undeliverable');
  });

  it('when a custom policy is given, then its limits apply', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3, maxAgeMs: 10 * MINUTE };
    expect(classifySendFailure({ status: 500 }, context({ attempt: 3, policy })).kind).toBe(
      'undeliverable',
    );
    expect(classifySendFailure({ status: 500 }, context({ attempt: 2, policy })).kind).toBe(
      'retry',
    );
    const late = new Date(NOW.getTime() + 10 * MINUTE);
    expect(
      classifySendFailure({ status: 500 }, context({ attempt: 2, policy, now: late })).kind,
    ).toBe('undeliverable');
  });

  it('when the chat is not found at the attempt limit, then it gives up instead of reopening', () => {
    const outcome = classifySendFailure(
      { status: 404 },
      context({ attempt: DEFAULT_RETRY_POLICY.maxAttempts }),
    );
    expect(outcome.kind).toBe('undeliverable');
  });
});

describe('a recipient the connector says does not exist', () => {
  it.each([
    ['the Playground’s 500 UserNotFound', { status: 500, code: 'UserNotFound' }],
    ['404 ConversationNotFound', { status: 404, code: 'ConversationNotFound' }],
    ['403 BotNotInConversationRoster', { status: 403, code: 'BotNotInConversationRoster' }],
  ] as [string, SendFailure][])(
    'when %s comes for the bounded time, then the entry is undeliverable, not retried for a day',
    (_l, failure) => {
      const outcome = classifySendFailure(
        failure,
        context({ attempt: 7, recipientMissingTries: RECIPIENT_MISSING_TRIES }),
      );
      expect(outcome).toEqual({ kind: 'undeliverable', reason: expect.any(String) });
    },
  );

  it('when 500 UserNotFound comes before the bound, then the entry is retried with backoff', () => {
    const outcome = classifySendFailure(
      { status: 500, code: 'UserNotFound' },
      context({ recipientMissingTries: RECIPIENT_MISSING_TRIES - 1 }),
    );
    expect(outcome.kind).toBe('retry');
  });

  it('when a throttle comes after "not found" answers, then it is retried: the bound counts only those answers', () => {
    const outcome = classifySendFailure(
      { status: 429 },
      context({ recipientMissingTries: RECIPIENT_MISSING_TRIES }),
    );
    expect(outcome.kind).toBe('retry');
  });
});
