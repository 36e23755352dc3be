import { z } from 'zod';
import { AppError } from '../shared/errors';
import { STAFF_ROLES, type StaffRole } from '../staff/staff.types';
import { schoolPeriodsFrom, type SchoolDayConfig, type SchoolPeriod } from '../clocks';

/**
 * When an unacknowledged alert is sent again and to whom. A child may need action before going home,
 * so an alert must not sit silently: it climbs a ladder of roles, then reminds everyone told so far
 * until someone acknowledges. Pure: the escalation job stores `stepsDone` and asks again.
 */

/**
 * Roles a ladder may name. Everyone else is left out on purpose: 'staff' would tell the whole
 * school (need-to-know), 'admin' configures the school but is not part of safeguarding, and the
 * governors' and allegations roles never see a pupil's concern.
 */
const NOT_ON_A_LADDER: ReadonlySet<StaffRole> = new Set<StaffRole>([
  'staff',
  'admin',
  'governor',
  'chair-of-governors',
  'allegations-deputy',
]);
const LADDER_ROLES = STAFF_ROLES.filter((role) => !NOT_ON_A_LADDER.has(role));

const ladderStep = z
  .array(z.enum(LADDER_ROLES as [StaffRole, ...StaffRole[]]))
  .min(1, 'each step names at least one role');

const minutes = (max: number) => z.number().int().min(1).max(max);

/** Escalation config: checked wherever it is read (env, a school's settings document). */
export const escalationConfigSchema = z.object({
  /** Minutes of school time for someone to acknowledge before the next step. */
  ackWithinMinutes: minutes(24 * 60).default(15),
  /** The same wait counted out of hours, when the team is not on site. */
  outOfHoursAckWithinMinutes: minutes(7 * 24 * 60).default(60),
  /** After the last step: minutes of school time between reminders to everyone told so far. */
  remindEveryMinutes: minutes(24 * 60).default(30),
  /** The same interval out of hours (fewer messages at night, but never none). */
  outOfHoursRemindEveryMinutes: minutes(7 * 24 * 60).default(120),
  /**
   * True stops the clock out of hours (waits resume at the next school start). Off by default: a
   * school may turn it on if its out-of-hours procedure does not go through this system.
   */
  pauseOutOfHours: z.boolean().default(false),
  /** Roles added at each step, in order (e.g. deputies, then the DSL, then the head). */
  ladder: z
    .array(ladderStep)
    .max(10)
    .default([['deputy-dsl'], ['dsl'], ['head']]),
});

/** The escalation rules as the job reads them. */
export type EscalationConfig = z.output<typeof escalationConfigSchema>;

/**
 * 15 minutes in school time, 60 out of hours; deputies → DSL → head; then reminders every 30
 * minutes in school time, 120 out of hours; the clock does not stop out of hours.
 */
export const DEFAULT_ESCALATION: EscalationConfig = Object.freeze(escalationConfigSchema.parse({}));

/** ESCALATION_LADDER env text: steps split by `>`, roles in a step by `+` (`deputy-dsl>dsl>head+slt`). */
export const escalationLadderText = z
  .string()
  .transform((text) =>
    text.trim() === ''
      ? []
      : text.split('>').map((step) =>
          step
            .split('+')
            .map((role) => role.trim().toLowerCase())
            .filter((role) => role !== ''),
        ),
  )
  .pipe(z.array(ladderStep).max(10));

/**
 * What the escalation job does next. `step` is the position in the job's sequence (ladder steps
 * first, then reminder slots); after carrying it out the job stores `stepsDone = step + 1`. `at` is
 * when it fell due (at or before `now`). `allRoles` is every role named up to this point: the
 * audience is the alert's original recipients plus staff holding any of them.
 */
export type EscalationDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'wait'; readonly until: Date }
  | {
      readonly kind: 'escalate';
      readonly step: number;
      readonly roles: StaffRole[];
      readonly allRoles: StaffRole[];
      readonly at: Date;
    }
  | {
      readonly kind: 'remind';
      readonly step: number;
      readonly allRoles: StaffRole[];
      readonly at: Date;
    };

/** Everything {@link nextEscalation} reads: the job's state, the clock and the school's config. */
export interface EscalationInput {
  readonly alertCreatedAt: Date;
  readonly now: Date;
  /** Ladder steps and reminder slots already behind the job (0 when the alert has just gone out). */
  readonly stepsDone: number;
  /** True once any recipient has acknowledged: the job stops. */
  readonly acknowledged: boolean;
  readonly cfg: EscalationConfig;
  readonly schoolDay: SchoolDayConfig;
}

