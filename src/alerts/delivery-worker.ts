// A little over 300 lines: what is left is the coordination itself (the loop, dispatch, one pass,
// stopping), which shares the queue and the sends in flight; each part it coordinates has a file.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AlertChannel } from './alert-channel';
import type { AlertRepository } from './alert.repository';
import type { AlertSendRepository } from './alert-sends.repository';
import type { AlertService } from './alert.service';
import type { AppInstaller } from './app-installer';
import type { DeliveryBell } from './delivery-bell';
import { DeliveryJournal } from './delivery-journal';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './delivery-outcome';
import { Housekeeping } from './housekeeping';
import { Nap } from './nap';
import { InstallRetry } from './install-retry';
import type { LeaseClaims } from './lease-claims';
import { DEFAULT_LEASE_MS, OutboxClaim, type Claimed } from './outbox-claim';
import type { SendRateLimiter } from './rate-limiter';
import { SendPacing } from './send-pacing';
import { sendClaimed, type SendParts } from './send-claimed';

export type { AlertChannel, Delivered } from './alert-channel';

/**
 * A claimed alert is sent only while this much of its lease is left: the send's deadline (15 s)
 * and the journal insert that records it must both end before another instance could claim it.
 */
const MIN_LEASE_LEFT_TO_SEND_MS = 20_000;
/** How far ahead the running worker claims: alerts the rate limits let go within this time. */
const CLAIM_AHEAD_MS = 2_000;
/** How soon to look again when due alerts exist but none could be claimed now. */
const PACED_PAUSE_MS = 250;
/** Escalation jobs and reconciliation are looked at no more often than this. */
const HOUSEKEEPING_EVERY_MS = 1_000;

export interface DeliveryWorkerOptions {
  repository: Pick<
    AlertRepository,
    | 'findDue'
    | 'get'
    | 'updateDelivery'
    | 'markSent'
    | 'dueJobs'
    | 'recordDeliveries'
    | 'deliveryOf'
  > & { sends: Pick<AlertSendRepository, 'recordIntents' | 'unconfirmed'> };
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
  /** Alerts claimed by one look at the outbox. */
  batchSize?: number;
  leaseMs?: number;
  /** How often the lease of a send in flight is renewed (a third of the lease by default). */
  renewEveryMs?: number;
  /** How often one instance re-queues alerts of records whose queueing was cut short. */
  reconcileEveryMs?: number;
  /** Rung when new alerts are queued: the running worker takes a look at once. */
  bell?: Pick<DeliveryBell, 'onRing'>;
}

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
 * Drains the alert outbox: the coordinator of claim (outbox-claim), pacing (send-pacing), journal
 * (delivery-journal), install-retry and housekeeping. Looks at the outbox beside the sends;
 * claimed alerts wait in memory and go out the moment the pacing allows, several in flight; each
 * outcome is written down before the alert is let go. Retries and giving up follow
 * delivery-outcome. Durable: everything it needs is in the store, so a restart (or another
 * instance) carries on where the last one stopped.
 */
export class DeliveryWorker {
  private readonly owner = `worker-${randomUUID()}`;
  private readonly journal: DeliveryJournal;
  private readonly pacing: SendPacing;
  private readonly claims: OutboxClaim;
  /** What each send needs: the channel, the journal, the installer. */
  private readonly sending: SendParts;
  private readonly housekeeping: Housekeeping;
  /** Claimed alerts waiting for a send slot, in the order found. */
  private queue: Claimed[] = [];
  /** Deliveries under way: a send and then the writes that record its outcome. */
  private readonly inFlight = new Set<Promise<void>>();
  /** The look at the outbox under way, if any: it runs beside the sends, never holding them up. */
  private filling: Promise<void> | undefined;
  private sweeping: Promise<void> | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly nap = new Nap();
  private nextFillAt = 0;
  /** Counts pokes, so one that comes during a look at the outbox asks for another look. */
  private pokes = 0;
  private nextSweepAt = 0;
  private stopListening: (() => void) | undefined;

