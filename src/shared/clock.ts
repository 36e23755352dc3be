/** Time as the domain sees it; injected so tests can fix it (no fake timers around mongoose). */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * The `nextCheckAt` of a clock job that is settled: it never comes due. Parking settled jobs
 * here (rather than a year ahead, when they would come due again) lets a due-jobs query's date
 * bound, which the store checks before decoding anything, pass over every settled job of every
 * past year.
 */
export const NEVER_DUE = new Date('9999-12-31T00:00:00.000Z');
