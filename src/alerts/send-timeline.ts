// The rate limiter's bookkeeping (see rate-limiter.ts): one timeline of sends per chat and tenant.

/** At most `max` sends in any window of `windowMs`. */
export interface WindowLimit {
  readonly windowMs: number;
  readonly max: number;
}

/** Share of the paced window's limit that may go at once after a quiet spell (a record's fan-out). */
const PACING_BURST_SHARE = 0.5;
/** How early, in spacings, a paced send may come: absorbs a caller's timer firing late. */
const PACING_SLACK_SHARE = 0.5;

/** Send times of one conversation or one tenant, ascending; the head index avoids O(n) shifts. */
export class Timeline {
  private times: number[] = [];
  private head = 0;

  get size(): number {
    return this.times.length - this.head;
  }

  insert(t: number): void {
    const last = this.times[this.times.length - 1];
    if (last === undefined || t >= last) {
      this.times.push(t);
      return;
    }
    this.times.splice(this.upperBound(t), 0, t);
  }

  /** Moves one recorded send from `from` to `to` (if it is still held). */
  move(from: number, to: number): void {
    const i = this.lowerBound(from);
    if (i < this.times.length && this.times[i] === from) this.times.splice(i, 1);
    else return;
    this.insert(to);
  }

  /** Forgets sends before `horizon`; they can no longer share a window with any question asked. */
  prune(horizon: number): void {
    const times = this.times;
    while (this.head < times.length && (times[this.head] as number) < horizon) this.head += 1;
    if (this.head > 64 && this.head * 2 > times.length) {
      this.times = times.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * If a send at `t` would put more than `max` sends into some window of `windowMs`, the earliest
   * instant after `t` that this window's history cannot rule out; otherwise undefined. A send at t
   * is ruled out exactly when `max` recorded sends and t all fit within a span shorter than the
   * window, i.e. some run s[i..i+max-1] has s[i+max-1] − s[i] < windowMs with s[i] > t − windowMs
   * and s[i+max-1] < t + windowMs; every instant before s[i] + windowMs is then ruled out too.
   */
  blockedUntil(t: number, { windowMs, max }: WindowLimit): number | undefined {
    const lo = this.upperBound(t - windowMs);
    const hiExclusive = this.lowerBound(t + windowMs);
    if (hiExclusive - lo < max) return undefined;
    const times = this.times;
    // The run with the latest start gives the furthest jump; with sends recorded in time order
    // the first run tried is it, so this is O(1) after the two binary searches.
    for (let i = hiExclusive - max; i >= lo; i -= 1) {
      const first = times[i] as number;
      if ((times[i + max - 1] as number) - first < windowMs) return first + windowMs;
    }
    return undefined;
  }

  /** When the next evenly spaced send is due (the "theoretical arrival time" of GCRA). */
  private pacedNext = Number.NEGATIVE_INFINITY;

  /**
   * Even pacing of `window`: a send at t is fine while the window ending at t holds less than
   * half its limit (a burst after a quiet spell), or from half a spacing before the schedule's
   * next send on; otherwise the earliest instant that is. Pacing shapes; the windows guarantee.
   */
  pacedUntil(t: number, { windowMs, max }: WindowLimit): number | undefined {
    const inWindow = this.upperBound(t) - this.upperBound(t - windowMs);
    if (inWindow < Math.max(1, Math.ceil(max * PACING_BURST_SHARE))) return undefined;
    // A whole millisecond, like every other instant here (Dates hold no fractions).
    const from = Math.ceil(this.pacedNext - (windowMs / max) * PACING_SLACK_SHARE);
    return from > t ? from : undefined;
  }

  /** Moves the pacing schedule on by one send at t. */
  notePaced(t: number, { windowMs, max }: WindowLimit): void {
    this.pacedNext = Math.max(this.pacedNext, t) + windowMs / max;
  }

  /** First index whose time is > t. */
  private upperBound(t: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose time is >= t. */
  private lowerBound(t: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