  constructor(private readonly options: DeliveryWorkerOptions) {
    const owner = this.owner;
    const journal = new DeliveryJournal({
      ...options,
      retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
      random: options.random ?? Math.random,
    });
    const pacing = new SendPacing(options.limiter, options.clock, options.concurrency ?? 16, () =>
      this.wakeUp(),
    );
    this.claims = new OutboxClaim({
      ...options,
      journal,
      pacing,
      owner,
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
      batchSize: this.batchSize(),
      logError: (error) => this.logError(error),
    });
    const installs = new InstallRetry({ ...options, journal });
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.sending = {
      ...options,
      journal,
      installs,
      leaseMs,
      renewEveryMs: options.renewEveryMs ?? Math.floor(leaseMs / 3),
    };
    const reconcileEveryMs = options.reconcileEveryMs ?? 5 * 60_000;
    this.housekeeping = new Housekeeping({ ...options, owner, reconcileEveryMs });
    this.journal = journal;
    this.pacing = pacing;
  }

  /** Runs until stopped: sends as the limits allow, looks for new work when poked or every `idleMs`. */
  start(idleMs = 1_000): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopListening = this.options.bell?.onRing(() => this.poke());
    this.running = this.loop(idleMs);
  }

  /** Asks for a look at the outbox now (a record was just stored). */
  poke(): void {
    this.pokes++;
    this.nextFillAt = 0;
    this.nextSweepAt = 0;
    this.wakeUp();
  }

  /** Finishes the sends under way, hands back unsent claims, and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    this.wakeUp();
    await this.running;
    await this.filling;
    await this.sweeping;
    await this.claims.release(this.queue.splice(0));
    await this.settle();
    await this.journal.idle();
  }

  /**
   * One pass: claims the due alerts that may be sent now, sends them, waits for the outcomes to
   * be stored, then moves due escalation jobs on. Alerts the limits hold back stay due
   * ("postponed"). For tests and tools; the running worker does the same continuously.
   */
  async runOnce(): Promise<PassResult> {
    const result = emptyResult();
    await this.fill(result, 0);
    // Send what may go now; each finished send may make room for another (concurrency).
    for (this.dispatch(result); this.inFlight.size > 0; this.dispatch(result)) {
      await Promise.race(this.inFlight);
    }
    const leftOver = this.queue.splice(0);
    result.postponed += leftOver.length;
    await this.claims.release(leftOver);
    await this.journal.idle();
    result.escalated = await this.escalateDue();
    await this.housekeeping.reconcileIfDue();
    return result;
  }

  private async loop(idleMs: number): Promise<void> {
    const result = emptyResult();
    while (!this.stopped) {
      let pauseMs = idleMs;
      try {
        const now = this.options.clock.now().getTime();
        if (!this.filling && now >= this.nextFillAt && this.queue.length < this.lowWater()) {
          this.filling = this.fillInBackground(result, now, idleMs);
        }
        const nextSlotAt = this.dispatch(result);
        if (!this.sweeping && now >= this.nextSweepAt) {
          this.nextSweepAt = now + Math.max(idleMs, HOUSEKEEPING_EVERY_MS);
          this.sweeping = this.sweep();
        }
        const wakeAt = Math.min(
          nextSlotAt ?? Number.POSITIVE_INFINITY,
          this.filling || this.queue.length >= this.lowWater()
            ? Number.POSITIVE_INFINITY
            : this.nextFillAt,
          this.sweeping ? Number.POSITIVE_INFINITY : this.nextSweepAt,
        );
        pauseMs = Math.max(0, Math.min(idleMs, wakeAt - this.options.clock.now().getTime()));
      } catch (error) {
        this.logError(error);
      }
      // Woken early by a poke, a finished send or look, or the next slot.
      if (pauseMs > 0 || this.pacing.atConcurrency) await this.nap.sleep(pauseMs);
    }
  }

  /** Claims more alerts onto the queue; how it went decides when to look again. */
  private async fill(result: PassResult, aheadMs: number) {
    const { found, claimed } = await this.claims.claim(this.queue, aheadMs, result);
    this.queue.push(...claimed);
    return found;
  }

  private async fillInBackground(result: PassResult, now: number, idleMs: number): Promise<void> {
    const pokes = this.pokes;
    try {
      const found = await this.fill(result, CLAIM_AHEAD_MS);
      // Claimed some: look again as soon as the queue runs low. Held back by the limits: soon.
      // Nothing due, or all of it claimed elsewhere: after the idle pause (or a poke).
      this.nextFillAt =
        found === 'claimed' || this.pokes !== pokes
          ? 0
          : now + (found === 'paced' ? PACED_PAUSE_MS : idleMs);
    } catch (error) {
      this.nextFillAt = now + idleMs;
      this.logError(error);
    } finally {
      this.filling = undefined;
      this.wakeUp();
    }
  }

  private async sweep(): Promise<void> {
    try {
      await this.escalateDue();
      await this.housekeeping.reconcileIfDue();
    } catch (error) {
      this.logError(error);
    } finally {
      this.sweeping = undefined;
    }
  }

  /** Escalations queue new alerts: look at the outbox again at once. */
  private async escalateDue(): Promise<number> {
    const escalated = await this.housekeeping.escalateDue();
    if (escalated > 0) this.nextFillAt = 0;
    return escalated;
  }

  private logError(error: unknown): void {
    this.options.logger.error(
      { event: 'alerts.worker_error', errorName: (error as Error).name },
      'pass failed',
    );
  }

  /**
   * Fewer queued than this and the worker looks for more: a batch, about two seconds of sends at
   * Teams' tenant limit, so the queue does not run dry while a look at a busy store takes a while.
   */
  private lowWater(): number {
    return this.batchSize();
  }

  private batchSize(): number {
    return this.options.batchSize ?? 50;
  }

  /**
   * Starts the send of every queued alert whose chat and tenant have a slot now (up to the
   * concurrency), taking each slot as it goes so concurrent sends never share one. Returns when
   * the earliest remaining alert could go, if any is left.
   */
  private dispatch(result: PassResult): number | undefined {
    const { clock } = this.options;
    let nextSlotAt: number | undefined;
    const waiting: Claimed[] = [];
    const expired: Claimed[] = [];
    for (const claimed of this.queue) {
      const now = clock.now();
      if (claimed.leaseEndsAt - now.getTime() < MIN_LEASE_LEFT_TO_SEND_MS) {
        // Too late to send safely under this lease: hand it back; a later look claims it anew.
        expired.push(claimed);
        continue;
      }
      if (this.pacing.full) {
        waiting.push(claimed);
        continue;
      }
      const slot = this.pacing.slotAt(claimed.alert, now);
      if (slot > now.getTime()) {
        nextSlotAt = Math.min(nextSlotAt ?? slot, slot);
        waiting.push(claimed);
        continue;
      }
      const ticket = this.pacing.take(claimed.alert, now);
      const task = sendClaimed(claimed, ticket, this.sending)
        .then((outcome) => {
          result[outcome]++;
        })
        .catch((error: unknown) => this.logError(error))
        .finally(() => {
          ticket.answered();
          ticket.recorded();
          this.inFlight.delete(task);
          this.claims.finish(claimed.alert.alertId);
          this.wakeUp();
        });
      this.inFlight.add(task);
    }
    this.queue = waiting;
    if (expired.length > 0) void this.claims.release(expired);
    return nextSlotAt;
  }

  /** Waits for every send under way (and the sends they make room for) to finish. */
  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private wakeUp(): void {
    this.nap.wake();
  }
}

function emptyResult(): PassResult {
  return { sent: 0, retried: 0, undeliverable: 0, postponed: 0, skipped: 0, escalated: 0 };
}
