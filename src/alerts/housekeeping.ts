import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AlertRepository } from './alert.repository';
import type { AlertService } from './alert.service';
import type { LeaseClaims } from './lease-claims';

/** How far back reconciliation looks. */
const RECONCILE_WINDOW_MS = 7 * 24 * 3_600_000;
/**
 * The frequent look: records inserted in the last minutes whose alerts a crash cut short go out
 * within the first escalation step, whichever instance is left (a dead instance's lease on the
 * weekly sweep must not hold them for its period).
 */
const RECENT_RECONCILE_EVERY_MS = 15_000;
const RECENT_RECONCILE_WINDOW_MS = 10 * 60_000;
/** How long one look at a record's escalation may hold it. */
const ESCALATION_LEASE_MS = 60_000;
/** One lease document is left per send attempt: a day of them is kept for diagnosis, no more. */
const KEEP_LEASES_MS = 24 * 3_600_000;

export interface HousekeepingOptions {
  repository: Pick<AlertRepository, 'dueJobs'>;
  alerts: Pick<AlertService, 'escalate' | 'reconcile'>;
  leases: Pick<LeaseClaims, 'claim' | 'release' | 'prune'>;
  clock: Clock;
  logger: Logger;
  /** This instance's name on its leases. */
  owner: string;
  /** How often one instance re-queues alerts of records whose queueing was cut short. */
  reconcileEveryMs: number;
}

/**
 * The delivery worker's periodic sweeps: moving due escalation jobs on, re-queueing alerts of
 * records whose queueing was cut short, and pruning old leases. Each is done by one instance.
 */
export class Housekeeping {
  private nextReconcileAt = 0;
  private nextRecentReconcileAt = 0;

  constructor(private readonly options: HousekeepingOptions) {}

  /** Moves due escalation jobs on; returns how many records escalated (they queued new alerts). */
  async escalateDue(): Promise<number> {
    const { repository, leases, clock, alerts, owner } = this.options;
    let escalated = 0;
    for (const job of await repository.dueJobs(clock.now(), 50)) {
      const key = `escalation:${job.incidentId}`;
      const lease = await leases.claim(key, owner, ESCALATION_LEASE_MS, clock.now());
      if (!lease) continue;
      try {
        if ((await alerts.escalate(job, job.incidentId)) === 'escalated') escalated++;
      } finally {
        await leases.release(lease).catch(() => undefined);
      }
    }
    return escalated;
  }

  /**
   * Once per period, on one instance: queues missed alerts of the week and prunes old leases;
   * and every few seconds, on one instance, the same for records inserted in the last minutes.
   */
  async reconcileIfDue(): Promise<void> {
    await this.reconcileRecentIfDue();
    const { clock, leases, alerts, logger, owner, reconcileEveryMs: every } = this.options;
    const now = clock.now();
    if (now.getTime() < this.nextReconcileAt) return;
    this.nextReconcileAt = now.getTime() + every;
    // One instance per period does it; the lease expires with the period.
    const lease = await leases.claim('alerts:reconcile', owner, every, now);
    if (!lease) return;
    const queued = await alerts.reconcile(new Date(now.getTime() - RECONCILE_WINDOW_MS));
    if (queued > 0) logger.warn({ event: 'alerts.reconciled', queued }, 'queued missed alerts');
    await leases.prune(new Date(now.getTime() - KEEP_LEASES_MS));
  }

  private async reconcileRecentIfDue(): Promise<void> {
    const { clock, leases, alerts, logger, owner } = this.options;
    const now = clock.now();
    if (now.getTime() < this.nextRecentReconcileAt) return;
    this.nextRecentReconcileAt = now.getTime() + RECENT_RECONCILE_EVERY_MS;
    const lease = await leases.claim(
      'alerts:reconcile-recent',
      owner,
      RECENT_RECONCILE_EVERY_MS,
      now,
    );
    if (!lease) return;
    const since = new Date(now.getTime() - RECENT_RECONCILE_WINDOW_MS);
    const queued = await alerts.reconcile(since, 'inserted');
    if (queued > 0) logger.warn({ event: 'alerts.reconciled', queued }, 'queued missed alerts');
  }
}
