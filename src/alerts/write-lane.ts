/**
 * Runs store writes one at a time. FerretDB's SQLite backend takes a lock per write: two writes at
 * once make the second wait and retry (tens of milliseconds each), and each update there reads
 * the whole table, so writes one after another are as fast as it gets. Urgent writes (claims that
 * keep the send queue fed) go ahead of routine ones (outcomes of sends already made). Reads do
 * not need the lane.
 */
export class WriteLane {
  private readonly urgent: (() => Promise<void>)[] = [];
  private readonly routine: (() => Promise<void>)[] = [];
  private running = false;
  private drained: (() => void)[] = [];

  /** Writes asked for and not yet finished. */
  get pending(): number {
    return this.urgent.length + this.routine.length + (this.running ? 1 : 0);
  }

  /** Runs `write` in its turn; its result or failure is the caller's. */
  run<T>(write: () => Promise<T>, priority: 'urgent' | 'routine' = 'routine'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      (priority === 'urgent' ? this.urgent : this.routine).push(() =>
        write().then(resolve, reject),
      );
      void this.next();
    });
  }

  /** Resolves once every write asked for so far has finished. */
  async idle(): Promise<void> {
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  private async next(): Promise<void> {
    if (this.running) return;
    this.running = true;
    for (let job = this.take(); job; job = this.take()) await job();
    this.running = false;
    for (const resolve of this.drained.splice(0)) resolve();
  }

  private take(): (() => Promise<void>) | undefined {
    return this.urgent.shift() ?? this.routine.shift();
  }
}
