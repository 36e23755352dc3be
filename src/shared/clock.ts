/** Time as the domain sees it; injected so tests can fix it (no fake timers around mongoose). */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };
