import type { ActionJob, OtherClock } from '../actions';
import type { ActionAlerts } from '../alerts';
import type { StatutoryCalendar } from '../clocks';
import type { SchoolScope } from '../shared/school-scope';
import { fromSchoolDateTime, toSchoolDateTime } from '../shared/school-time';
import type { StaffMember } from '../staff';
import type { RetentionRepository } from './retention.repository';
import { DEFAULT_RETENTION_RULES, reviewDateFor } from './retention-rules';
import type { RetentionRule, ScheduledRecord } from './retention.types';

/** A record's header as retention needs it (incidents/ gives it; no narrative). */
export interface RecordHeader extends SchoolScope {
  readonly incidentId: string;
  readonly reference: string;
  readonly pupilId: string;
  readonly linkedPupils: readonly { readonly pupilId: string }[];
  readonly categoryIds: readonly string[];
  readonly happenedAt: Date;
  readonly recordedAt: Date;
}

/** A concern about an adult as retention needs it: its own stored rule and review date. */
export interface AdultConcernDates extends SchoolScope {
  readonly concernId: string;
  readonly reference: string;
  readonly happenedAt: Date;
  readonly recordedAt: Date;
  readonly retention: { readonly rule: string; readonly reviewOn: string };
}

export interface SchedulerDeps {
  readonly store: Pick<
    RetentionRepository,
    | 'listRules'
    | 'insertScheduled'
    | 'findScheduled'
    | 'redate'
    | 'listRuleDated'
    | 'listOfKind'
    | 'scheduledIds'
  >;
  readonly pupils: {
    findPupils(
      scope: SchoolScope,
      ids: readonly string[],
    ): Promise<{ pupilId: string; dateOfBirth: string }[]>;
  };
  /** actions/ keeps the clock jobs: one store, one lease, one pass (no second scheduler). */
  readonly jobs: { insertJob(job: ActionJob): Promise<void> };
  readonly calendar: StatutoryCalendar;
}

/**
 * Puts records on the retention schedule and gives each review date a clock job, which the
 * actions' jobs run on that date (`retentionReviewClock`). Dates come from the school's rules for
 * records about pupils, and from the concern itself for concerns about adults (src/adult-concerns
 * computes and stores its own rule and date: they are reused as they are, never recomputed).
 */
export class RetentionScheduler {
  constructor(private readonly deps: SchedulerDeps) {}

  /** The school's rules, or the defaults when it has set none. */
  async rulesOf(scope: SchoolScope): Promise<readonly RetentionRule[]> {
    const own = await this.deps.store.listRules(scope);
    return own.length > 0 ? own : DEFAULT_RETENTION_RULES;
  }

  /** Schedules a record once (repeating it changes nothing). */
  async scheduleIncident(record: RecordHeader, rules?: readonly RetentionRule[]): Promise<void> {
    const scheduleId = `incident:${record.incidentId}`;
    if (await this.deps.store.findScheduled(record, scheduleId)) return;
    const [pupil] = await this.deps.pupils.findPupils(record, [record.pupilId]);
    const { reviewOn, rule } = reviewDateFor(
      rules ?? (await this.rulesOf(record)),
      { categoryIds: record.categoryIds, recordedOn: this.dayOf(record.recordedAt) },
      pupil?.dateOfBirth,
    );
    const entry: ScheduledRecord = {
      tenantId: record.tenantId,
      schoolId: record.schoolId,
      scheduleId,
      recordKind: 'incident',
      recordId: record.incidentId,
      reference: record.reference,
      pupilIds: [...new Set([record.pupilId, ...record.linkedPupils.map((p) => p.pupilId)])],
      categoryIds: [...record.categoryIds],
      happenedAt: record.happenedAt,
      recordedAt: record.recordedAt,
      rule,
      reviewOn,
      source: 'rule',
    };
    if (await this.deps.store.insertScheduled(entry)) await this.queueReview(entry);
  }

  /**
   * Schedules a school's records that are not on the schedule yet (stored by a path that
   * announces nothing, or while retention was not running): one read of the school's ids, then
   * only the missing ones. Returns how many joined.
   */
  async catchUp(scope: SchoolScope, records: readonly RecordHeader[]): Promise<number> {
    const known = await this.deps.store.scheduledIds(scope);
    const missing = records.filter((r) => !known.has(`incident:${r.incidentId}`));
    if (missing.length === 0) return 0;
    const rules = await this.rulesOf(scope);
    for (const record of missing) await this.scheduleIncident(record, rules);
    return missing.length;
  }

