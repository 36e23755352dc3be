import { AppError } from '../shared/errors';
import { Timeline, type WindowLimit } from './send-timeline';

export type { WindowLimit } from './send-timeline';

/**
 * Keeps proactive sends under Teams' published limits by itself, so a burst of alerts is paced
 * rather than answered with 429s (which botbuilder does not always retry). Exact sliding windows:
 * no half-open interval of a window's length ever holds more than its limit. Paced evenly too:
 * Teams counts when each send *arrives*, and a window's worth released at once at the window's
 * edge arrives spread by network and store delays, so on Teams' clock it can overlap the next
 * such burst by more than the margin. So the shortest window of a chat and of a tenant is also
 * paced (a "generic cell rate" schedule): after a first burst of half the window, one send every
 * windowMs / max. The window then never fills at one instant, and a send may reach Teams late by
 * a couple of spacings (about 70 ms at 28 per second) before Teams could count one too many.
 * The schedule forgives a caller up to half a spacing late, so timer delays cost no throughput.
 * In memory, per process; the caller may persist the history later.
 */

/** The windows that apply to one conversation and to the whole tenant. */
export interface SendLimits {
  readonly perChat: readonly WindowLimit[];
  readonly perTenant: readonly WindowLimit[];
}

/**
 * Teams' published limits (docs): per chat 7 per second, 60 per 30 s, 1,800 per hour; per app per
 * tenant about 30 requests per second, taken here as 30 per second.
 */
export const TEAMS_SEND_LIMITS: SendLimits = Object.freeze({
  perChat: Object.freeze([
    { windowMs: 1_000, max: 7 },
    { windowMs: 30_000, max: 60 },
    { windowMs: 3_600_000, max: 1_800 },
  ]),
  perTenant: Object.freeze([{ windowMs: 1_000, max: 30 }]),
});

/**
 * Share of each published limit we allow ourselves when a caller names none: Teams counts on its
 * side, with its clock. The app passes ALERT_SEND_MARGIN (default 0.95, see src/config.ts).
 */
const DEFAULT_SEND_MARGIN = 0.9;

/** How far back a caller's clock may step (NTP) and still get exact answers. */
const CLOCK_STEP_GRACE_MS = 60_000;
/** How often idle conversations are forgotten. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The limits scaled by a margin, rounded down (7 × 0.9 allows 6), never below one send per window.
 */
export function applySendMargin(limits: SendLimits, margin: number): SendLimits {
  if (!(margin > 0 && margin <= 1)) {
    throw new AppError('CONFIG.INVALID', 'The send rate margin must be above 0 and at most 1.');
  }
  // The epsilon stops 60 × 0.9 = 53.999… style float error costing a whole send.
  const scale = (w: WindowLimit): WindowLimit => ({
    windowMs: w.windowMs,
    max: Math.max(1, Math.floor(w.max * margin + 1e-9)),
  });
  return { perChat: limits.perChat.map(scale), perTenant: limits.perTenant.map(scale) };
}

/** Options for {@link SendRateLimiter}; the defaults are Teams' limits at 90 %. */
export interface SendRateLimiterOptions {
  /** Share of each limit to use, in (0, 1]. */
  readonly margin?: number;
  /** The published limits before the margin (tests and future Teams changes). */
  readonly limits?: SendLimits;
  /** Pace each chat's and tenant's shortest window evenly (default true); false: bare windows. */
  readonly evenPacing?: boolean;
}

/**
 * Paces proactive sends per conversation and per tenant. Use `reserve` from a worker that sends
 * concurrently (it answers and records in one synchronous step, so two callers cannot be given the
 * same slot), or `whenCanSend` then `record` with no await in between. Memory is bounded by the
 * sends of the longest window (an hour per chat) plus a minute; idle chats are forgotten.
 */
export class SendRateLimiter {
  private readonly limits: SendLimits;
  /** The window of a chat and of a tenant that is paced evenly, if pacing is on. */
  private readonly pacedChat: WindowLimit | undefined;
  private readonly pacedTenant: WindowLimit | undefined;
  private readonly chatHorizonMs: number;
  private readonly tenantHorizonMs: number;
  private readonly chats = new Map<string, Timeline>();
  private readonly tenants = new Map<string, Timeline>();
  private latestNow = Number.NEGATIVE_INFINITY;
  private nextSweepAt = Number.NEGATIVE_INFINITY;

  constructor(options: SendRateLimiterOptions = {}) {
    this.limits = applySendMargin(
      options.limits ?? TEAMS_SEND_LIMITS,
      options.margin ?? DEFAULT_SEND_MARGIN,
    );
    const pacing = options.evenPacing ?? true;
    const shortest = (ws: readonly WindowLimit[]) =>
      [...ws].sort((a, b) => a.windowMs - b.windowMs)[0];
    this.pacedChat = pacing ? shortest(this.limits.perChat) : undefined;
    this.pacedTenant = pacing ? shortest(this.limits.perTenant) : undefined;
    const longest = (ws: readonly WindowLimit[]) => Math.max(0, ...ws.map((w) => w.windowMs));
    this.chatHorizonMs = longest(this.limits.perChat) + CLOCK_STEP_GRACE_MS;
    this.tenantHorizonMs = longest(this.limits.perTenant) + CLOCK_STEP_GRACE_MS;
  }

