import { auditEvent, type AuditTrail } from '../audit';
import { addWorkingDays, type StatutoryCalendar } from '../clocks';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { fromSchoolDateTime, toSchoolDateTime } from '../shared/school-time';
import type { AdultConcernActor } from './adult-concern-access';
import { AdultConcernValidationError } from './adult-concern.errors';
import type { AdultConcernRepository } from './adult-concern.repository';
import type { AdultConcernService } from './adult-concern.service';
import {
  ALLEGATION_OUTCOMES,
  CASE_STEP_KINDS,
  LOW_LEVEL_OUTCOMES,
  type AdultConcernHeader,
  type AllegationOutcome,
  type CaseStepKind,
  type LowLevelOutcome,
} from './adult-concern.types';
import { DEFAULT_RETENTION_POLICY, retentionFor, type RetentionPolicy } from './retention';

/** Steps that belong to the LADO route only. */
const ALLEGATION_ONLY: ReadonlySet<CaseStepKind> = new Set([
  'lado-referral',
  'lado-advice',
  'lado-decision',
  'suspension-considered',
  'police',
]);
/** Steps whose note is the substance (the LADO's advice, their decision). */
const NOTE_REQUIRED: ReadonlySet<CaseStepKind> = new Set([
  'lado-advice',
  'lado-decision',
  'pattern-review',
  'note',
]);

/** Where the one-working-day LADO clock stands. */
export type LadoClock =
  | { readonly state: 'not-applicable' }
  | { readonly state: 'due'; readonly dueAt: Date }
  | { readonly state: 'overdue'; readonly dueAt: Date }
  | { readonly state: 'referred'; readonly referredAt: Date; readonly late: boolean };

/** The clock of a concern at `now`: due within one working day of the allegation being known. */
export function ladoClockOf(concern: AdultConcernHeader, now: Date): LadoClock {
  if (concern.route !== 'allegation' || !concern.ladoReferralDueAt) {
    return { state: 'not-applicable' };
  }
  const dueAt = concern.ladoReferralDueAt;
  if (concern.ladoReferredAt) {
    return {
      state: 'referred',
      referredAt: concern.ladoReferredAt,
      late: concern.ladoReferredAt.getTime() > dueAt.getTime(),
    };
  }
  return now.getTime() > dueAt.getTime() ? { state: 'overdue', dueAt } : { state: 'due', dueAt };
}

/** Same adult, several low-level concerns: what pattern review shows (references, no names). */
export interface ConcernPattern {
  readonly subjectKey: string;
  readonly references: readonly string[];
  readonly concernIds: readonly string[];
  readonly firstRecordedAt: Date;
  readonly lastRecordedAt: Date;
}

interface CaseDeps {
  readonly concerns: AdultConcernRepository;
  readonly access: Pick<AdultConcernService, 'authorize' | 'list'>;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly calendar: StatutoryCalendar;
  readonly retention?: RetentionPolicy;
}

/**
 * The case after the record, run by the case manager: the LADO route (referral against its
 * one-working-day clock, advice, decision), the employer's actions (suspension considered, police,
 * HR), an outcome from the statutory list, and for low-level concerns pattern review and
 * escalation to the allegation route.
 */
export class AdultConcernCaseService {
  constructor(private readonly deps: CaseDeps) {}

  /** Adds a step; a LADO referral also stops the clock (the first one counts). */
  async addStep(
    actor: AdultConcernActor,
    concernId: string,
    step: { kind: string; date: string; time: string; note: string },
  ): Promise<AdultConcernHeader> {
    const concern = await this.deps.access.authorize(actor, concernId, 'manage');
    const now = this.deps.clock.now();
    const kind = step.kind as CaseStepKind;
    const errors: Record<string, string> = {};
    const at = fromSchoolDateTime(step.date.trim(), step.time.trim());
    if (!(CASE_STEP_KINDS as readonly string[]).includes(step.kind)) {
      errors.kind = 'Choose what was done.';
    } else if (ALLEGATION_ONLY.has(kind) && concern.route !== 'allegation') {
      errors.kind = 'This is a low-level concern: escalate it to the allegation route first.';
    } else if (kind === 'pattern-review' && concern.route !== 'low-level') {
      errors.kind = 'Pattern review is for low-level concerns.';
    }
    if (!at) errors.date = 'Give the date and time (YYYY-MM-DD and HH:MM).';
    else if (at.getTime() > now.getTime() + 60_000) errors.date = 'This cannot be in the future.';
    const note = step.note.trim().slice(0, 10_000);
    if (NOTE_REQUIRED.has(kind) && !note) errors.note = 'Write down what was advised or decided.';
    if (Object.keys(errors).length > 0 || !at) throw new AdultConcernValidationError(errors);

    const set = kind === 'lado-referral' && !concern.ladoReferredAt ? { ladoReferredAt: at } : {};
    await this.append(actor, concernId, { kind, at, note }, set);
    await this.audited(actor, concernId, 'adult-concern.change', `step: ${kind}`);
    return (await this.deps.concerns.header(actor, concernId)) ?? concern;
  }

