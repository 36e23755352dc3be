/** A pause that can be cut short: the worker sleeps until its next slot unless something happens. */
export class Nap {
  private timer: NodeJS.Timeout | undefined;
  private wakeNow: (() => void) | undefined;

  /** Resolves after `ms`, or sooner on {@link wake}. */
  async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wakeNow = resolve;
      this.timer = setTimeout(resolve, ms);
    });
    this.wakeNow = undefined;
  }

  /** Ends the pause under way, if any (a poke, a finished send or look). */
  wake(): void {
    if (this.timer) clearTimeout(this.timer);
    this.wakeNow?.();
  }
}
