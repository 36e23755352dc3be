import { randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AlertRepository } from './alert.repository';
import type { AlertService } from './alert.service';
import type { Alert } from './alert.types';
import {
  classifySendFailure,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type RetryPolicy,
  type SendFailure,
} from './delivery-outcome';
import type { AppInstaller } from './app-installer';
import type { SendRateLimiter } from './rate-limiter';

// Marks an alert whose recipient had the app installed for them: the next failure is final.
const INSTALL_REQUESTED = 'install-requested';
// Teams needs a moment after an install before a 1:1 chat can be opened.
const AFTER_INSTALL_MS = 10_000;

/** Where an alert went. */
export interface Delivered {
  activityId: string;
  conversationId: string;
}

/**
 * How alerts reach Teams; implemented by the bot layer (cards, CloudAdapter). `send` throws a
 * {@link SendFailure}-shaped error on failure. `chatIdFor` names the conversation the send will use,
 * for rate limiting, or undefined when a new 1:1 chat must be opened first.
 */
export interface AlertChannel {
  send(alert: Alert, options: { reopen: boolean }): Promise<Delivered>;
  chatIdFor(alert: Alert): Promise<string | undefined>;
}

/** Claims work once across instances (see src/store/lease.repository.ts). */
interface LeaseClaims {
  claim(
    key: string,
    owner: string,
    ttlMs: number,
    now: Date,
  ): Promise<{ key: string; leaseNo: number; owner: string } | undefined>;
  release(lease: { key: string; leaseNo: number; owner: string }): Promise<void>;
  prune(before: Date): Promise<number>;
}

/**
 * How long a claim on an alert lasts. Longer than a send may take (the channel gives each send a
 * 15 s deadline), so a live send never loses its lease; a crashed instance's alerts are picked up
 * again after it.
 */
const DEFAULT_LEASE_MS = 30_000;

/** How soon to look again when every due alert was held back by the rate limits. */
const PACED_PAUSE_MS = 100;

export interface DeliveryWorkerOptions {
  repository: Pick<AlertRepository, 'findDue' | 'get' | 'updateDelivery' | 'dueJobs'>;
  alerts: Pick<AlertService, 'noticeUndeliverable' | 'escalate' | 'reconcile'>;
  channel: AlertChannel;
  leases: LeaseClaims;
  limiter: SendRateLimiter;
  /** Installs the app for someone who has none (Graph); without it they are undeliverable. */
  installer?: AppInstaller;
  clock: Clock;
  logger: Logger;
  retryPolicy?: RetryPolicy;
  random?: () => number;
  /** Sends in flight at once (each to a different alert). */
  concurrency?: number;
  batchSize?: number;
  leaseMs?: number;
  /** How often one instance re-queues alerts of records whose queueing was cut short. */
  reconcileEveryMs?: number;
}

/** How far back reconciliation looks. */
const RECONCILE_WINDOW_MS = 7 * 24 * 3_600_000;

/** What one pass did. */
export interface PassResult {
  sent: number;
  retried: number;
  undeliverable: number;
  postponed: number;
  skipped: number;
  escalated: number;
}

/**
 * Drains the alert outbox: claims each due alert with a lease (several app instances may run),
 * paces sends under Teams' limits, records the activity id, and retries or gives up as
 * delivery-outcome decides. Also moves due escalation jobs on. Durable: everything it needs is in
 * MongoDB, so a restart carries on where the last pass stopped.
 */