  /**
   * A low-level concern that turns out to meet the harm threshold (or a pattern that does) moves
   * to the allegation route; the LADO clock starts now.
   */
  async escalateToAllegation(
    actor: AdultConcernActor,
    concernId: string,
    reason: string,
  ): Promise<AdultConcernHeader> {
    const concern = await this.deps.access.authorize(actor, concernId, 'manage');
    if (concern.route === 'allegation') return concern;
    if (!reason.trim()) throw new AdultConcernValidationError({ note: 'Say why it is escalated.' });
    const now = this.deps.clock.now();
    await this.append(
      actor,
      concernId,
      { kind: 'note', at: now, note: `Escalated to the allegation route: ${reason.trim()}` },
      {
        route: 'allegation',
        ladoReferralDueAt: addWorkingDays(now, 1, this.deps.calendar),
      },
    );
    await this.audited(actor, concernId, 'adult-concern.change', 'escalated-to-allegation');
    return (await this.deps.concerns.header(actor, concernId)) ?? concern;
  }

  /**
   * The outcome, once, from the route's list (an allegation's: the statutory five), with its date;
   * the retention rule and review date follow from it and are stored.
   */
  async recordOutcome(
    actor: AdultConcernActor,
    concernId: string,
    input: { outcome: string; date: string; learning: string; subjectDateOfBirth?: string },
  ): Promise<AdultConcernHeader> {
    const concern = await this.deps.access.authorize(actor, concernId, 'manage');
    const allowed: readonly string[] =
      concern.route === 'allegation' ? ALLEGATION_OUTCOMES : LOW_LEVEL_OUTCOMES;
    const errors: Record<string, string> = {};
    const today = toSchoolDateTime(this.deps.clock.now()).date;
    if (!allowed.includes(input.outcome)) {
      errors.outcome = `Choose one of: ${allowed.join(', ')}.`;
    }
    if (!isDate(input.date)) errors.date = 'Give the date of the outcome (YYYY-MM-DD).';
    else if (input.date > today) errors.date = 'The outcome date cannot be in the future.';
    const dob = input.subjectDateOfBirth?.trim();
    if (dob && !isDate(dob)) errors.subjectDateOfBirth = 'Give the date of birth as YYYY-MM-DD.';
    if (Object.keys(errors).length > 0) throw new AdultConcernValidationError(errors);

    const outcome = input.outcome as AllegationOutcome | LowLevelOutcome;
    const retention = retentionFor({
      route: concern.route,
      outcome,
      outcomeDate: input.date,
      subjectDateOfBirth: dob || undefined,
      recordedOn: toSchoolDateTime(concern.recordedAt).date,
      policy: this.deps.retention ?? DEFAULT_RETENTION_POLICY,
    });
    const stored = await this.deps.concerns.setOutcome(
      actor,
      concernId,
      {
        outcome,
        date: input.date,
        recordedAt: this.deps.clock.now(),
        by: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
        learning: input.learning.trim().slice(0, 10_000),
      },
      retention,
    );
    if (!stored) throw new AppError('ADULT_CONCERN.OUTCOME_RECORDED', 'outcome already recorded');
    await this.audited(actor, concernId, 'adult-concern.outcome', outcome);
    return (await this.deps.concerns.header(actor, concernId)) ?? concern;
  }

  /**
   * Low-level concerns the person may see, grouped by adult, where one adult has `threshold` or
   * more: the pattern KCSIE asks schools to look for. References only, no names.
   */
  async patterns(actor: AdultConcernActor, threshold = 2): Promise<ConcernPattern[]> {
    const visible = await this.deps.access.list(actor);
    const bySubject = new Map<string, AdultConcernHeader[]>();
    for (const c of visible) {
      bySubject.set(c.subjectKey, [...(bySubject.get(c.subjectKey) ?? []), c]);
    }
    return [...bySubject.entries()]
      .filter(([, list]) => list.filter((c) => c.route === 'low-level').length >= threshold)
      .map(([subjectKey, list]) => {
        const sorted = [...list].sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime());
        return {
          subjectKey,
          references: sorted.map((c) => c.reference),
          concernIds: sorted.map((c) => c.concernId),
          firstRecordedAt: sorted[0]!.recordedAt,
          lastRecordedAt: sorted[sorted.length - 1]!.recordedAt,
        };
      });
  }

  private async append(
    actor: AdultConcernActor,
    concernId: string,
    step: { kind: CaseStepKind; at: Date; note: string },
    set: Parameters<AdultConcernRepository['appendStep']>[4],
  ): Promise<void> {
    // Steps are appended at the position read; a concurrent step moves it on, so read again.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const position = await this.deps.concerns.stepCount(actor, concernId);
      const done = await this.deps.concerns.appendStep(
        actor,
        concernId,
        position,
        {
          ...step,
          recordedAt: this.deps.clock.now(),
          by: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
        },
        set,
      );
      if (done) return;
    }
    throw new AppError('ADULT_CONCERN.CONTENDED', 'too many concurrent steps: try again');
  }

  private async audited(
    actor: AdultConcernActor,
    concernId: string,
    action: 'adult-concern.change' | 'adult-concern.outcome',
    reason: string,
  ): Promise<void> {
    await this.deps.audit.record(
      auditEvent(actor, action, { kind: 'adult-concern', id: concernId }, { reason }),
    );
  }
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}
