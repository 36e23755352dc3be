/**
 * Runs store writes one at a time, in the order asked. FerretDB's SQLite backend takes a lock per
 * write: two writes at once make the second wait and retry (tens of milliseconds each), while
 * the same writes one after another take a millisecond or two. Reads do not need the lane.
 */
export class WriteLane {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `write` after every write asked for before it; its result or failure is the caller's. */
  run<T>(write: () => Promise<T>): Promise<T> {
    const result = this.tail.then(write, write);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every write asked for so far has finished. */
  async idle(): Promise<void> {
    for (let tail = this.tail; ; tail = this.tail) {
      await tail;
      if (tail === this.tail) return;
    }
  }
}
