import type { ActionAlerts } from '../alerts';
import { referralChaseAt, taskTimes, type StatutoryCalendar } from '../clocks';
import { NEVER_DUE, type Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { SchoolScope } from '../shared/school-scope';
import type { StaffMember } from '../staff';
import { alertSubjectOf } from './action-alerts';
import type { ActionJobRepository } from './action-job.repository';
import type { ActionRepository } from './action.repository';
import type { Action, ActionJob } from './action.types';
import { categoryNamesOf, type ActionRecords } from './record-access';

type ActionStore = Pick<ActionRepository, 'findById' | 'completionsOf' | 'listForIncidents'>;

/** Claims work once across instances (src/store/lease.repository.ts). */
interface Leases {
  claim(
    key: string,
    owner: string,
    ttlMs: number,
    now: Date,
  ): Promise<{ key: string; leaseNo: number; owner: string } | undefined>;
  release(lease: { key: string; leaseNo: number; owner: string }): Promise<void>;
}

/**
 * A clock another feature keeps in these jobs (one store, one lease, one pass): it says what it
 * queued and when to look again, or that nothing more will happen.
 */
export type OtherClock = (
  job: ActionJob,
  now: Date,
) => Promise<{ readonly queued: number; readonly nextCheckAt: Date; readonly settled: boolean }>;

/** Everything the clock jobs read and write. */
export interface ActionJobDependencies {
  readonly store: ActionStore;
  readonly jobs: Pick<ActionJobRepository, 'dueJobs' | 'updateJob'>;
  readonly records: Pick<ActionRecords, 'findIncident' | 'listCategories'>;
  readonly team: { listSafeguardingTeam(scope: SchoolScope): Promise<StaffMember[]> };
  /** alerts/ queues the clocks' alerts (and wakes delivery). */
  readonly alerts: Pick<ActionAlerts, 'queueForActionClock'>;
  readonly leases: Leases;
  readonly clock: Clock;
  readonly calendar: StatutoryCalendar;
  readonly owner: string;
  readonly logger: Logger;
  /** Other features' clocks by job kind (transfers/ chases a file not yet received). */
  readonly otherClocks?: { readonly transfer?: OtherClock; readonly retention?: OtherClock };
}

const LEASE_MS = 60_000;
const BATCH = 100;

/**
 * The durable clocks of actions: a task's reminder (start of the school day it is due) and its
 * overdue notice (end of that day); a statutory referral's chase prompts to the team (one working
 * day after the referral and each working day after, until a decision is recorded). Jobs live in
 * the store and each run is claimed by a lease, so restarts and several instances neither lose
 * nor repeat one; the alerts' unique keys make a repeated run harmless anyway.
 */
export class ActionJobs {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly deps: ActionJobDependencies) {}

  /** One pass over due jobs; returns how many alerts it queued. */
  async runDue(): Promise<number> {
    const { jobs, leases, clock, owner } = this.deps;
    let queued = 0;
    for (const job of await jobs.dueJobs(clock.now(), BATCH)) {
      const lease = await leases.claim(`action-job:${job.jobId}`, owner, LEASE_MS, clock.now());
      if (!lease) continue;
      try {
        queued += await this.run(job);
      } finally {
        await leases.release(lease).catch(() => undefined);
      }
    }
    return queued;
  }

  /** Runs a pass every `everyMs` until stopped (a failed pass is logged and retried next time). */
  start(everyMs = 60_000): void {
    this.stopped = false;
    const tick = () => {
      this.running = this.runDue()
        .catch((error: unknown) =>
          this.deps.logger.error(
            { event: 'actions.jobs_failed', code: (error as { code?: string }).code },
            'action jobs pass failed',
          ),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, everyMs);
        });
    };
    tick();
  }

  /** Stops after the pass under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async run(job: ActionJob): Promise<number> {
    const { store, jobs, clock } = this.deps;
    if (job.kind === 'transfer') return this.runOther(job, this.deps.otherClocks?.transfer);
    if (job.kind === 'retention') return this.runOther(job, this.deps.otherClocks?.retention);
    const action = await store.findById(job, job.actionId);
    const now = clock.now();
    if (!action) {
      await jobs.updateJob(job.jobId, { nextCheckAt: NEVER_DUE, settledAt: now });
      return 0;
    }
    return job.kind === 'task'
      ? this.runTask(job, action, now)
      : this.runReferral(job, action, now);
  }

  private async runOther(job: ActionJob, clock: OtherClock | undefined): Promise<number> {
    const now = this.deps.clock.now();
    // No runner in this process (an older instance): look again later, change nothing.
    if (!clock) {
      await this.deps.jobs.updateJob(job.jobId, {
        nextCheckAt: new Date(now.getTime() + 3_600_000),
      });
      return 0;
    }
    const { queued, nextCheckAt, settled } = await clock(job, now);
    await this.deps.jobs.updateJob(job.jobId, {
      nextCheckAt: settled ? NEVER_DUE : nextCheckAt,
      ...(settled ? { settledAt: now } : {}),
    });
    return queued;
  }

  private async runTask(job: ActionJob, task: Action, now: Date): Promise<number> {
    const { store, jobs } = this.deps;
    if (task.details.kind !== 'task') return 0;
    const [done] = await store.completionsOf(job, [task.actionId]);
    if (done) {
      await jobs.updateJob(job.jobId, { nextCheckAt: NEVER_DUE, settledAt: now });
      return 0;
    }
    const { remindAt, dueAt } = taskTimes(task.details.dueDate, this.deps.calendar);
    if (now.getTime() >= dueAt.getTime()) {
      // Overdue: the assignee and whoever set the task hear once; the team sees it in `actions`.
      const recipients = [...new Set([task.details.assignee.aadObjectId, task.author.aadObjectId])];
      const queued = await this.send(task, 'task-overdue', recipients);
      await jobs.updateJob(job.jobId, { nextCheckAt: NEVER_DUE, settledAt: now });
      return queued;
    }
    let queued = 0;
    // A task set for today after the reminder time gets its assignment card, no reminder too.
    if (now.getTime() >= remindAt.getTime() && task.recordedAt.getTime() < remindAt.getTime()) {
      queued = await this.send(task, 'task-reminder', [task.details.assignee.aadObjectId]);
    }
    await jobs.updateJob(job.jobId, { nextCheckAt: dueAt });
    return queued;
  }

  private async runReferral(job: ActionJob, referral: Action, now: Date): Promise<number> {
    const { store, jobs } = this.deps;
    if (referral.details.kind !== 'referral') return 0;
    const actions = await store.listForIncidents(job, [referral.incidentId], 1_000);
    const decided = actions.some(
      (a) => a.details.kind === 'decision' && a.sequence > referral.sequence,
    );
    if (decided) {
      await jobs.updateJob(job.jobId, { nextCheckAt: NEVER_DUE, settledAt: now });
      return 0;
    }
    const { chasesDue, nextChaseAt } = referralChaseAt(
      referral.details.referredAt,
      now,
      this.deps.calendar,
    );
    let queued = 0;
    if (chasesDue > 0) {
      const team = await this.deps.team.listSafeguardingTeam(job);
      const eligible = team
        .filter((m) => m.active && !m.conflictPupilIds.some((p) => referral.pupilIds.includes(p)))
        .map((m) => m.aadObjectId);
      queued = await this.send(referral, 'referral-chase', eligible, chasesDue);
    }
    await jobs.updateJob(job.jobId, { nextCheckAt: nextChaseAt });
    return queued;
  }

  private async send(
    action: Action,
    kind: 'task-reminder' | 'task-overdue' | 'referral-chase',
    recipients: readonly string[],
    chaseNumber = 0,
  ): Promise<number> {
    const incident = await this.deps.records.findIncident(action, action.incidentId);
    const categories = incident ? await this.deps.records.listCategories(action) : [];
    const names = incident ? categoryNamesOf(incident, categories) : [];
    const now = this.deps.clock.now();
    const queued = await this.deps.alerts.queueForActionClock(
      alertSubjectOf(action, names),
      kind,
      recipients,
      now,
      chaseNumber,
    );
    this.deps.logger.info(
      { event: `actions.${kind}`, actionId: action.actionId, queued },
      'action clock fired',
    );
    return queued;
  }
}