  /** A concern about an adult, on the date its own stored decision gives (moved when it moves). */
  async scheduleAdultConcern(concern: AdultConcernDates): Promise<void> {
    const scheduleId = `adult-concern:${concern.concernId}`;
    const rule = `adult concern: ${concern.retention.rule}`;
    const existing = await this.deps.store.findScheduled(concern, scheduleId);
    if (!existing) {
      const entry: ScheduledRecord = {
        tenantId: concern.tenantId,
        schoolId: concern.schoolId,
        scheduleId,
        recordKind: 'adult-concern',
        recordId: concern.concernId,
        reference: concern.reference,
        pupilIds: [],
        categoryIds: [],
        happenedAt: concern.happenedAt,
        recordedAt: concern.recordedAt,
        rule,
        reviewOn: concern.retention.reviewOn,
        source: 'stored',
      };
      if (await this.deps.store.insertScheduled(entry)) await this.queueReview(entry);
      return;
    }
    // An outcome recorded since gives the concern a new stored rule and date; a review's retain
    // (source `retained`) is the team's later word and stands.
    if (existing.source === 'stored' && existing.reviewOn !== concern.retention.reviewOn) {
      const next = { reviewOn: concern.retention.reviewOn, rule, source: 'stored' as const };
      await this.deps.store.redate(concern, scheduleId, next);
      await this.queueReview({ ...existing, ...next });
    }
  }

  /** After the rules change: every record still dated by rule gets its date again. */
  async redateByRules(scope: SchoolScope): Promise<number> {
    const rules = await this.rulesOf(scope);
    const entries = await this.deps.store.listRuleDated(scope, 100_000);
    const pupilIds = [
      ...new Set(entries.map((e) => e.pupilIds[0]).filter((p): p is string => !!p)),
    ];
    const born = new Map(
      (await this.deps.pupils.findPupils(scope, pupilIds)).map((p) => [p.pupilId, p.dateOfBirth]),
    );
    let moved = 0;
    for (const entry of entries) {
      const next = reviewDateFor(
        rules,
        { categoryIds: entry.categoryIds, recordedOn: this.dayOf(entry.recordedAt) },
        born.get(entry.pupilIds[0] ?? ''),
      );
      if (next.reviewOn === entry.reviewOn && next.rule === entry.rule) continue;
      await this.deps.store.redate(scope, entry.scheduleId, { ...next, source: 'rule' });
      await this.queueReview({ ...entry, ...next });
      moved += 1;
    }
    return moved;
  }

  /** The review's clock job: due at the start of the review date (school time), once per date. */
  async queueReview(entry: ScheduledRecord): Promise<void> {
    const zone = this.deps.calendar.schoolDay.timeZone;
    await this.deps.jobs.insertJob({
      jobId: `retention:${entry.scheduleId}:${entry.reviewOn}`,
      tenantId: entry.tenantId,
      schoolId: entry.schoolId,
      kind: 'retention',
      incidentId: entry.recordId,
      actionId: entry.scheduleId,
      nextCheckAt: fromSchoolDateTime(entry.reviewOn, '00:00', zone) ?? new Date(entry.reviewOn),
    });
  }

  /** The school's calendar date of an instant. */
  dayOf(at: Date): string {
    return toSchoolDateTime(at, this.deps.calendar.schoolDay.timeZone).date;
  }
}

/** What the review clock reads and whom it tells. */
export interface ReviewClockDeps {
  readonly store: Pick<RetentionRepository, 'findScheduled'>;
  readonly team: { listSafeguardingTeam(scope: SchoolScope): Promise<StaffMember[]> };
  readonly alerts: Pick<ActionAlerts, 'queueForActionClock'>;
}

/**
 * The review task, run by the actions' clock jobs on the review date: the team (but anyone with a
 * conflict over the record's pupils) gets a card through the outbox saying a record is due for
 * review: its reference, never a pupil's name. A job whose date was moved by a retain, or whose
 * record is gone, settles without a card (the new date has a job of its own).
 */
export function retentionReviewClock(deps: ReviewClockDeps): OtherClock {
  return async (job, now) => {
    const entry = await deps.store.findScheduled(job, job.actionId);
    const date = job.jobId.slice(job.jobId.lastIndexOf(':') + 1);
    if (!entry || entry.reviewOn !== date) return { queued: 0, nextCheckAt: now, settled: true };
    const team = await deps.team.listSafeguardingTeam(entry);
    const recipients = team
      .filter((m) => m.active && !m.conflictPupilIds.some((p) => entry.pupilIds.includes(p)))
      .map((m) => m.aadObjectId);
    const queued = await deps.alerts.queueForActionClock(
      {
        tenantId: entry.tenantId,
        schoolId: entry.schoolId,
        incidentId: entry.recordId,
        reference: entry.reference,
        actionId: entry.scheduleId,
        // One card per person and review date: a retained record's next review is a new wave.
        sequence: Number(entry.reviewOn.replaceAll('-', '')),
        kind: 'retention',
        author: { aadObjectId: 'retention-schedule', displayName: 'Retention schedule' },
        recordedAt: entry.recordedAt,
        categoryNames: [],
      },
      'retention-review',
      recipients,
      now,
    );
    return { queued, nextCheckAt: now, settled: true };
  };
}
