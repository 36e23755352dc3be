import { randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AlertChannel } from './alert-channel';
import type { Delivery } from './alert.repository';
import type { DeliveryJournal } from './delivery-journal';
import { readSendFailure } from './delivery-outcome';
import type { InstallRetry } from './install-retry';
import type { Claimed } from './outbox-claim';
import type { SendTicket } from './send-pacing';
import type { Lease } from './lease-claims';

/** What became of one claimed alert. */
export type SendOutcome = 'sent' | 'retried' | 'undeliverable';

/** What sending one alert needs. */
export interface SendParts {
  channel: Pick<AlertChannel, 'send'>;
  journal: Pick<
    DeliveryJournal,
    'recordIntent' | 'recordSend' | 'markSent' | 'recordFailure' | 'release' | 'renew'
  >;
  installs: Pick<InstallRetry, 'afterFailure'>;
  clock: Clock;
  logger: Logger;
  /** How long a renewal extends the lease of a send in flight. */
  leaseMs: number;
  /** How often the lease of a send in flight is renewed (real time: the send's own wait). */
  renewEveryMs: number;
}

/**
 * Sends one claimed alert and writes down the outcome: the intent journalled first (with an id
 * made here, which the card carries), the lease renewed while the send is in flight, then the
 * send journalled and the alert marked sent; or rescheduled after an install of the app, or as
 * delivery-outcome decides for a failure. Gives the pacing its slots back as soon as each is
 * free (the answer; the outcome on record).
 */
export async function sendClaimed(
  { alert, lease, unconfirmed = [] }: Claimed,
  ticket: SendTicket,
  parts: SendParts,
): Promise<SendOutcome> {
  const { channel, journal, installs, clock, logger } = parts;
  let sent = false;
  try {
    const reopen = alert.lastError === 'reopen-conversation';
    const sendId = randomUUID();
    // Not sent if this fails (the worker logs it; the alert stays due): a send nobody could
    // journal first is a send nobody could link to a copy.
    await journal.recordIntent({
      sendId,
      alertId: alert.alertId,
      attempt: alert.attempts + 1,
      intendedAt: clock.now(),
    });
    if (unconfirmed.length > 0) {
      // Teams lets a bot neither read its chat back nor send with an idempotency key, so an
      // earlier send whose outcome was never written cannot be checked: send again, and let the
      // copies link themselves when they are shown (ids only in the log).
      logger.warn(
        { event: 'alerts.unconfirmed_send', alertId: alert.alertId, earlier: unconfirmed.length },
        'sending again after a send whose outcome was never written; copies are linked',
      );
    }
    try {
      const renewal = keepLease(lease, parts);
      const delivered = await channel.send(alert, { reopen, sendId }).finally(() => {
        renewal.stop();
        ticket.answered();
      });
      const delivery: Delivery = {
        alertId: alert.alertId,
        activityId: delivered.activityId,
        conversationId: delivered.conversationId,
        sentAt: clock.now(),
        attempts: alert.attempts + 1,
        sendId,
      };
      // Journalled first, so the send is on record at once; then the alert is marked sent.
      await journal.recordSend(delivery);
      sent = true;
      ticket.recorded();
      logger.info(
        {
          event: 'alerts.sent',
          alertId: alert.alertId,
          kind: alert.kind,
          attempt: delivery.attempts,
        },
        'alert sent',
      );
      await journal.markSent(delivery);
      return 'sent';
    } catch (error) {
      // Not sent (or not known to be): nothing to journal, so it no longer holds sends back.
      ticket.recorded();
      const failure = readSendFailure(error);
      const installed = await installs.afterFailure(alert, failure, reopen);
      return installed ?? (await journal.recordFailure(alert, failure, reopen));
    }
  } finally {
    // A sent alert is never claimed again, so its lease can simply lapse (one write saved);
    // otherwise release it so a retry is not held up.
    if (!sent) await journal.release(lease);
  }
}

/**
 * Renews the lease every `renewEveryMs` while a send is in flight: however slow Teams (or this
 * process) is, no other instance claims the alert and sends it too while this send may still
 * land. A lease found lost is logged: the send goes on, its copy will be linked.
 */
function keepLease(
  lease: Lease,
  { journal, leaseMs, renewEveryMs, logger }: SendParts,
): { stop(): void } {
  const timer = setInterval(() => {
    void journal
      .renew(lease, leaseMs)
      .then((kept) => {
        if (!kept) logger.warn({ event: 'alerts.lease_lost', key: lease.key }, 'lease lost');
      })
      .catch(() => undefined);
  }, renewEveryMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
