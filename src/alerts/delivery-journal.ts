import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AlertRepository, Delivery } from './alert.repository';
import type { AlertService } from './alert.service';
import type { Alert } from './alert.types';
import {
  classifySendFailure,
  recipientMissing,
  type RetryPolicy,
  type SendFailure,
} from './delivery-outcome';
import type { Lease, LeaseClaims } from './lease-claims';
import type { AlertSendRepository, SendIntent } from './alert-sends.repository';
import { WriteLane } from './write-lane';

export interface DeliveryJournalOptions {
  repository: Pick<AlertRepository, 'recordDeliveries' | 'markSent' | 'updateDelivery'> & {
    sends: Pick<AlertSendRepository, 'recordIntents'>;
  };
  alerts: Pick<AlertService, 'noticeUndeliverable'>;
  leases: Pick<LeaseClaims, 'claimMany' | 'release' | 'renew'>;
  clock: Clock;
  logger: Logger;
  retryPolicy: RetryPolicy;
  random: () => number;
}

/**
 * Writes asked for while one turn of the lane is waiting share that turn: one store write for all
 * of them, so the store keeps up with Teams' pace even when each round trip is slow.
 */
class SharedTurn<T> {
  private waiting: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly lane: WriteLane,
    private readonly write: (items: T[]) => Promise<void>,
  ) {}

  /** Resolves once the write that took `item` succeeded; rejects with its failure. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const first = this.waiting.length === 0;
      this.waiting.push({ item, resolve, reject });
      if (!first) return;
      void this.lane.run(async () => {
        const batch = this.waiting.splice(0);
        try {
          await this.write(batch.map((b) => b.item));
        } catch (error) {
          for (const b of batch) b.reject(error);
          return;
        }
        for (const b of batch) b.resolve();
      });
    });
  }
}

/**
 * Writes down what became of each send, and every other store write of the delivery worker,
 * through one write lane. An accepted send is journalled first, then its alert is marked sent at
 * once (sends finished meanwhile share one insert, and one round trip of updates by `_id`, a seek
 * each on every store), so the outbox says "sent" within moments of the send, backlog or not.
 * The journal is what keeps a crash between a send and its mark from sending twice: a later
 * claimer finds the entry and only marks.
 */
export class DeliveryJournal {
  private readonly lane = new WriteLane();
  /** Accepted sends waiting for the next journal insert (one insert takes them all). */
  private readonly entries: SharedTurn<Delivery>;
  /** Journalled sends waiting for their alerts' sent-marks (one round trip marks them all). */
  private readonly marks: SharedTurn<Delivery>;
  /** Sends about to go, waiting for their intents' insert (one insert takes them all). */
  private readonly intents: SharedTurn<SendIntent>;

  private readonly store: DeliveryJournalOptions['repository'];
  private readonly leases: DeliveryJournalOptions['leases'];

  constructor(private readonly options: DeliveryJournalOptions) {
    this.store = options.repository;
    this.leases = options.leases;
    this.entries = new SharedTurn(this.lane, (d) => this.store.recordDeliveries(d));
    this.marks = new SharedTurn(this.lane, (d) => this.store.markSent(d));
    this.intents = new SharedTurn(this.lane, (i) => this.store.sends.recordIntents(i));
  }

  /**
   * Journals that a send is about to go, before it goes: if this instance dies between Teams'
   * answer and the journal entry, the next claimer knows a copy may already be in the chat.
   */
  recordIntent(intent: SendIntent): Promise<void> {
    return this.intents.add(intent);
  }

  /**
   * Keeps the lease of a send still in flight (not through the lane: a renewal must not wait
   * behind a backlog of outcomes, or it comes too late). False when the lease is no longer ours.
   */
  async renew(lease: Lease, ttlMs: number): Promise<boolean> {
    return this.leases.renew(lease, ttlMs, this.options.clock.now());
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
    return this.entries.add(delivery);
  }

  /** Marks the alert sent as its journal entry says (only the lease holder, or its successor). */
  markSent(delivery: Delivery): Promise<void> {
    return this.marks.add(delivery);
  }

  /**
   * Leaves the alert pending, to be tried again from `retryAt`; `recipientMissingTries` counts the
   * "no such recipient" answers so far (kept so the bound holds across instances and restarts).
   */
  async markRetry(
    alertId: string,
    attempts: number,
    retryAt: Date,
    lastError: string,
    recipientMissingTries = 0,
  ): Promise<void> {
    await this.lane.run(() =>
      this.store.updateDelivery(alertId, {
        status: 'pending',
        attempts,
        nextAttemptAt: retryAt,
        lastError,
        ...(recipientMissingTries > 0 ? { recipientMissingTries } : {}),
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
    const missingTries = (alert.recipientMissingTries ?? 0) + (recipientMissing(failure) ? 1 : 0);
    const outcome = classifySendFailure(failure, {
      attempt: attempts,
      queuedAt: alert.createdAt,
      now: clock.now(),
      random: this.options.random,
      reopened,
      recipientMissingTries: missingTries,
      policy: this.options.retryPolicy,
    });
    const facts = {
      alertId: alert.alertId,
      status: failure.status,
      code: failure.code,
      attempt: attempts,
      ...(missingTries > 0 ? { recipientMissingTries: missingTries } : {}),
    };
    if (outcome.kind === 'undeliverable') {
      await this.markUndeliverable(alert, attempts, outcome.reason);
      logger.warn({ event: 'alerts.undeliverable', ...facts }, 'alert undeliverable');
      return 'undeliverable';
    }
    const retryAt = outcome.kind === 'retry' ? outcome.notBefore : clock.now();
    const lastError = outcome.kind === 'retry' ? outcome.reason : 'reopen-conversation';
    await this.markRetry(alert.alertId, attempts, retryAt, lastError, missingTries);
    logger.info({ event: 'alerts.retry', ...facts, retryAt: retryAt.toISOString() }, 'alert retry');
    return 'retried';
  }

  /** Resolves once every write asked for so far has finished. */
  idle(): Promise<void> {
    return this.lane.idle();
  }
}
