// Over 450 lines (it was 778 before this change): the claim, pacing, journal, install-retry and
// housekeeping parts of the worker still share its state. Splitting them is issue 13 step 6.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AlertRepository, Delivery } from './alert.repository';
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
import type { DeliveryBell } from './delivery-bell';
import { WriteLane } from './write-lane';

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
 * or undefined when a new 1:1 chat must be opened first.
 */
export interface AlertChannel {
  send(alert: Alert, options: { reopen: boolean }): Promise<Delivered>;
  chatIdFor(alert: Alert): Promise<string | undefined>;
}

interface Lease {
  key: string;
  leaseNo: number;
  owner: string;
}

/** Claims work once across instances (see src/store/lease.repository.ts). */
interface LeaseClaims {
  claim(key: string, owner: string, ttlMs: number, now: Date): Promise<Lease | undefined>;
  claimMany(
    keys: readonly string[],
    owner: string,
    ttlMs: number,
    now: Date,
  ): Promise<(Lease & { expiresAt: Date })[]>;
  release(lease: Lease): Promise<void>;
  prune(before: Date): Promise<number>;
}

/**
 * How long a claim on an alert lasts. Longer than a send may take (the channel gives each send a
 * 15 s deadline), so a live send never loses its lease; a crashed instance's alerts are picked up
 * again after it.
 */
const DEFAULT_LEASE_MS = 30_000;
/**
 * A claimed alert is sent only while this much of its lease is left: the send's deadline (15 s)
 * and the journal insert that records it must both end before another instance could claim it.
 */
const MIN_LEASE_LEFT_TO_SEND_MS = 20_000;
/** How far ahead the running worker claims: alerts the rate limits let go within this time. */
const CLAIM_AHEAD_MS = 2_000;
/** At most this many alerts of one chat are claimed at a time (the rest wait in the outbox). */
const CLAIM_PER_CHAT = 4;
/**
 * Sends not yet journalled, at most: about a second of sends at Teams' tenant limit. Beyond it
 * the store is the bottleneck, and sending ahead of it would only let leases of sent but
 * unrecorded alerts run down.
 */
const MAX_UNRECORDED = 30;
/**
 * Routine writes (marking sent alerts as sent) held back at most while sends are queued, so
 * during a backlog they do not take the store time that claims and journalling need; they catch
 * up once the queue is empty. The journal already has every send, so nothing is sent twice
 * meanwhile. Chosen when each such update read the whole alerts table on FerretDB; the pushdown
 * patch makes it a seek, so whether deferring still pays is for the delivery benchmark to show.
 */
const MAX_DEFERRED_WRITES = 1_000;
/** How soon to look again when due alerts exist but none could be claimed now. */
const PACED_PAUSE_MS = 250;
/** Escalation jobs and reconciliation are looked at no more often than this. */
const HOUSEKEEPING_EVERY_MS = 1_000;

