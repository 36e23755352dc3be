import type { Clock } from '../../src/shared/clock';

/** A clock the test moves by hand (never fake timers around mongoose). */
export class MutableClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
