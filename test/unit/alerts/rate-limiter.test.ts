import {
  SendRateLimiter,
  TEAMS_SEND_LIMITS,
  applySendMargin,
  type SendLimits,
  type WindowLimit,
} from '../../../src/alerts/rate-limiter';

const T0 = Date.parse('2026-01-15T10:00:00.000Z');
const SECOND = 1_000;
const HOUR = 3_600_000;

/** mulberry32: a small seeded PRNG so the random schedules are the same on every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The most sends in any half-open window [a, a + windowMs), by brute force over sorted times. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((x, y) => x - y);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi += 1) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= windowMs) lo += 1;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** Every window of every chat and tenant, checked against the given limits. */
function violations(
  sends: readonly { chat: string; tenant: string; at: number }[],
  limits: SendLimits,
): string[] {
  const group = (key: (s: (typeof sends)[number]) => string) => {
    const map = new Map<string, number[]>();
    for (const s of sends) map.set(key(s), [...(map.get(key(s)) ?? []), s.at]);
    return map;
  };
  const check = (map: Map<string, number[]>, windows: readonly WindowLimit[]) =>
    [...map].flatMap(([key, times]) =>
      windows
        .filter((w) => busiestWindow(times, w.windowMs) > w.max)
        .map((w) => `${key}: ${busiestWindow(times, w.windowMs)} > ${w.max} per ${w.windowMs} ms`),
    );
  return [
    ...check(
      group((s) => `${s.tenant}/${s.chat}`),
      limits.perChat,
    ),
    ...check(
      group((s) => s.tenant),
      limits.perTenant,
    ),
  ];
}

const OURS = applySendMargin(TEAMS_SEND_LIMITS, 0.9);

describe('limits with a safety margin', () => {
  it('when the default 90 % margin is applied, then each limit is rounded down', () => {
    expect(OURS).toEqual({
      perChat: [
        { windowMs: 1_000, max: 6 },
        { windowMs: 30_000, max: 54 },
        { windowMs: 3_600_000, max: 1_620 },
      ],
      perTenant: [{ windowMs: 1_000, max: 27 }],
    });
  });

  it.each([0, -0.5, 1.01, Number.NaN])('when the margin is %p, then it is refused', (margin) => {
    expect(() => new SendRateLimiter({ margin })).toThrow(
      expect.objectContaining({ code: 'CONFIG.INVALID' }),
    );
  });

  it('when a tiny margin is applied, then at least one send per window is allowed', () => {
    expect(applySendMargin(TEAMS_SEND_LIMITS, 0.01).perChat.map((w) => w.max)).toEqual([1, 1, 18]);
  });
});

describe('pacing one chat', () => {
  it('when nothing has been sent, then a send may go now', () => {
    const limiter = new SendRateLimiter();
    expect(limiter.whenCanSend('c1', 't1', new Date(T0)).getTime()).toBe(T0);
  });

  it('when 6 sends went in this second, then the 7th waits until the first leaves the window', () => {
    const limiter = new SendRateLimiter();
    for (let i = 0; i < 6; i += 1) limiter.record('c1', 't1', new Date(T0 + i * 100));
    expect(limiter.whenCanSend('c1', 't1', new Date(T0 + 600)).getTime()).toBe(T0 + SECOND);
    // another chat in the same tenant is not held up
    expect(limiter.whenCanSend('c2', 't1', new Date(T0 + 600)).getTime()).toBe(T0 + 600);
  });

  it('when 54 sends went within 30 s, then the 55th waits for the 30 s window', () => {
    const limiter = new SendRateLimiter();
    for (let i = 0; i < 54; i += 1) limiter.reserve('c1', 't1', new Date(T0));
    const next = limiter.whenCanSend('c1', 't1', new Date(T0));
    expect(next.getTime()).toBe(T0 + 30 * SECOND);
  });

  it('when the margin is 1, then Teams limits are used exactly', () => {
    const limiter = new SendRateLimiter({ margin: 1, evenPacing: false });
    const times = Array.from({ length: 8 }, () => limiter.reserve('c', 't', new Date(T0)));
    expect(times.map((d) => d.getTime() - T0)).toEqual([0, 0, 0, 0, 0, 0, 0, SECOND]);
  });

  it('when the same chat id appears in two tenants, then they are paced separately', () => {
    const limiter = new SendRateLimiter();
    for (let i = 0; i < 6; i += 1) limiter.reserve('c1', 't1', new Date(T0));
    expect(limiter.whenCanSend('c1', 't2', new Date(T0)).getTime()).toBe(T0);
  });
});

