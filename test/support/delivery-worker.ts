import type { Logger } from '../../src/shared/logger';
import { DeliveryWorker, SendRateLimiter, type DeliveryWorkerOptions } from '../../src/alerts';
import type { AppServices } from '../../src/app-services';
import { createAdapter } from '../../src/bot/adapter';
import { TeamsAlertChannel } from '../../src/bot/alerts/teams-alert-channel';
import { loadConfig } from '../../src/config';
import type { Clock } from '../../src/shared/clock';

/**
 * The app's delivery worker over a test's services: it sends through the development adapter to
 * whatever serviceUrl the saved chats name (a test's connector stand-in). `overrides` replace the
 * worker's options (an installer, a limiter, concurrency…); `sendDeadlineMs` the channel's.
 */
export function aDeliveryWorker(
  services: AppServices,
  clock: Clock,
  logger: Logger,
  overrides: Partial<DeliveryWorkerOptions> & { sendDeadlineMs?: number } = {},
): DeliveryWorker {
  const { sendDeadlineMs, ...options } = overrides;
  return new DeliveryWorker({
    repository: services.alertRepository,
    alerts: services.alerts,
    channel: new TeamsAlertChannel(
      createAdapter(loadConfig({ APP_MODE: 'development' }), logger),
      '',
      services.references,
      services.alerts,
      logger,
      sendDeadlineMs,
    ),
    leases: services.leases,
    limiter: new SendRateLimiter(),
    clock,
    logger,
    ...options,
  });
}