/**
 * The next escalation move for an alert. Waits are counted in acknowledgement budget: a minute of
 * school time uses 1/ackWithinMinutes of it, a minute out of hours 1/outOfHoursAckWithinMinutes, so
 * a wait that crosses the end of the day is shared pro rata (16:50 with 15/60 is due at 17:20) and
 * one that crosses the morning start speeds up (07:30 is due at 08:07:30). Weekends and closure days
 * are out of hours all day. Ladder steps are due one wait after the previous step's due time, so a
 * job that was down catches up step by step (each is due at once); missed reminders collapse into
 * one, the latest. Each escalate/remind is the alert sent again, never its content.
 *
 * At 22:00 on a Friday, with the defaults: escalation carries on out of hours, because a child may
 * be at risk and a weekend is too long to sit silently, but at the out-of-hours pace. The deputies
 * are added at 23:00, the DSL at 00:00 and the head at 01:00 on Saturday; then everyone told is
 * reminded every 120 minutes through the weekend until someone acknowledges, and every 30 minutes
 * once school opens on Monday. With `pauseOutOfHours` the clock stops instead, and the deputies are
 * added at 08:15 on the next school day.
 */
export function nextEscalation(input: EscalationInput): EscalationDecision {
  if (input.acknowledged) return { kind: 'none' };
  const { cfg } = input;
  const ladderLength = cfg.ladder.length;
  const ack = waitOf(cfg.ackWithinMinutes, cfg.outOfHoursAckWithinMinutes, cfg.pauseOutOfHours);
  const remind = waitOf(
    cfg.remindEveryMinutes,
    cfg.outOfHoursRemindEveryMinutes,
    cfg.pauseOutOfHours,
  );
  const waitBefore = (step: number) => (step === 0 || step < ladderLength ? ack : remind);
  const stepsDone = Math.max(0, Math.floor(input.stepsDone));
  const nowMs = input.now.getTime();

  // The due time of each step follows from the one before, so the schedule is the same whenever
  // it is recomputed (restarts, several instances).
  const walker = new SchoolTimeWalker(input.alertCreatedAt, input.schoolDay);
  let due = walker.advance(waitBefore(0));
  for (let step = 1; step <= stepsDone; step += 1) due = walker.advance(waitBefore(step));
  if (due > nowMs) return { kind: 'wait', until: new Date(due) };

  if (stepsDone < ladderLength) {
    return {
      kind: 'escalate',
      step: stepsDone,
      roles: [...(cfg.ladder[stepsDone] ?? [])],
      allRoles: rolesUpTo(cfg.ladder, stepsDone),
      at: new Date(due),
    };
  }
  // Reminders that fell due while nobody acted are not sent one by one: the latest stands for all.
  let step = stepsDone;
  for (;;) {
    const following = walker.advance(remind);
    if (following > nowMs) break;
    due = following;
    step += 1;
  }
  return {
    kind: 'remind',
    step,
    allRoles: rolesUpTo(cfg.ladder, ladderLength - 1),
    at: new Date(due),
  };
}

/** A wait in ms of school time and of out-of-hours time (undefined: the clock stops). */
interface Wait {
  readonly schoolMs: number;
  readonly outOfHoursMs: number | undefined;
}

function waitOf(schoolMinutes: number, outOfHoursMinutes: number, paused: boolean): Wait {
  return {
    schoolMs: schoolMinutes * 60_000,
    outOfHoursMs: paused ? undefined : outOfHoursMinutes * 60_000,
  };
}

function rolesUpTo(ladder: readonly (readonly StaffRole[])[], lastStep: number): StaffRole[] {
  return [...new Set(ladder.slice(0, lastStep + 1).flat())];
}

/**
 * Walks time forward through school periods, consuming waits; keeps its place so a chain of waits
 * costs one time-zone conversion, not one per wait.
 */
class SchoolTimeWalker {
  private t: number;
  private readonly periods: Iterator<SchoolPeriod>;
  private period: { start: number; end: number } | undefined;

  constructor(from: Date, schoolDay: SchoolDayConfig) {
    this.t = from.getTime();
    this.periods = schoolPeriodsFrom(from, schoolDay);
    this.period = this.nextPeriod();
  }

  /** Moves on by one wait and returns the instant (ms) it ends. */
  advance(wait: Wait): number {
    // The budget left, in ms of school time; out of hours it drains at schoolMs / outOfHoursMs.
    let budget = wait.schoolMs;
    for (;;) {
      const period = this.period;
      if (period && this.t >= period.end) {
        this.period = this.nextPeriod();
        continue;
      }
      if (period && this.t >= period.start) {
        const available = period.end - this.t;
        if (budget <= available) return (this.t += Math.round(budget));
        budget -= available;
        this.t = period.end;
        continue;
      }
      const gapEnd = period ? period.start : Number.POSITIVE_INFINITY;
      if (wait.outOfHoursMs === undefined) {
        if (!period) {
          throw new AppError(
            'SCHOOL_DAY.NO_SCHOOL_TIME',
            'Escalation pauses out of hours but the school calendar has no school day ahead.',
          );
        }
        this.t = gapEnd;
        continue;
      }
      const outOfHoursNeeded = Math.round((budget * wait.outOfHoursMs) / wait.schoolMs);
      if (this.t + outOfHoursNeeded <= gapEnd) return (this.t += outOfHoursNeeded);
      budget -= ((gapEnd - this.t) * wait.schoolMs) / wait.outOfHoursMs;
      this.t = gapEnd;
    }
  }

  private nextPeriod(): { start: number; end: number } | undefined {
    const next = this.periods.next();
    return next.done
      ? undefined
      : { start: next.value.start.getTime(), end: next.value.end.getTime() };
  }
}
