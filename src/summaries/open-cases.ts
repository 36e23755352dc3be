import type { RecordSummaryFact } from '../incidents';
import type { SchoolScope } from '../shared/school-scope';
import { weekOf, type OpenCaseRepository, type OpenCaseRow } from './open-case.repository';

/** Where open cases are worked out from: the records and their case statuses (the truth). */
export interface OpenCaseSources {
  records: {
    /** One record's header (subject, linked pupils, reference, when), if it exists. */
    summaryFactOf(scope: SchoolScope, incidentId: string): Promise<RecordSummaryFact | undefined>;
    summaryFactsOf(scope: SchoolScope): Promise<RecordSummaryFact[]>;
  };
  cases: {
    /** The record's latest status change, if it ever changed. */
    latestChangeOf(
      scope: SchoolScope,
      incidentId: string,
    ): Promise<{ status: 'closed' | 'reopened'; at: Date } | undefined>;
    statusChangesOfSchool(
      scope: SchoolScope,
    ): Promise<{ closedIds: string[]; reopenedAt: Map<string, Date> }>;
  };
}

/** An open case as the desk lists it. */
export interface OpenCase {
  readonly incidentId: string;
  readonly reference: string;
  readonly pupilId: string;
  readonly openSince: Date;
  readonly reopened: boolean;
}

/**
 * The desk's open cases, kept by events instead of read from every record and status change of
 * the school at each load: rows by case and pupil, a count per week opened. Each follow-up works
 * the case out again from the records (not from the event), so replays, repeats and events out
 * of order all end in the same rows.
 */
export class OpenCasesView {
  constructor(
    private readonly store: OpenCaseRepository,
    private readonly sources: OpenCaseSources,
  ) {}

  /** Brings one case's rows and its weeks' counts in line with the records. Idempotent. */
  async reconcile(scope: SchoolScope, incidentId: string): Promise<void> {
    const [fact, latest, before] = await Promise.all([
      this.sources.records.summaryFactOf(scope, incidentId),
      this.sources.cases.latestChangeOf(scope, incidentId),
      this.store.rowsOf(scope, incidentId),
    ]);
    const reopenedAt = latest?.status === 'reopened' ? latest.at : undefined;
    const rows = fact && latest?.status !== 'closed' ? rowsOf(scope, fact, reopenedAt) : [];
    await this.store.replaceCase(scope, incidentId, rows);
    const weeks = new Set([...before, ...rows].map((r) => r.week));
    for (const week of weeks) await this.store.recountWeek(scope, week);
  }

  /** The one-off build for a school, from one read of its records and its status changes. */
  async build(scope: SchoolScope): Promise<number> {
    const [facts, changes] = await Promise.all([
      this.sources.records.summaryFactsOf(scope),
      this.sources.cases.statusChangesOfSchool(scope),
    ]);
    const closed = new Set(changes.closedIds);
    const rows = facts
      .filter((f) => !closed.has(f.incidentId))
      .flatMap((f) => rowsOf(scope, f, changes.reopenedAt.get(f.incidentId)));
    await this.store.insertMissing(rows);
    const counts = new Map<number, number>();
    for (const r of rows) if (r.subject) counts.set(r.week, (counts.get(r.week) ?? 0) + 1);
    for (const [week, count] of counts) await this.store.setWeekCount(scope, week, count);
    return counts.size;
  }

  /**
   * The oldest open cases (at most `limit`) and how many there are, leaving out every case about
   * these pupils (as subject or linked). Reads the week counts, the rows about those pupils, and
   * the oldest weeks' rows until `limit` lines are found: equality seeks on small documents.
   */
  async oldestOpen(
    scope: SchoolScope,
    leaveOutPupils: readonly string[],
    limit: number,
  ): Promise<{ oldest: OpenCase[]; count: number }> {
    const [weeks, conflicted] = await Promise.all([
      this.store.weekCounts(scope),
      this.store.rowsAbout(scope, leaveOutPupils),
    ]);
    const hidden = new Set(conflicted.map((r) => r.incidentId));
    const total = weeks.reduce((sum, w) => sum + w.count, 0);
    const oldest: OpenCaseRow[] = [];
    for (const { week } of weeks.filter((w) => w.count > 0).sort((a, b) => a.week - b.week)) {
      if (oldest.length >= limit) break;
      const rows = await this.store.rowsInWeek(scope, week);
      oldest.push(
        ...rows
          .filter((r) => r.subject && !hidden.has(r.incidentId))
          .sort((a, b) => a.openSince.getTime() - b.openSince.getTime()),
      );
    }
    return {
      oldest: oldest.slice(0, limit).map((r) => ({
        incidentId: r.incidentId,
        reference: r.reference,
        pupilId: r.pupilId,
        openSince: r.openSince,
        reopened: r.reopened,
      })),
      count: Math.max(0, total - hidden.size),
    };
  }
}

/** A case's rows: the subject's, and one per linked pupil (found when a conflict hides it). */
function rowsOf(
  scope: SchoolScope,
  fact: RecordSummaryFact,
  reopenedAt: Date | undefined,
): OpenCaseRow[] {
  const openSince = reopenedAt ?? fact.recordedAt;
  const base = {
    tenantId: scope.tenantId,
    schoolId: scope.schoolId,
    incidentId: fact.incidentId,
    reference: fact.reference,
    openSince,
    reopened: reopenedAt !== undefined,
    week: weekOf(openSince),
  };
  const linked = [...new Set(fact.linkedPupilIds)].filter((id) => id !== fact.pupilId);
  return [
    { ...base, pupilId: fact.pupilId, subject: true },
    ...linked.map((pupilId) => ({ ...base, pupilId, subject: false })),
  ];
}