  /**
   * The earliest instant at or after `now` when one more send to this chat keeps every window of
   * the chat and of its tenant within the limits, given the sends recorded so far.
   */
  whenCanSend(chatId: string, tenantId: string, now: Date): Date {
    this.advance(now.getTime());
    // Never earlier than the pruned history can vouch for (a clock stepping back past the grace).
    let t = Math.max(now.getTime(), this.latestNow - CLOCK_STEP_GRACE_MS);
    const chat = this.chats.get(chatKey(chatId, tenantId));
    const tenant = this.tenants.get(tenantId);
    chat?.prune(this.latestNow - this.chatHorizonMs);
    tenant?.prune(this.latestNow - this.tenantHorizonMs);
    // Each jump moves t to an instant some window has not ruled out; stop when none rules t out.
    for (let moved = true; moved;) {
      moved = false;
      for (const [timeline, windows, paced] of [
        [chat, this.limits.perChat, this.pacedChat],
        [tenant, this.limits.perTenant, this.pacedTenant],
      ] as const) {
        if (!timeline) continue;
        for (const window of windows) {
          const until = timeline.blockedUntil(t, window);
          if (until !== undefined) {
            t = until;
            moved = true;
          }
        }
        // Always later than t when defined, so the loop still ends.
        const pacedFrom = paced ? timeline.pacedUntil(t, paced) : undefined;
        if (pacedFrom !== undefined) {
          t = pacedFrom;
          moved = true;
        }
      }
    }
    return new Date(t);
  }

  /** Notes a send to this chat at `at` (sent, or promised by `reserve`). */
  record(chatId: string, tenantId: string, at: Date): void {
    // The clock is moved on only by questions: a reservation lies in the future, and letting it
    // move the clock would make every other chat wait for it.
    const t = at.getTime();
    const key = chatKey(chatId, tenantId);
    // Sends too old to share a window with any future question are not worth keeping.
    if (t >= this.latestNow - this.chatHorizonMs) {
      const chat = timelineOf(this.chats, key);
      chat.insert(t);
      if (this.pacedChat) chat.notePaced(t, this.pacedChat);
    }
    if (t >= this.latestNow - this.tenantHorizonMs) {
      const tenant = timelineOf(this.tenants, tenantId);
      tenant.insert(t);
      if (this.pacedTenant) tenant.notePaced(t, this.pacedTenant);
    }
  }

  /**
   * Moves a recorded send to when it was known to have reached Teams (its answer came back):
   * Teams counts arrivals, and a send can arrive well after the instant it was recorded at (the
   * channel's own reads, the network). Only ever later, which can only hold later sends back:
   * any window that holds a future send and the old instant holds the new one too.
   */
  settle(chatId: string, tenantId: string, recordedAt: Date, arrivedBy: Date): void {
    const from = recordedAt.getTime();
    const to = arrivedBy.getTime();
    if (to <= from) return;
    this.chats.get(chatKey(chatId, tenantId))?.move(from, to);
    this.tenants.get(tenantId)?.move(from, to);
  }

  /** `whenCanSend` and `record` in one step: the caller must send at (or just after) the answer. */
  reserve(chatId: string, tenantId: string, now: Date): Date {
    const at = this.whenCanSend(chatId, tenantId, now);
    this.record(chatId, tenantId, at);
    return at;
  }

  /** How much history is held, for the health check and the memory-bound test. */
  stats(): { chats: number; tenants: number; sends: number } {
    let sends = 0;
    this.chats.forEach((timeline) => (sends += timeline.size));
    return { chats: this.chats.size, tenants: this.tenants.size, sends };
  }

  /** Moves the high-water clock on and, once a minute, forgets idle chats and tenants. */
  private advance(nowMs: number): void {
    if (nowMs <= this.latestNow) return;
    this.latestNow = nowMs;
    if (nowMs < this.nextSweepAt) return;
    this.nextSweepAt = nowMs + SWEEP_EVERY_MS;
    sweep(this.chats, nowMs - this.chatHorizonMs);
    sweep(this.tenants, nowMs - this.tenantHorizonMs);
  }
}

function chatKey(chatId: string, tenantId: string): string {
  // Keyed by tenant too: a chat id is only trusted within the tenant that reported it.
  return `${tenantId}\u0000${chatId}`;
}

function timelineOf(map: Map<string, Timeline>, key: string): Timeline {
  let timeline = map.get(key);
  if (!timeline) {
    timeline = new Timeline();
    map.set(key, timeline);
  }
  return timeline;
}

function sweep(map: Map<string, Timeline>, horizon: number): void {
  for (const [key, timeline] of map) {
    timeline.prune(horizon);
    if (timeline.size === 0) map.delete(key);
  }
}
