/**
 * Runs store writes one at a time. FerretDB's SQLite backend takes a lock per write: two writes at
 * once make the second wait and retry (tens of milliseconds each), so writes one after another
 * are as fast as it gets. Urgent writes (the
 * default: claims, the journal, failures) go ahead of routine ones (marking alerts sent); routine
 * writes may also be held back while the owner is busy (`mayDeferRoutine`), so on a slow store
 * they do not take the time sends need. Reads do not need the lane.
 */
export class WriteLane {
  private readonly urgent: (() => Promise<void>)[] = [];
  private readonly routine: (() => Promise<void>)[] = [];
  private running = false;
  private forcing = 0;
  private drained: (() => void)[] = [];

  constructor(private readonly mayDeferRoutine: () => boolean = () => false) {}

  /** Writes asked for and not yet finished. */
  get pending(): number {
    return this.urgent.length + this.routine.length + (this.running ? 1 : 0);
  }

  /** Runs `write` in its turn; its result or failure is the caller's. */
  run<T>(write: () => Promise<T>, priority: 'urgent' | 'routine' = 'urgent'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      (priority === 'urgent' ? this.urgent : this.routine).push(() =>
        write().then(resolve, reject),
      );
      void this.next();
    });
  }

  /** Lets held-back routine writes go if the owner is no longer busy. */
  kick(): void {
    if (this.routine.length > 0) void this.next();
  }

  /** Runs `work` with nothing held back meanwhile (a pass that waits for its own writes). */
  async force<T>(work: () => Promise<T>): Promise<T> {
    this.forcing++;
    this.kick();
    try {
      return await work();
    } finally {
      this.forcing--;
    }
  }

  /** Resolves once every write asked for so far has finished (holding nothing back). */
  async idle(): Promise<void> {
    await this.force(async () => {
      while (this.pending > 0) {
        await new Promise<void>((resolve) => {
          this.drained.push(resolve);
          void this.next();
        });
      }
    });
  }

  private async next(): Promise<void> {
    if (this.running) return;
    this.running = true;
    for (let job = this.take(); job; job = this.take()) await job();
    this.running = false;
    for (const resolve of this.drained.splice(0)) resolve();
  }

  private take(): (() => Promise<void>) | undefined {
    const urgent = this.urgent.shift();
    if (urgent) return urgent;
    if (this.forcing === 0 && this.mayDeferRoutine()) return undefined;
    return this.routine.shift();
  }
}
