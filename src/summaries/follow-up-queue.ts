/**
 * The summaries' follow-ups, one at a time and after the publisher's answer: a submit does not
 * wait for them (its card has a deadline, and they are a dozen store calls), and two follow-ups
 * of one process never race on the same week or month. Readers in this process call `settled`
 * first, so what someone just did is on their next desk or report; another instance sees it a
 * moment later. A crash loses what was queued: the start-up catch-up works the last week again.
 */
export class FollowUpQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly onError: (name: string, error: unknown) => void) {}

  /** Queues work; returns at once. A failure is reported by name and does not stop the queue. */
  add(name: string, work: () => Promise<void>): void {
    this.tail = this.tail.then(work).catch((error: unknown) => this.onError(name, error));
  }

  /** Resolves when everything queued so far is done. */
  settled(): Promise<void> {
    return this.tail;
  }
}
