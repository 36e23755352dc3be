/**
 * Runs the delivery worker's store writes one at a time, in the order asked. Kept for SQLite: the
 * embedded store has a single writer, so two writes at once make the second wait on the database
 * lock and retry (tens of milliseconds each, where an indexed write takes one or two), and writes
 * one after another are as fast as it gets. On MongoDB it costs little: the worker's writes are
 * small, and the journal batches its inserts. Reads do not need the lane.
 */
export class WriteLane {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  /** Writes asked for and not yet finished. */
  get pending(): number {
    return this.queued;
  }

  /** Runs `write` in its turn; its result or failure is the caller's. */
  run<T>(write: () => Promise<T>): Promise<T> {
    this.queued++;
    const result = this.tail.then(write);
    this.tail = result
      .catch(() => undefined)
      .finally(() => {
        this.queued--;
      });
    return result;
  }

  /** Resolves once every write asked for so far (and any asked for meanwhile) has finished. */
  async idle(): Promise<void> {
    while (this.queued > 0) await this.tail;
  }
}