export interface DeliveryWorkerOptions {
  repository: Pick<
    AlertRepository,
    'findDue' | 'get' | 'updateDelivery' | 'dueJobs' | 'recordDeliveries' | 'deliveryOf'
  >;
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
  /** How often one instance re-queues alerts of records whose queueing was cut short. */
  reconcileEveryMs?: number;
  /** Rung when new alerts are queued: the running worker takes a look at once. */
  bell?: Pick<DeliveryBell, 'onRing'>;
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

type Outcome = 'sent' | 'retried' | 'undeliverable' | 'skipped';

type JournalOutcome = { ok: true } | { ok: false; error: unknown };

/** An alert this instance holds a lease on, re-read under that lease, waiting for its slot. */
interface Claimed {
  readonly alert: Alert;
  readonly lease: Lease;
  readonly leaseEndsAt: number;
}

/**
 * Drains the alert outbox. Several app instances may run, so alerts are claimed with leases, a
 * batch at a time (one read of the outbox, one read and one insert of leases; an alert is re-read
 * by id only if it had an earlier lease). Claims run beside the sends; claimed alerts wait in
 * memory and go out the moment the rate limiter allows, several in flight. Each accepted send is
 * journalled by a batched insert, then its alert is marked sent; store writes go one at a time
 * through a write lane (concurrent writes make FerretDB's SQLite wait on its lock). Retries and giving up follow delivery-outcome. Also moves
 * due escalation jobs on. Durable: everything it needs is in MongoDB, so a restart carries on
 * where the last instance stopped.
 */
export class DeliveryWorker {
  private readonly owner = `worker-${randomUUID()}`;
  // Marking alerts sent waits while sends are queued (up to a bound): see MAX_DEFERRED_WRITES.
  private readonly writes: WriteLane = new WriteLane(
    (): boolean => this.queue.length > 0 && this.writes.pending < MAX_DEFERRED_WRITES,
  );
  /** Claimed alerts waiting for a send slot, in the order found. */
  private queue: Claimed[] = [];
  /** Alerts this instance holds: queued, being sent, or having their outcome written. */
  private readonly held = new Set<string>();
  /** Alerts finished since the current look at the outbox began (it may still see them pending). */
  private readonly finished = new Set<string>();
  /** Sends waiting for Teams' answer (bounded by the concurrency). */
  private sending = 0;
  /** Sends made or under way whose outcome is not yet journalled (bounded by MAX_UNRECORDED). */
  private unrecorded = 0;
  /** Accepted sends waiting for the next journal insert (one insert takes them all). */
  private journalBatch: { delivery: Delivery; done: (outcome: JournalOutcome) => void }[] = [];
  /** Deliveries under way: a send and then the writes that record its outcome. */
  private readonly inFlight = new Set<Promise<void>>();
  /** The look at the outbox under way, if any: it runs beside the sends, never holding them up. */
  private filling: Promise<void> | undefined;
  private housekeeping: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wake: (() => void) | undefined;
  private nextFillAt = 0;
  /** Counts pokes, so one that comes during a look at the outbox asks for another look. */
  private pokes = 0;
  private nextHousekeepingAt = 0;
  private nextReconcileAt = 0;
  private stopListening: (() => void) | undefined;

  constructor(private readonly options: DeliveryWorkerOptions) {}

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
    this.nextHousekeepingAt = 0;
    this.wakeUp();
  }

  /** Finishes the sends under way, hands back unsent claims, and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    this.wakeUp();
    await this.running;
    await this.filling;
    await this.housekeeping;
    await this.releaseQueued(this.queue.splice(0));
    await this.writes.force(() => this.settle());
    await this.writes.idle();
  }

  /**
   * One pass: claims the due alerts that may be sent now, sends them, waits for the outcomes to
   * be stored, then moves due escalation jobs on. Alerts the limits hold back stay due
   * ("postponed"). For tests and tools; the running worker does the same continuously.
   */
  async runOnce(): Promise<PassResult> {
    return this.writes.force(() => this.pass());
  }