export class DeliveryWorker {
  private readonly owner = `worker-${randomUUID()}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wake: (() => void) | undefined;

  constructor(private readonly options: DeliveryWorkerOptions) {}

  /** Runs passes until stopped: straight away when poked, else every `idleMs`. */
  start(idleMs = 1_000): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = async () => {
      while (!this.stopped) {
        // Alerts held back by the rate limits are due again within a second: look again soon.
        let pauseMs = idleMs;
        try {
          const result = await this.runOnce();
          if (result.sent + result.retried + result.undeliverable + result.escalated > 0) continue;
          if (result.postponed > 0) pauseMs = Math.min(idleMs, PACED_PAUSE_MS);
        } catch (error) {
          this.options.logger.error(
            { event: 'alerts.worker_error', errorName: (error as Error).name },
            'pass failed',
          );
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, pauseMs);
        });
      }
    };
    this.running = loop();
  }

  /** Asks for a pass now (a record was just stored). */
  poke(): void {
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  /** Finishes the current pass and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.poke();
    await this.running;
  }

  /** One pass over due alerts and due escalation jobs. */
  async runOnce(): Promise<PassResult> {
    const result: PassResult = {
      sent: 0,
      retried: 0,
      undeliverable: 0,
      postponed: 0,
      skipped: 0,
      escalated: 0,
    };
    const now = this.options.clock.now();
    const due = await this.options.repository.findDue(now, this.options.batchSize ?? 100);
    const queue = [...due];
    const workers = Array.from(
      { length: Math.min(this.options.concurrency ?? 8, queue.length) },
      async () => {
        for (let alert = queue.shift(); alert; alert = queue.shift()) {
          result[await this.deliver(alert)]++;
        }
      },
    );
    await Promise.all(workers);
    result.escalated = await this.escalateDue();
    await this.reconcileIfDue();
    return result;
  }

  private async deliver(
    candidate: Alert,
  ): Promise<'sent' | 'retried' | 'undeliverable' | 'postponed' | 'skipped'> {
    const { repository, leases, limiter, clock, channel, logger } = this.options;
    // Pace first, in memory: an alert that must wait costs no store work and simply stays due.
    // Each person has one 1:1 chat with the bot, so the recipient names the chat for the limits.
    // Ask and record with no await between, so concurrent sends get distinct slots.
    const chatKey = candidate.recipientAadObjectId;
    const firstTry = clock.now();
    if (limiter.whenCanSend(chatKey, candidate.tenantId, firstTry).getTime() > firstTry.getTime()) {
      return 'postponed';
    }
    limiter.record(chatKey, candidate.tenantId, firstTry);
    const lease = await leases.claim(
      `alert:${candidate.alertId}`,
      this.owner,
      this.options.leaseMs ?? DEFAULT_LEASE_MS,
      clock.now(),
    );
    if (!lease) return 'skipped';
    let sent = false;
    try {
      // Re-read under the lease: another instance may have finished it since the query.
      const alert = await repository.get(candidate.alertId);
      if (!alert || alert.status !== 'pending') return 'skipped';
      const reopen = alert.lastError === 'reopen-conversation';
      try {
        const delivered = await channel.send(alert, { reopen });
        await repository.updateDelivery(alert.alertId, {
          status: 'sent',
          attempts: alert.attempts + 1,
          activityId: delivered.activityId,
          conversationId: delivered.conversationId,
          sentAt: clock.now(),
          lastError: '',
        });
        sent = true;
        logger.info(
          {
            event: 'alerts.sent',
            alertId: alert.alertId,
            kind: alert.kind,
            attempt: alert.attempts + 1,
          },
          'alert sent',
        );
        return 'sent';
      } catch (error) {
        const failure = toFailure(error);
        // Only now is it worth a read: had this person no chat with the bot (app not installed)?
        if (
          this.appMissing(failure) &&
          alert.lastError !== INSTALL_REQUESTED &&
          (reopen || !(await channel.chatIdFor(alert)))
        ) {
          const installed = await this.tryInstall(alert);
          if (installed) return installed;
        }
        return await this.failed(alert, failure, reopen);
      }
    } finally {
      // A sent alert is never claimed again, so its lease can simply lapse (one write saved);
      // otherwise release it so a retry is not held up.
      if (!sent) await leases.release(lease).catch(() => undefined);
    }
  }

  private async failed(
    alert: Alert,
    failure: SendFailure,
    reopened: boolean,
  ): Promise<'retried' | 'undeliverable'> {
    const { repository, clock, logger } = this.options;
    const attempts = alert.attempts + 1;
    const outcome = classifySendFailure(failure, {
      attempt: attempts,
      queuedAt: alert.createdAt,
      now: clock.now(),
      random: this.options.random ?? Math.random,
      reopened,
      policy: this.options.retryPolicy ?? DEFAULT_RETRY_POLICY,
    });
    const facts = {
      alertId: alert.alertId,
      status: failure.status,
      code: failure.code,
      attempt: attempts,
    };
    if (outcome.kind === 'undeliverable') {
      await repository.updateDelivery(alert.alertId, {
        status: 'undeliverable',
        attempts,
        lastError: outcome.reason,
      });
      logger.warn({ event: 'alerts.undeliverable', ...facts }, 'alert undeliverable');
      await this.options.alerts.noticeUndeliverable(alert, outcome.reason);
      return 'undeliverable';
    }
    const retryAt = outcome.kind === 'retry' ? outcome.notBefore : clock.now();
    await repository.updateDelivery(alert.alertId, {
      status: 'pending',
      attempts,
      nextAttemptAt: retryAt,
      lastError: outcome.kind === 'retry' ? outcome.reason : 'reopen-conversation',
    });
    logger.info({ event: 'alerts.retry', ...facts, retryAt: retryAt.toISOString() }, 'alert retry');
    return 'retried';
  }

  private appMissing(failure: SendFailure): boolean {
    return failure.status === 403 || failure.status === 404 || failure.code === 'AppNotInstalled';
  }

  /**
   * The recipient has no chat with the bot and Teams would not open one: install the app for them
   * (if an installer is configured) and try again shortly. Undefined means "no installer: carry on
   * as a normal failure".
   */
  private async tryInstall(alert: Alert): Promise<'retried' | 'undeliverable' | undefined> {
    const { installer, repository, clock, logger } = this.options;
    if (!installer) return undefined;
    const result = await installer.installForUser(alert.tenantId, alert.recipientAadObjectId);
    const attempts = alert.attempts + 1;
    if (result.kind === 'not-permitted') {
      await repository.updateDelivery(alert.alertId, {
        status: 'undeliverable',
        attempts,
        lastError: result.reason,
      });
      logger.warn(
        { event: 'alerts.undeliverable', alertId: alert.alertId, reason: 'install-refused' },
        'alert undeliverable',
      );
      await this.options.alerts.noticeUndeliverable(alert, result.reason);
      return 'undeliverable';
    }
    const retryAfter =
      result.kind === 'retry-later'
        ? parseRetryAfter(result.retryAfterHeader, clock.now())
        : undefined;
    await repository.updateDelivery(alert.alertId, {
      status: 'pending',
      attempts,
      nextAttemptAt: new Date(clock.now().getTime() + (retryAfter ?? AFTER_INSTALL_MS)),
      lastError: result.kind === 'installed' ? INSTALL_REQUESTED : 'install-retry',
    });
    logger.info(
      { event: 'alerts.install', alertId: alert.alertId, result: result.kind },
      'app install for recipient',
    );
    return 'retried';
  }

  private nextReconcileAt = 0;

  private async reconcileIfDue(): Promise<void> {
    const { clock, leases, alerts, logger } = this.options;
    const now = clock.now();
    if (now.getTime() < this.nextReconcileAt) return;
    const every = this.options.reconcileEveryMs ?? 5 * 60_000;
    this.nextReconcileAt = now.getTime() + every;
    // One instance per period does it; the lease expires with the period.
    const lease = await leases.claim('alerts:reconcile', this.owner, every, now);
    if (!lease) return;
    const queued = await alerts.reconcile(new Date(now.getTime() - RECONCILE_WINDOW_MS));
    if (queued > 0) logger.warn({ event: 'alerts.reconciled', queued }, 'queued missed alerts');
    // One lease document is left per send attempt: keep a day of them for diagnosis, no more.
    await leases.prune(new Date(now.getTime() - 24 * 3_600_000));
  }

  private async escalateDue(): Promise<number> {
    const { repository, leases, clock, alerts } = this.options;
    let escalated = 0;
    for (const job of await repository.dueJobs(clock.now(), 50)) {
      const lease = await leases.claim(
        `escalation:${job.incidentId}`,
        this.owner,
        60_000,
        clock.now(),
      );
      if (!lease) continue;
      try {
        if ((await alerts.escalate(job, job.incidentId)) === 'escalated') escalated++;
      } finally {
        await leases.release(lease).catch(() => undefined);
      }
    }
    return escalated;
  }
}

/** Reads what a failed send said, whatever shape the error has (botbuilder RestError, fetch, ours). */
function toFailure(error: unknown): SendFailure {
  const e = (error ?? {}) as {
    statusCode?: unknown;
    status?: unknown;
    code?: unknown;
    retryAfter?: unknown;
    response?: {
      headers?: { get?: (name: string) => string | undefined } | Record<string, unknown>;
    };
    details?: { error?: { code?: unknown } };
  };
  const status =
    typeof e.statusCode === 'number'
      ? e.statusCode
      : typeof e.status === 'number'
        ? e.status
        : undefined;
  const headers = e.response?.headers;
  const retryAfter =
    typeof e.retryAfter === 'string'
      ? e.retryAfter
      : headers && typeof (headers as { get?: unknown }).get === 'function'
        ? (headers as { get: (n: string) => string | undefined }).get('retry-after')
        : typeof (headers as Record<string, unknown> | undefined)?.['retry-after'] === 'string'
          ? ((headers as Record<string, unknown>)['retry-after'] as string)
          : undefined;
  const code =
    typeof e.details?.error?.code === 'string'
      ? e.details.error.code
      : typeof e.code === 'string'
        ? e.code
        : undefined;
  return {
    ...(status !== undefined ? { status } : {}),
    ...(code ? { code } : {}),
    ...(retryAfter ? { retryAfterHeader: retryAfter } : {}),
  };
}
