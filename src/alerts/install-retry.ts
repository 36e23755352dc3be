import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AlertChannel } from './alert-channel';
import type { Alert } from './alert.types';
import type { AppInstaller } from './app-installer';
import type { DeliveryJournal } from './delivery-journal';
import {
  parseRetryAfter,
  RECIPIENT_MISSING_TRIES,
  recipientMissing,
  type SendFailure,
} from './delivery-outcome';

// Marks an alert whose recipient had the app installed for them: the next failure is final.
const INSTALL_REQUESTED = 'install-requested';
// Teams needs a moment after an install before a 1:1 chat can be opened.
const AFTER_INSTALL_MS = 10_000;

/**
 * When a send failed because the recipient has no chat with the bot and Teams would not open one,
 * installs the app for them (Microsoft Graph) and schedules the alert again shortly. Once only:
 * after an install, the next such failure takes the normal failure path. An install Graph keeps
 * putting off (retry-later) counts as a "no such recipient" answer, so it too stops at
 * RECIPIENT_MISSING_TRIES instead of installing again for a day.
 */
export class InstallRetry {
  constructor(
    private readonly options: {
      /** Without one, such alerts simply fail (undeliverable, and the team is told). */
      installer?: AppInstaller;
      channel: Pick<AlertChannel, 'chatIdFor'>;
      journal: Pick<DeliveryJournal, 'markRetry' | 'markUndeliverable'>;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /**
   * What came of installing, or undefined when this failure is not one an install can cure (or
   * there is no installer): carry on as a normal failure.
   */
  async afterFailure(
    alert: Alert,
    failure: SendFailure,
    reopened: boolean,
  ): Promise<'retried' | 'undeliverable' | undefined> {
    const { installer, channel } = this.options;
    if (!installer || !appMissing(failure) || alert.lastError === INSTALL_REQUESTED) {
      return undefined;
    }
    // The last allowed "no such recipient" answer: the normal path gives up and tells the team.
    if (missingTriesAfter(alert, failure) >= RECIPIENT_MISSING_TRIES) return undefined;
    // Only now is it worth a read: had this person no chat with the bot (app not installed)?
    if (!reopened && (await channel.chatIdFor(alert))) return undefined;
    return this.install(installer, alert);
  }

  private async install(
    installer: AppInstaller,
    alert: Alert,
  ): Promise<'retried' | 'undeliverable'> {
    const { journal, clock, logger } = this.options;
    const result = await installer.installForUser(alert.tenantId, alert.recipientAadObjectId);
    const attempts = alert.attempts + 1;
    if (result.kind === 'not-permitted') {
      await journal.markUndeliverable(alert, attempts, result.reason);
      logger.warn(
        { event: 'alerts.undeliverable', alertId: alert.alertId, reason: 'install-refused' },
        'alert undeliverable',
      );
      return 'undeliverable';
    }
    const retryAfter =
      result.kind === 'retry-later'
        ? parseRetryAfter(result.retryAfterHeader, clock.now())
        : undefined;
    await journal.markRetry(
      alert.alertId,
      attempts,
      new Date(clock.now().getTime() + (retryAfter ?? AFTER_INSTALL_MS)),
      result.kind === 'installed' ? INSTALL_REQUESTED : 'install-retry',
      // Counted as the send's answer: the 403 or 404 that led to this install.
      (alert.recipientMissingTries ?? 0) + 1,
    );
    logger.info(
      { event: 'alerts.install', alertId: alert.alertId, result: result.kind },
      'app install for recipient',
    );
    return 'retried';
  }
}

function appMissing(failure: SendFailure): boolean {
  return failure.status === 403 || failure.status === 404 || failure.code === 'AppNotInstalled';
}

/** "No such recipient" answers with this failure: 403 counts too, as it is why we install. */
function missingTriesAfter(alert: Alert, failure: SendFailure): number {
  const counts = recipientMissing(failure) || failure.status === 403;
  return (alert.recipientMissingTries ?? 0) + (counts ? 1 : 0);
}
