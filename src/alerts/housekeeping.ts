import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { AlertRepository } from './alert.repository';
import type { AlertService } from './alert.service';
import type { LeaseClaims } from './lease-claims';

/** How far back reconciliation looks. */
const RECONCILE_WINDOW_MS = 7 * 24 * 3_600_000;
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

  /** Once per period, on one instance: queues missed alerts and prunes old leases. */
  async reconcileIfDue(): Promise<void> {
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
}