  private async pass(): Promise<PassResult> {
    const result = emptyResult();
    await this.fill(result, 0);
    // Send what may go now; each finished send may make room for another (concurrency).
    for (this.dispatch(result); this.inFlight.size > 0; this.dispatch(result)) {
      await Promise.race(this.inFlight);
    }
    const leftOver = this.queue.splice(0);
    result.postponed += leftOver.length;
    await this.releaseQueued(leftOver);
    await this.writes.idle();
    result.escalated = await this.escalateDue();
    await this.reconcileIfDue();
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
        if (!this.housekeeping && now >= this.nextHousekeepingAt) {
          this.nextHousekeepingAt = now + Math.max(idleMs, HOUSEKEEPING_EVERY_MS);
          this.housekeeping = this.keepHouse();
        }
        const wakeAt = Math.min(
          nextSlotAt ?? Number.POSITIVE_INFINITY,
          this.filling || this.queue.length >= this.lowWater()
            ? Number.POSITIVE_INFINITY
            : this.nextFillAt,
          this.housekeeping ? Number.POSITIVE_INFINITY : this.nextHousekeepingAt,
        );
        pauseMs = Math.max(0, Math.min(idleMs, wakeAt - this.options.clock.now().getTime()));
      } catch (error) {
        this.logError(error);
      }
      // Woken early by a poke, a finished send or look, or the next slot.
      if (pauseMs > 0 || this.sending >= this.concurrency()) await this.sleep(pauseMs);
    }
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

  private async keepHouse(): Promise<void> {
    try {
      await this.escalateDue();
      await this.reconcileIfDue();
    } catch (error) {
      this.logError(error);
    } finally {
      this.housekeeping = undefined;
    }
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

  private concurrency(): number {
    return this.options.concurrency ?? 16;
  }

  /**
   * Claims due alerts that the rate limits would let go within `aheadMs`, re-reads them under
   * their leases and queues the ones still pending. What it found: some claimed; due alerts the
   * limits hold back; or nothing to claim (nothing due, or everything due is held already).
   */
  private async fill(result: PassResult, aheadMs: number): Promise<'claimed' | 'paced' | 'none'> {
    const { repository, leases, limiter, clock } = this.options;
    const now = clock.now();
    const wanted = this.batchSize();
    // Enough to see past what this instance already holds (still pending in the store).
    this.finished.clear();
    const due = await repository.findDue(now, wanted * 2 + this.held.size);
    if (due.length === 0) return 'none';
    const perChat = new Map<string, number>();
    for (const item of this.queue) countChat(perChat, item.alert);
    const chosen: Alert[] = [];
    let paced = false;
    for (const alert of due) {
      if (this.held.has(alert.alertId) || this.finished.has(alert.alertId)) continue;
      if (chosen.length >= wanted) break;
      // Pace first, in memory: an alert that must wait costs no store work and simply stays due.
      const chat = chatKeyOf(alert);
      const queuedForChat = perChat.get(chat) ?? 0;
      const slot = limiter.whenCanSend(chat, alert.tenantId, now).getTime();
      if (queuedForChat >= CLAIM_PER_CHAT || slot > now.getTime() + aheadMs) {
        result.postponed++;
        paced = true;
        continue;
      }
      countChat(perChat, alert);
      chosen.push(alert);
    }
    if (chosen.length === 0) return paced ? 'paced' : 'none';
    const leaseMs = this.options.leaseMs ?? DEFAULT_LEASE_MS;
    const won = await this.writes.run(
      () =>
        leases.claimMany(
          chosen.map((a) => leaseKeyOf(a.alertId)),
          this.owner,
          leaseMs,
          now,
        ),
      'urgent',
    );
    const leaseOf = new Map(won.map((l) => [l.key, l]));
    result.skipped += chosen.length - won.length;
    const fresh = await Promise.all(
      chosen.map(async (candidate) => {
        const lease = leaseOf.get(leaseKeyOf(candidate.alertId));
        if (!lease) return undefined;
        // Only a lease holder changes an alert's delivery state, so under a first lease the copy
        // just read is current. After earlier leases, re-read: another instance may have finished
        // it (or rescheduled it) since the query.
        const alert = lease.leaseNo === 1 ? candidate : await repository.get(candidate.alertId);
        // A journalled send whose alert was never marked (its sender stopped in between): mark it.
        const journalled =
          alert?.status === 'pending' && lease.leaseNo > 1
            ? await repository.deliveryOf(alert.alertId)
            : undefined;
        if (!alert || alert.status !== 'pending' || journalled) {
          result.skipped++;
          // Not awaited: the mark may wait for the queue (routine); a later claimer would redo it.
          if (journalled) void this.markSent(journalled).catch((e: unknown) => this.logError(e));
          await this.writes.run(() => leases.release(lease)).catch(() => undefined);
          return undefined;
        }
        return { alert, lease, leaseEndsAt: lease.expiresAt.getTime() };
      }),
    );
    for (const claimed of fresh) {
      if (!claimed) continue;
      this.held.add(claimed.alert.alertId);
      this.queue.push(claimed);
    }
    if (won.length > 0) return 'claimed';
    return paced ? 'paced' : 'none';
  }

  /**
   * Starts the send of every queued alert whose chat and tenant have a slot now (up to the
   * concurrency), recording each slot as it is taken so concurrent sends never share one. Returns
   * when the earliest remaining alert could go, if any is left.
   */
  private dispatch(result: PassResult): number | undefined {
    const { limiter, clock } = this.options;
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
      // Sends not yet journalled rely on their leases: while the store is behind, wait.
      if (this.sending >= this.concurrency() || this.unrecorded >= MAX_UNRECORDED) {
        waiting.push(claimed);
        continue;
      }
      const chat = chatKeyOf(claimed.alert);
      const tenant = claimed.alert.tenantId;
      const slot = limiter.whenCanSend(chat, tenant, now).getTime();
      if (slot > now.getTime()) {
        nextSlotAt = Math.min(nextSlotAt ?? slot, slot);
        waiting.push(claimed);
        continue;
      }
      // Ask and record with no await between, so concurrent sends get distinct slots.
      limiter.record(chat, tenant, now);
      this.sending++;
      this.unrecorded++;
      let answered = false;
      let recorded = false;
      // Teams has the send by the time its answer is back: count it from then on (see settle).
      const onAnswer = () => {
        if (answered) return;
        answered = true;
        this.sending--;
        limiter.settle(chat, tenant, now, clock.now());
        this.wakeUp();
      };
      const onRecorded = () => {
        if (recorded) return;
        recorded = true;
        this.unrecorded--;
        this.wakeUp();
      };
      const task = this.deliver(claimed, { onAnswer, onRecorded })
        .then((outcome) => {
          result[outcome]++;
        })
        .catch((error: unknown) => this.logError(error))
        .finally(() => {
          onAnswer();
          onRecorded();
          this.inFlight.delete(task);
          this.held.delete(claimed.alert.alertId);
          this.finished.add(claimed.alert.alertId);
          this.wakeUp();
        });
      this.inFlight.add(task);
    }
    this.queue = waiting;
    if (this.queue.length === 0) this.writes.kick();
    if (expired.length > 0) void this.releaseQueued(expired);
    return nextSlotAt;
  }

  /** Sends one claimed alert and stores the outcome. */
  private async deliver(
    { alert, lease }: Claimed,
    hooks: { onAnswer: () => void; onRecorded: () => void },
  ): Promise<Outcome> {
    const { leases, clock, channel, logger } = this.options;
    let sent = false;
    try {
      const reopen = alert.lastError === 'reopen-conversation';
      try {
        const delivered = await channel.send(alert, { reopen }).finally(hooks.onAnswer);
        const delivery: Delivery = {
          alertId: alert.alertId,
          activityId: delivered.activityId,
          conversationId: delivered.conversationId,
          sentAt: clock.now(),
          attempts: alert.attempts + 1,
        };
        // Journalled first (a batched insert: cheap), so the send is on record at once ...
        await this.journal(delivery);
        sent = true;
        hooks.onRecorded();
        logger.info(
          {
            event: 'alerts.sent',
            alertId: alert.alertId,
            kind: alert.kind,
            attempt: alert.attempts + 1,
          },
          'alert sent',
        );
        // ... then the alert itself is marked sent, in the lane's quieter moments.
        await this.markSent(delivery);
        return 'sent';
      } catch (error) {
        // Not sent (or not known to be): nothing to journal, so it no longer holds sends back.
        hooks.onRecorded();
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
      if (!sent) await this.writes.run(() => leases.release(lease)).catch(() => undefined);
    }
  }

  /** Journals an accepted send; sends accepted meanwhile share one insert. */
  private journal(delivery: Delivery): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const first = this.journalBatch.length === 0;
      this.journalBatch.push({
        delivery,
        done: (outcome) => (outcome.ok ? resolve() : reject(outcome.error)),
      });
      if (!first) return;
      void this.writes.run(async () => {
        const batch = this.journalBatch.splice(0);
        const outcome = await this.options.repository
          .recordDeliveries(batch.map((b) => b.delivery))
          .then(
            (): JournalOutcome => ({ ok: true }),
            (error: unknown): JournalOutcome => ({ ok: false, error }),
          );
        for (const entry of batch) entry.done(outcome);
      }, 'urgent');
    });
  }

  /** Marks the alert sent as its journal entry says (only the lease holder, or its successor). */
  private async markSent(delivery: Delivery): Promise<void> {
    await this.writes.run(
      () =>
        this.options.repository.updateDelivery(delivery.alertId, {
          status: 'sent',
          attempts: delivery.attempts,
          activityId: delivery.activityId,
          conversationId: delivery.conversationId,
          sentAt: delivery.sentAt,
          lastError: '',
        }),
      'routine',
    );
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
      await this.writes.run(() =>
        repository.updateDelivery(alert.alertId, {
          status: 'undeliverable',
          attempts,
          lastError: outcome.reason,
        }),
      );
      logger.warn({ event: 'alerts.undeliverable', ...facts }, 'alert undeliverable');
      await this.writes.run(() => this.options.alerts.noticeUndeliverable(alert, outcome.reason));
      return 'undeliverable';
    }
    const retryAt = outcome.kind === 'retry' ? outcome.notBefore : clock.now();
    await this.writes.run(() =>
      repository.updateDelivery(alert.alertId, {
        status: 'pending',
        attempts,
        nextAttemptAt: retryAt,
        lastError: outcome.kind === 'retry' ? outcome.reason : 'reopen-conversation',
      }),
    );
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
      await this.writes.run(() =>
        repository.updateDelivery(alert.alertId, {
          status: 'undeliverable',
          attempts,
          lastError: result.reason,
        }),
      );
      logger.warn(
        { event: 'alerts.undeliverable', alertId: alert.alertId, reason: 'install-refused' },
        'alert undeliverable',
      );
      await this.writes.run(() => this.options.alerts.noticeUndeliverable(alert, result.reason));
      return 'undeliverable';
    }
    const retryAfter =
      result.kind === 'retry-later'
        ? parseRetryAfter(result.retryAfterHeader, clock.now())
        : undefined;
    await this.writes.run(() =>
      repository.updateDelivery(alert.alertId, {
        status: 'pending',
        attempts,
        nextAttemptAt: new Date(clock.now().getTime() + (retryAfter ?? AFTER_INSTALL_MS)),
        lastError: result.kind === 'installed' ? INSTALL_REQUESTED : 'install-retry',
      }),
    );
    logger.info(
      { event: 'alerts.install', alertId: alert.alertId, result: result.kind },
      'app install for recipient',
    );
    return 'retried';
  }

  /** Hands claims back unsent, so another look (here or elsewhere) can take them at once. */
  private async releaseQueued(items: readonly Claimed[]): Promise<void> {
    await Promise.all(
      items.map(async ({ alert, lease }) => {
        await this.writes.run(() => this.options.leases.release(lease)).catch(() => undefined);
        this.held.delete(alert.alertId);
      }),
    );
  }

  /** Waits for every send under way (and the sends they make room for) to finish. */
  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
    this.wake = undefined;
  }

  private wakeUp(): void {
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

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
    if (escalated > 0) this.nextFillAt = 0;
    return escalated;
  }
}

function emptyResult(): PassResult {
  return { sent: 0, retried: 0, undeliverable: 0, postponed: 0, skipped: 0, escalated: 0 };
}

function leaseKeyOf(alertId: string): string {
  return `alert:${alertId}`;
}

/** Each person has one 1:1 chat with the bot, so the recipient names the chat for the limits. */
function chatKeyOf(alert: Alert): string {
  return alert.recipientAadObjectId;
}

function countChat(perChat: Map<string, number>, alert: Alert): void {
  const chat = chatKeyOf(alert);
  perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
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