describe('pacing a tenant', () => {
  it('when 27 chats of a tenant got a send this second, then the 28th waits', () => {
    const limiter = new SendRateLimiter();
    for (let i = 0; i < 27; i += 1) limiter.reserve(`c${i}`, 't1', new Date(T0 + i));
    expect(limiter.whenCanSend('c99', 't1', new Date(T0 + 50)).getTime()).toBe(T0 + SECOND);
    expect(limiter.whenCanSend('c99', 't2', new Date(T0 + 50)).getTime()).toBe(T0 + 50);
  });

  it('when a busy chat reserved a later slot, then another chat may still use an earlier gap', () => {
    const limiter = new SendRateLimiter();
    for (let i = 0; i < 6; i += 1) limiter.reserve('busy', 't1', new Date(T0));
    const later = limiter.reserve('busy', 't1', new Date(T0)); // pushed to the next second
    expect(later.getTime()).toBe(T0 + SECOND);
    expect(limiter.reserve('quiet', 't1', new Date(T0)).getTime()).toBe(T0);
  });

  it('when an earlier slot would overfill a window that a reserved later send belongs to, then it is refused', () => {
    // Out-of-order reservations: windows ending after `now` must count too.
    const limits: SendLimits = { perChat: [], perTenant: [{ windowMs: 1_000, max: 2 }] };
    const limiter = new SendRateLimiter({ limits, margin: 1, evenPacing: false });
    limiter.record('a', 't', new Date(T0 + 900));
    limiter.record('b', 't', new Date(T0 + 1_500));
    // [T0 + 600, T0 + 1600) would hold 600, 900 and 1500
    expect(limiter.whenCanSend('c', 't', new Date(T0 + 600)).getTime()).toBe(T0 + 1_900);
    // before the first reservation's window opens, it is free
    expect(limiter.whenCanSend('c', 't', new Date(T0 - 200)).getTime()).toBe(T0 - 200);
  });
});

describe('window edges', () => {
  const limits: SendLimits = { perChat: [], perTenant: [{ windowMs: 1_000, max: 2 }] };

  it('when two sends are exactly a window apart, then a send between them is allowed (windows are half-open)', () => {
    const limiter = new SendRateLimiter({ limits, margin: 1, evenPacing: false });
    limiter.record('a', 't', new Date(T0));
    limiter.record('b', 't', new Date(T0 + 1_000));
    expect(limiter.whenCanSend('c', 't', new Date(T0 + 500)).getTime()).toBe(T0 + 500);
  });

  it('when two sends are just under a window apart, then a send between them waits', () => {
    const limiter = new SendRateLimiter({ limits, margin: 1, evenPacing: false });
    limiter.record('a', 't', new Date(T0));
    limiter.record('b', 't', new Date(T0 + 999));
    expect(limiter.whenCanSend('c', 't', new Date(T0 + 500)).getTime()).toBe(T0 + 1_000);
  });
});

