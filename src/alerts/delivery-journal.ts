import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AlertRepository, Delivery } from './alert.repository';
import type { AlertService } from './alert.service';
import type { Alert } from './alert.types';
import { classifySendFailure, type RetryPolicy, type SendFailure } from './delivery-outcome';
import type { Lease, LeaseClaims } from './lease-claims';
import { WriteLane } from './write-lane';

export interface DeliveryJournalOptions {
  repository: Pick<AlertRepository, 'recordDeliveries' | 'updateDelivery'>;
  alerts: Pick<AlertService, 'noticeUndeliverable'>;
  leases: Pick<LeaseClaims, 'claimMany' | 'release'>;
  clock: Clock;
  logger: Logger;
  retryPolicy: RetryPolicy;
  random: () => number;
}

type JournalOutcome = { ok: true } | { ok: false; error: unknown };

/**
 * Writes down what became of each send, and every other store write of the delivery worker,
 * through one write lane. An accepted send is journalled first (sends accepted meanwhile share one
 * insert), then its alert is marked sent at once: both are index seeks on every store, so the
 * outbox says "sent" within moments of the send, backlog or not. The journal is what keeps a crash
 * between a send and its mark from sending twice: a later claimer finds the entry and only marks.
 */
export class DeliveryJournal {
  private readonly lane = new WriteLane();
  /** Accepted sends waiting for the next journal insert (one insert takes them all). */
  private batch: { delivery: Delivery; done: (outcome: JournalOutcome) => void }[] = [];

  private readonly store: DeliveryJournalOptions['repository'];
  private readonly leases: DeliveryJournalOptions['leases'];

  constructor(private readonly options: DeliveryJournalOptions) {
    this.store = options.repository;
    this.leases = options.leases;
  }

  /** Claims leases on these keys (a store write, so it takes its turn in the lane). */
  claim(keys: readonly string[], owner: string, ttlMs: number, now: Date) {
    return this.lane.run(() => this.leases.claimMany(keys, owner, ttlMs, now));
  }

  /** Hands a lease back; a failure only means it lapses later. */
  async release(lease: Lease): Promise<void> {
    await this.lane.run(() => this.leases.release(lease)).catch(() => undefined);
  }

  /** Journals an accepted send; sends accepted meanwhile share one insert. */
  recordSend(delivery: Delivery): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const first = this.batch.length === 0;
      this.batch.push({
        delivery,
        done: (outcome) => (outcome.ok ? resolve() : reject(outcome.error)),
      });
      if (!first) return;
      void this.lane.run(async () => {
        const batch = this.batch.splice(0);
        const outcome = await this.store.recordDeliveries(batch.map((b) => b.delivery)).then(
          (): JournalOutcome => ({ ok: true }),
          (error: unknown): JournalOutcome => ({ ok: false, error }),
        );
        for (const entry of batch) entry.done(outcome);
      });
    });
  }

  /** Marks the alert sent as its journal entry says (only the lease holder, or its successor). */
  async markSent(delivery: Delivery): Promise<void> {
    await this.lane.run(() =>
      this.store.updateDelivery(delivery.alertId, {
        status: 'sent',
        attempts: delivery.attempts,
        activityId: delivery.activityId,
        conversationId: delivery.conversationId,
        sentAt: delivery.sentAt,
        lastError: '',
      }),
    );
  }

  /** Leaves the alert pending, to be tried again from `retryAt`. */
  async markRetry(
    alertId: string,
    attempts: number,
    retryAt: Date,
    lastError: string,
  ): Promise<void> {
    await this.lane.run(() =>
      this.store.updateDelivery(alertId, {
        status: 'pending',
        attempts,
        nextAttemptAt: retryAt,
        lastError,
      }),
    );
  }

  /** Gives up on the alert and tells the team whom it did not reach. */
  async markUndeliverable(alert: Alert, attempts: number, reason: string): Promise<void> {
    await this.lane.run(() =>
      this.store.updateDelivery(alert.alertId, {
        status: 'undeliverable',
        attempts,
        lastError: reason,
      }),
    );
    await this.lane.run(() => this.options.alerts.noticeUndeliverable(alert, reason));
  }

  /**
   * Writes down a failed send as delivery-outcome decides: pending again from a later time, or
   * undeliverable (the team is told).
   */
  async recordFailure(
    alert: Alert,
    failure: SendFailure,
    reopened: boolean,
  ): Promise<'retried' | 'undeliverable'> {
    const { clock, logger } = this.options;
    const attempts = alert.attempts + 1;
    const outcome = classifySendFailure(failure, {
      attempt: attempts,
      queuedAt: alert.createdAt,
      now: clock.now(),
      random: this.options.random,
      reopened,
      policy: this.options.retryPolicy,
    });
    const facts = {
      alertId: alert.alertId,
      status: failure.status,
      code: failure.code,
      attempt: attempts,
    };
    if (outcome.kind === 'undeliverable') {
      await this.markUndeliverable(alert, attempts, outcome.reason);
      logger.warn({ event: 'alerts.undeliverable', ...facts }, 'alert undeliverable');
      return 'undeliverable';
    }
    const retryAt = outcome.kind === 'retry' ? outcome.notBefore : clock.now();
    const lastError = outcome.kind === 'retry' ? outcome.reason : 'reopen-conversation';
    await this.markRetry(alert.alertId, attempts, retryAt, lastError);
    logger.info({ event: 'alerts.retry', ...facts, retryAt: retryAt.toISOString() }, 'alert retry');
    return 'retried';
  }

  /** Resolves once every write asked for so far has finished. */
  idle(): Promise<void> {
    return this.lane.idle();
  }
}
