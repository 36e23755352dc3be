import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AlertChannel } from './alert-channel';
import type { Delivery } from './alert.repository';
import type { DeliveryJournal } from './delivery-journal';
import { readSendFailure } from './delivery-outcome';
import type { InstallRetry } from './install-retry';
import type { Claimed } from './outbox-claim';
import type { SendTicket } from './send-pacing';

/** What became of one claimed alert. */
export type SendOutcome = 'sent' | 'retried' | 'undeliverable';

/** What sending one alert needs. */
export interface SendParts {
  channel: Pick<AlertChannel, 'send'>;
  journal: Pick<DeliveryJournal, 'recordSend' | 'markSent' | 'recordFailure' | 'release'>;
  installs: Pick<InstallRetry, 'afterFailure'>;
  clock: Clock;
  logger: Logger;
}

/**
 * Sends one claimed alert and writes down the outcome: journalled and marked sent, rescheduled
 * after an install of the app, or as delivery-outcome decides for a failure. Gives the pacing its
 * slots back as soon as each is free (the answer; the outcome on record).
 */
export async function sendClaimed(
  { alert, lease }: Claimed,
  ticket: SendTicket,
  { channel, journal, installs, clock, logger }: SendParts,
): Promise<SendOutcome> {
  let sent = false;
  try {
    const reopen = alert.lastError === 'reopen-conversation';
    try {
      const delivered = await channel.send(alert, { reopen }).finally(ticket.answered);
      const delivery: Delivery = {
        alertId: alert.alertId,
        activityId: delivered.activityId,
        conversationId: delivered.conversationId,
        sentAt: clock.now(),
        attempts: alert.attempts + 1,
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