describe('even pacing', () => {
  /** A tenant's backlog across 20 chats, each send taken the moment it is allowed. */
  function drainTenant(limiter: SendRateLimiter, count: number): number[] {
    const times: number[] = [];
    let now = T0;
    for (let i = 0; i < count; i += 1) {
      now = limiter.whenCanSend(`c${i % 20}`, 't1', new Date(now)).getTime();
      limiter.record(`c${i % 20}`, 't1', new Date(now));
      times.push(now);
    }
    return times;
  }

  it('when a quiet tenant gets a burst, then half a window of sends go at once and the rest one spacing apart', () => {
    const times = drainTenant(new SendRateLimiter({ margin: 0.95 }), 40);
    // 30 × 0.95 → 28 per second: 14 at once, then one every 1000 / 28 ≈ 36 ms (a send held back
    // by the window may come half a spacing early: the schedule's slack for late timers).
    expect(times.filter((t) => t === T0)).toHaveLength(14);
    const gaps = times.slice(15).map((t, i) => t - (times[14 + i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(17);
    expect(busiestWindow(times.slice(14), 100)).toBeLessThanOrEqual(4);
  });

  it('when the sender is always a little late, then pacing still keeps the full rate (no drift)', () => {
    const limiter = new SendRateLimiter({ margin: 0.95 });
    const times: number[] = [];
    let now = T0;
    for (let i = 0; i < 28 * 20; i += 1) {
      // Each send goes 5 ms after the slot it was given, as a busy timer would fire.
      now = limiter.whenCanSend(`c${i % 20}`, 't1', new Date(now)).getTime() + 5;
      limiter.record(`c${i % 20}`, 't1', new Date(now));
      times.push(now);
    }
    expect((times.at(-1) as number) - T0).toBeLessThan(20 * SECOND + 100);
  });

  it('when a tenant has a long backlog, then pacing costs no throughput (the window limit binds)', () => {
    const times = drainTenant(new SendRateLimiter({ margin: 0.95 }), 28 * 20);
    // 20 windows' worth takes 20 windows, give or take the first burst.
    expect((times.at(-1) as number) - T0).toBeLessThan(20 * SECOND);
    expect(busiestWindow(times, SECOND)).toBe(28);
  });

  it.each([0.9, 0.95])(
    'when each send reaches Teams up to 60 ms late at random (margin %s), then Teams never counts more than 30 in a second',
    (margin) => {
      const random = seededRandom(11);
      const arrivals = drainTenant(new SendRateLimiter({ margin }), 2_000).map(
        (t) => t + random() * 60,
      );
      expect(busiestWindow(arrivals, SECOND)).toBeLessThanOrEqual(30);
    },
  );

  it('when sends go out in bursts at window edges (no pacing), then the same delays can put Teams over its limit', () => {
    const random = seededRandom(11);
    const arrivals = drainTenant(
      new SendRateLimiter({ margin: 0.95, evenPacing: false }),
      2_000,
    ).map((t) => t + random() * 60);
    expect(busiestWindow(arrivals, SECOND)).toBeGreaterThan(30);
  });
});

describe('counting a send from when Teams answered', () => {
  const limits: SendLimits = { perChat: [], perTenant: [{ windowMs: 1_000, max: 2 }] };

  it('when a send is settled at its answer, then the window counts from the answer', () => {
    const limiter = new SendRateLimiter({ limits, margin: 1, evenPacing: false });
    limiter.record('a', 't', new Date(T0));
    limiter.record('b', 't', new Date(T0 + 100));
    // The first send reached Teams only 300 ms after it was recorded.
    limiter.settle('a', 't', new Date(T0), new Date(T0 + 300));
    expect(limiter.whenCanSend('c', 't', new Date(T0 + 1_050)).getTime()).toBe(T0 + 1_100);
    // Counted from the recorded instant, it would have gone at once.
    const unsettled = new SendRateLimiter({ limits, margin: 1, evenPacing: false });
    unsettled.record('a', 't', new Date(T0));
    unsettled.record('b', 't', new Date(T0 + 100));
    expect(unsettled.whenCanSend('c', 't', new Date(T0 + 1_050)).getTime()).toBe(T0 + 1_050);
  });

  it('when a settle would move a send earlier, then nothing changes', () => {
    const limiter = new SendRateLimiter({ limits, margin: 1, evenPacing: false });
    limiter.record('a', 't', new Date(T0 + 500));
    limiter.record('b', 't', new Date(T0 + 600));
    limiter.settle('a', 't', new Date(T0 + 500), new Date(T0));
    expect(limiter.whenCanSend('c', 't', new Date(T0 + 1_200)).getTime()).toBe(T0 + 1_500);
  });
});

describe('never over the limits (random schedules, seeded)', () => {
  it.each([1, 2, 3, 42, 2026])(
    'when alerts arrive at random to random chats and tenants (seed %i), then no window ever holds more than the limit',
    (seed) => {
      const random = seededRandom(seed);
      const limiter = new SendRateLimiter();
      const sends: { chat: string; tenant: string; at: number }[] = [];
      let now = T0;
      for (let i = 0; i < 4_000; i += 1) {
        // bursts faster than a tenant may send (so busy chats reserve ahead and quiet ones fill the
        // gaps, out of order) and quiet spells of up to a minute
        now += random() < 0.95 ? Math.floor(random() * 20) : Math.floor(random() * 60_000);
        const tenant = `t${Math.floor(random() ** 2 * 3)}`;
        // a handful of chats take most of the traffic (the DSL's and deputies'), the rest a little
        const chat =
          random() < 0.7 ? `c${Math.floor(random() * 8)}` : `c${Math.floor(random() * 40)}`;
        const at =
          random() < 0.5
            ? limiter.reserve(chat, tenant, new Date(now))
            : (() => {
                const when = limiter.whenCanSend(chat, tenant, new Date(now));
                limiter.record(chat, tenant, when);
                return when;
              })();
        expect(at.getTime()).toBeGreaterThanOrEqual(now);
        sends.push({ chat, tenant, at: at.getTime() });
      }
      expect(violations(sends, OURS)).toEqual([]);
      expect(violations(sends, TEAMS_SEND_LIMITS)).toEqual([]);
    },
  );

  it.each([7, 8, 9, 99])(
    'when questions come in any time order within a minute (seed %i), then no window ever holds more than the limit',
    (seed) => {
      // Out-of-order questions leave reservations on both sides of later answers: the windows that
      // end after `now` must be counted as well as those before it.
      const random = seededRandom(seed);
      const limiter = new SendRateLimiter();
      const sends: { chat: string; tenant: string; at: number }[] = [];
      for (let i = 0; i < 1_500; i += 1) {
        const now = T0 + Math.floor(random() * 50_000);
        const tenant = `t${Math.floor(random() * 2)}`;
        const chat = `c${Math.floor(random() * 6)}`;
        sends.push({ chat, tenant, at: limiter.reserve(chat, tenant, new Date(now)).getTime() });
      }
      expect(violations(sends, OURS)).toEqual([]);
    },
  );

  it('when the checker sees a schedule over the limit, then it reports it (the check can fail)', () => {
    const sends = Array.from({ length: 7 }, (_, i) => ({ chat: 'c', tenant: 't', at: T0 + i }));
    expect(violations(sends, OURS)).toEqual(['t/c: 7 > 6 per 1000 ms']);
  });
});

describe('throughput with a backlog', () => {
  function drain(chats: string[], count: number): number[] {
    const limiter = new SendRateLimiter();
    return Array.from({ length: count }, (_, i) =>
      limiter.reserve(chats[i % chats.length] as string, 't1', new Date(T0)).getTime(),
    );
  }
  const within = (times: number[], ms: number) => times.filter((t) => t < T0 + ms).length;

  it('when one chat has a backlog, then it gets at least 90 % of Teams limits per 30 s and per hour', () => {
    const times = drain(['dsl'], 2_000);
    expect(within(times, 30 * SECOND)).toBeGreaterThanOrEqual(0.9 * 60);
    expect(within(times, HOUR)).toBeGreaterThanOrEqual(0.9 * 1_800);
    expect(within(times, SECOND)).toBe(6);
  });

  it('when many chats of a tenant have a backlog, then the tenant gets at least 90 % of 30 per second', () => {
    const chats = Array.from({ length: 200 }, (_, i) => `c${i}`);
    const times = drain(chats, 1_000);
    for (let s = 0; s < 10; s += 1) {
      const inSecond = times.filter((t) => t >= T0 + s * SECOND && t < T0 + (s + 1) * SECOND);
      expect(inSecond.length).toBeGreaterThanOrEqual(0.9 * 30);
    }
  });

  it('when 1,000 alerts go to four recipients each, then pacing them takes under two seconds (about 20 ms alone)', () => {
    const limiter = new SendRateLimiter();
    const started = performance.now();
    for (let alert = 0; alert < 1_000; alert += 1) {
      for (const chat of ['dsl', 'deputy', 'team', `teacher${alert % 50}`]) {
        limiter.reserve(chat, 't1', new Date(T0 + alert * 10));
      }
    }
    // generous for a loaded CI machine; a quadratic slip would take far longer
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('memory', () => {
  it('when chats fall idle for over an hour, then their history is forgotten', () => {
    const limiter = new SendRateLimiter();
    for (let i = 0; i < 500; i += 1) limiter.reserve(`c${i}`, `t${i % 5}`, new Date(T0 + i * 10));
    expect(limiter.stats()).toEqual({ chats: 500, tenants: 5, sends: 500 });
    limiter.whenCanSend('other', 't9', new Date(T0 + HOUR + 2 * 60_000));
    expect(limiter.stats()).toEqual({ chats: 0, tenants: 0, sends: 0 });
  });

  it('when one chat sends steadily for a day, then it holds at most about an hour of history', () => {
    const limiter = new SendRateLimiter();
    let now = T0;
    for (let i = 0; i < 20_000; i += 1) {
      now = limiter.reserve('dsl', 't1', new Date(now)).getTime();
    }
    expect(now - T0).toBeGreaterThan(10 * HOUR);
    // an hour's sends (1,620) plus the one-minute grace (at most 2 × 54): never the whole day
    expect(limiter.stats().sends).toBeLessThanOrEqual(1_620 + 2 * 54 + 2);
  });
});
