import type { Clock } from '../shared/clock';
import type { Alert } from './alert.types';
import type { SendRateLimiter } from './rate-limiter';

/**
 * Sends not yet journalled, at most: about a second of sends at Teams' tenant limit. Such sends
 * rely on their leases, so while the store is behind, sending ahead of it would only let leases of
 * sent but unrecorded alerts run down.
 */
const MAX_UNRECORDED = 30;

/** One send's hold on the pacing, given back in two steps. */
export interface SendTicket {
  /** Teams answered: the send no longer takes a concurrency slot. */
  answered(): void;
  /** Its outcome is in the store (or there is nothing to store): it no longer holds sends back. */
  recorded(): void;
}

/** Each person has one 1:1 chat with the bot, so the recipient names the chat for the limits. */
export function chatKeyOf(alert: Alert): string {
  return alert.recipientAadObjectId;
}

/**
 * When an alert may go: Teams' limits per chat and per tenant (the rate limiter), the sends in
 * flight (the concurrency) and the sends whose outcome the store does not have yet.
 */
export class SendPacing {
  /** Sends waiting for Teams' answer. */
  private sending = 0;
  /** Sends made or under way whose outcome is not yet journalled. */
  private unrecorded = 0;

  constructor(
    private readonly limiter: SendRateLimiter,
    private readonly clock: Clock,
    private readonly concurrency: number,
    /** Told whenever a send gives back its hold, so a waiting worker looks again. */
    private readonly onRelease: () => void,
  ) {}

  /** Every concurrency slot is taken: nothing can start until a send is answered. */
  get atConcurrency(): boolean {
    return this.sending >= this.concurrency;
  }

  /** No send may start now, whatever its chat. */
  get full(): boolean {
    return this.atConcurrency || this.unrecorded >= MAX_UNRECORDED;
  }

  /** When this alert's chat and tenant next have a slot (epoch ms; `now` or earlier: free now). */
  slotAt(alert: Alert, now: Date): number {
    return this.limiter.whenCanSend(chatKeyOf(alert), alert.tenantId, now).getTime();
  }

  /**
   * Takes the slot for a send starting now. Call right after {@link slotAt} said it was free, with
   * no await between, so concurrent sends never share a slot.
   */
  take(alert: Alert, now: Date): SendTicket {
    const chat = chatKeyOf(alert);
    const tenant = alert.tenantId;
    this.limiter.record(chat, tenant, now);
    this.sending++;
    this.unrecorded++;
    let answered = false;
    let recorded = false;
    return {
      // Teams has the send by the time its answer is back: count it from then on (see settle).
      answered: () => {
        if (answered) return;
        answered = true;
        this.sending--;
        this.limiter.settle(chat, tenant, now, this.clock.now());
        this.onRelease();
      },
      recorded: () => {
        if (recorded) return;
        recorded = true;
        this.unrecorded--;
        this.onRelease();
      },
    };
  }
}
