import { nextEscalation, type AdultConcernAlerts, type EscalationConfig } from '../alerts';
import type { SchoolDayConfig } from '../clocks';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { StaffRole } from '../staff';
import type { AdultConcernRepository } from './adult-concern.repository';
import { FIRST_WAVE_ROLES } from './adult-concern-keys';
import type { AdultConcernDirectory, AdultConcernService } from './adult-concern.service';
import type { CaseManagerRoute } from './adult-concern.types';

/**
 * The ladders of concerns about adults, apart from the pupil alerts' (whose ladder may never name
 * these roles): the head's named deputy, then the chair of governors; when the concern is about
 * the head, the chair alone is told and reminded.
 */
const ADULT_CONCERN_LADDERS: Readonly<Record<CaseManagerRoute, StaffRole[][]>> = {
  head: [['allegations-deputy'], ['chair-of-governors']],
  chair: [],
};

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

export interface AdultConcernEscalationDeps {
  readonly concerns: Pick<
    AdultConcernRepository,
    'dueEscalations' | 'updateEscalation' | 'overdueLadoReferrals' | 'markLadoChased'
  >;
  readonly access: Pick<AdultConcernService, 'eligible'>;
  readonly directory: Pick<AdultConcernDirectory, 'listActiveStaff'>;
  readonly alerts: Pick<AdultConcernAlerts, 'queue'>;
  readonly leases: Leases;
  readonly clock: Clock;
  /** The school's pace (waits and reminders); the ladder is this feature's own. */
  readonly escalation: EscalationConfig;
  readonly schoolDay: SchoolDayConfig;
  readonly owner: string;
  readonly logger: Logger;
}

const LEASE_MS = 60_000;
/** The LADO chase's wave: apart from the escalation's (which counts up from 0). */
const LADO_CHASE_WAVE = 1_000;

/**
 * Moves unacknowledged concerns up their ladder, on the same clock as pupil alerts (school time
 * and out of hours), until a case manager acknowledges. Durable: the step reached and the next
 * check are on the concern; each look is claimed by a lease.
 */
export class AdultConcernEscalation {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(private readonly deps: AdultConcernEscalationDeps) {}

  /** One pass over due concerns; returns how many alerts it queued. */
  async runDue(): Promise<number> {
    const { concerns, leases, clock, owner } = this.deps;
    let queued = 0;
    for (const concern of await concerns.dueEscalations(clock.now(), 50)) {
      const key = `adult-concern-escalation:${concern.concernId}`;
      const lease = await leases.claim(key, owner, LEASE_MS, clock.now());
      if (!lease) continue;
      try {
        queued += await this.escalate(concern);
      } finally {
        await leases.release(lease).catch(() => undefined);
      }
    }
    return queued + (await this.chaseOverdueLadoReferrals());
  }

  /**
   * An allegation not referred to the LADO within its working day: everyone who may manage it
   * (head, deputy and chair on the head's route; the chair about the head) is told once, on the
   * same card, so the clock does not run out silently.
   */
  async chaseOverdueLadoReferrals(): Promise<number> {
    const { concerns, leases, clock, owner } = this.deps;
    let queued = 0;
    for (const concern of await concerns.overdueLadoReferrals(clock.now(), 50)) {
      const key = `adult-concern-lado:${concern.concernId}`;
      const lease = await leases.claim(key, owner, LEASE_MS, clock.now());
      if (!lease) continue;
      try {
        const staff = await this.deps.directory.listActiveStaff(concern, 500);
        const recipients = await this.deps.access.eligible(concern, staff);
        queued += await this.deps.alerts.queue(
          { ...concern, recorderAadObjectId: concern.recordedBy.aadObjectId },
          recipients.map((m) => m.aadObjectId),
          'referral-clock',
          LADO_CHASE_WAVE,
          clock.now(),
        );
        await concerns.markLadoChased(concern, concern.concernId, clock.now());
      } finally {
        await leases.release(lease).catch(() => undefined);
      }
    }
    return queued;
  }

  /** Runs a pass every `everyMs` until stopped (a failed pass is logged and retried). */
  start(everyMs = 60_000): void {
    this.stopped = false;
    const tick = () => {
      this.running = this.runDue()
        .catch((error: unknown) =>
          this.deps.logger.error(
            { event: 'adult_concerns.escalation_failed', code: (error as { code?: string }).code },
            'adult concern escalation pass failed',
          ),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, everyMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async escalate(
    concern: Awaited<ReturnType<AdultConcernRepository['dueEscalations']>>[number],
  ): Promise<number> {
    const { clock, concerns } = this.deps;
    const now = clock.now();
    const ladder = ADULT_CONCERN_LADDERS[concern.caseManagerRoute];
    const decision = nextEscalation({
      alertCreatedAt: concern.recordedAt,
      now,
      stepsDone: concern.escalationStepsDone,
      acknowledged: concern.acknowledgedAt !== undefined,
      cfg: { ...this.deps.escalation, ladder },
      schoolDay: this.deps.schoolDay,
    });
    if (decision.kind === 'none') {
      await concerns.updateEscalation(
        concern,
        concern.concernId,
        concern.escalationStepsDone,
        farFuture(now),
      );
      return 0;
    }
    if (decision.kind === 'wait') {
      await concerns.updateEscalation(
        concern,
        concern.concernId,
        concern.escalationStepsDone,
        decision.until,
      );
      return 0;
    }
    // An escalation adds the step's roles; a reminder goes to everyone told so far.
    const roles =
      decision.kind === 'escalate'
        ? decision.roles
        : [...FIRST_WAVE_ROLES[concern.caseManagerRoute], ...decision.allRoles];
    const staff = await this.deps.directory.listActiveStaff(concern, 500);
    const recipients = await this.deps.access.eligible(
      concern,
      staff.filter((m) => m.roles.some((r) => roles.includes(r))),
    );
    const wave = decision.step + 1;
    const queued = await this.deps.alerts.queue(
      { ...concern, recorderAadObjectId: concern.recordedBy.aadObjectId },
      recipients.map((m) => m.aadObjectId),
      decision.kind === 'escalate' ? 'escalation' : 'reminder',
      wave,
      now,
    );
    await concerns.updateEscalation(concern, concern.concernId, wave, now);
    return queued;
  }
}

function farFuture(now: Date): Date {
  return new Date(now.getTime() + 365 * 24 * 3_600_000);
}
