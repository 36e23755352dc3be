import { reportAudienceOf, mayChangeReportTargets, type AccessActor } from '../access';
import type { ReferralOrDecisionFact } from '../actions';
import { auditEvent, type AuditTrail } from '../audit';
import type { PupilStatus } from '../pupil-status';
import type { Pupil } from '../pupils';
import type { Category, School } from '../schools';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { reportCsv } from './report-csv';
import { countReport } from './report-counts';
import { reportPdf } from './report-pdf';
import { monthsOf, periodInstants, resolvePeriod } from './report-period';
import { reportFor } from './report-views';
import type { Report, ReportPeriod, ReportTargets } from './report.types';
import { parseTargets } from './report-targets';

/** The most records one report reads (three years of a very busy school). */
const MOST_RECORDS = 150_000;

/** Where reports read from: each feature's own queries (ids, times, kinds; no narrative). */
export interface ReportSources {
  records: {
    countingFactsOf(
      scope: SchoolScope,
      referenceYears: readonly number[],
      limit: number,
    ): Promise<{ incidentId: string; pupilId: string; categoryIds: string[]; recordedAt: Date }[]>;
  };
  pupils: { findPupils(scope: SchoolScope, ids: readonly string[]): Promise<Pupil[]> };
  statuses: {
    statusHistoriesOf(
      scope: SchoolScope,
      pupilIds: readonly string[],
    ): Promise<{ pupilId: string; changedAt: Date; status: PupilStatus }[]>;
  };
  lists: { listCategories(scope: SchoolScope): Promise<Category[]> };
  actions: {
    referralsAndDecisionsSince(
      scope: SchoolScope,
      since: Date,
      limit: number,
    ): Promise<ReferralOrDecisionFact[]>;
  };
  cases: {
    latestStatusOf(
      scope: SchoolScope,
      ids: readonly string[],
    ): Promise<Map<string, 'closed' | 'reopened'>>;
  };
  alerts: {
    acknowledgementFacts(
      scope: SchoolScope,
      ids: readonly string[],
    ): Promise<{ firstTeamAck: Map<string, Date>; highestEscalation: Map<string, number> }>;
  };
  schools: { get(tenantId: string, schoolId: string): Promise<School | undefined> };
  targets: {
    get(scope: SchoolScope): Promise<ReportTargets>;
    set(scope: SchoolScope, targets: ReportTargets, by: string, at: Date): Promise<void>;
  };
  audit: AuditTrail;
  clock: Clock;
  /**
   * summaries/: the months' concerns (categories as amended, with their case status, first team
   * acknowledgement and escalation) and referrals and decisions, kept by events; undefined until
   * built, and then the reads above are used instead.
   */
  summaries?: {
    reportFactsOf(
      scope: SchoolScope,
      months: readonly string[],
    ): Promise<
      { concerns: SummarisedConcernFact[]; actions: ReferralOrDecisionFact[] } | undefined
    >;
  };
}

/** A concern as the monthly summaries give it. */
interface SummarisedConcernFact {
  readonly incidentId: string;
  readonly pupilId: string;
  readonly categoryIds: readonly string[];
  readonly recordedAt: Date;
  readonly firstTeamAck?: Date;
  readonly highestEscalation: number;
  readonly caseStatus?: 'closed' | 'reopened';
}

/** A file to hand to the person who asked (the tab turns it into a download). */
export interface ReportFile {
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/**
 * Safeguarding reports for a period: counts, never names. The team, the head and senior leaders
 * see exact counts; governors see aggregates with small numbers suppressed; everyone else is
 * refused. Every view and export is audited (who, which report, which period).
 */
export class ReportsService {
  constructor(private readonly sources: ReportSources) {}

  async report(
    actor: AccessActor,
    asked: { from?: string | undefined; to?: string | undefined },
    requestId?: string,
  ): Promise<Report> {
    const report = await this.build(actor, asked);
    await this.audited(actor, 'report.view', report, 'view', requestId);
    return report;
  }

  async export(
    actor: AccessActor,
    asked: { from?: string | undefined; to?: string | undefined },
    format: 'csv' | 'pdf',
    requestId?: string,
  ): Promise<ReportFile> {
    const report = await this.build(actor, asked);
    const name = `safeguarding-report-${report.period.from}-to-${report.period.to}`;
    const file: ReportFile =
      format === 'csv'
        ? { fileName: `${name}.csv`, contentType: 'text/csv', bytes: reportCsv(report) }
        : {
            fileName: `${name}.pdf`,
            contentType: 'application/pdf',
            bytes: await reportPdf(report, actor.displayName),
          };
    await this.audited(actor, 'report.export', report, format, requestId);
    return file;
  }

  async targets(actor: AccessActor): Promise<ReportTargets> {
    if (!reportAudienceOf(actor))
      throw new AppError('ACCESS.DENIED', 'reports are not for this role');
    return this.sources.targets.get(actor);
  }

  /** The team or the head sets the school's targets (audited with the new values). */
  async setTargets(actor: AccessActor, raw: unknown, requestId?: string): Promise<ReportTargets> {
    if (!mayChangeReportTargets(actor)) {
      throw new AppError('ACCESS.DENIED', 'report targets are set by the team or the head');
    }
    const targets = parseTargets(raw);
    await this.sources.targets.set(actor, targets, actor.aadObjectId, this.sources.clock.now());
    await this.sources.audit.record(
      auditEvent(
        actor,
        'report.targets-change',
        { kind: 'school', id: actor.schoolId },
        {
          reason: `acknowledge=${targets.acknowledgeMinutes}m; decide=${targets.decideReferralHours}h`,
          requestId,
        },
      ),
    );
    return targets;
  }

  private async build(
    actor: AccessActor,
    asked: { from?: string | undefined; to?: string | undefined },
  ): Promise<Report> {
    const audience = reportAudienceOf(actor);
    if (!audience) throw new AppError('ACCESS.DENIED', 'reports are not for this role');
    const now = this.sources.clock.now();
    const period = resolvePeriod(asked, now);
    const [counts, school, targets] = await Promise.all([
      this.counts(actor, period),
      this.sources.schools.get(actor.tenantId, actor.schoolId),
      this.sources.targets.get(actor),
    ]);
    return reportFor(audience, counts(targets), {
      schoolName: school?.name ?? '',
      period,
      generatedAt: now,
      targets,
    });
  }

  /** Reads a period's facts: the records, then everything else about them at once. */
  private async counts(scope: SchoolScope, period: ReportPeriod) {
    const { start, end } = periodInstants(period);
    const s = this.sources;
    // A record's reference year is the calendar year it was recorded in (school time).
    const years: number[] = [];
    for (let y = Number(period.from.slice(0, 4)); y <= Number(period.to.slice(0, 4)); y += 1) {
      years.push(y);
    }
    const summarised = await s.summaries?.reportFactsOf(scope, monthsOf(period));
    if (summarised) return this.countSummarised(scope, period, summarised);
    const records = (await s.records.countingFactsOf(scope, years, MOST_RECORDS)).filter(
      (r) => r.recordedAt >= start && r.recordedAt < end,
    );
    const ids = records.map((r) => r.incidentId);
    const pupilIds = [...new Set(records.map((r) => r.pupilId))];
    const [pupils, histories, categories, actions, caseStatus, acks] = await Promise.all([
      s.pupils.findPupils(scope, pupilIds),
      s.statuses.statusHistoriesOf(scope, pupilIds),
      s.lists.listCategories(scope),
      s.actions.referralsAndDecisionsSince(scope, start, MOST_RECORDS),
      s.cases.latestStatusOf(scope, ids),
      s.alerts.acknowledgementFacts(scope, ids),
    ]);
    const statusHistories = new Map<string, { changedAt: Date; status: PupilStatus }[]>();
    for (const h of histories) {
      statusHistories.set(h.pupilId, [...(statusHistories.get(h.pupilId) ?? []), h]);
    }
    return (targets: ReportTargets) =>
      countReport({
        period,
        start,
        end,
        concerns: records.map((r) => ({
          incidentId: r.incidentId,
          pupilId: r.pupilId,
          categoryIds: r.categoryIds,
          recordedAt: r.recordedAt,
        })),
        categories: categories.map((c) => ({ categoryId: c.categoryId, name: c.name })),
        yearGroupOf: new Map(pupils.map((p) => [p.pupilId, p.yearGroup])),
        statusHistories,
        actions: actions.filter((a) => a.happenedAt < end),
        caseStatus,
        firstTeamAck: acks.firstTeamAck,
        highestEscalation: acks.highestEscalation,
        targets,
      });
  }

  /**
   * Counts a period from the monthly summaries: twelve documents for a year instead of every
   * record and what followed it; pupils' year groups and statuses are read as they are now.
   */
  private async countSummarised(
    scope: SchoolScope,
    period: ReportPeriod,
    summarised: { concerns: SummarisedConcernFact[]; actions: ReferralOrDecisionFact[] },
  ) {
    const { start, end } = periodInstants(period);
    const concerns = summarised.concerns.filter((c) => c.recordedAt >= start && c.recordedAt < end);
    const pupilIds = [...new Set(concerns.map((c) => c.pupilId))];
    const [pupils, histories, categories] = await Promise.all([
      this.sources.pupils.findPupils(scope, pupilIds),
      this.sources.statuses.statusHistoriesOf(scope, pupilIds),
      this.sources.lists.listCategories(scope),
    ]);
    const statusHistories = new Map<string, { changedAt: Date; status: PupilStatus }[]>();
    for (const h of histories) {
      statusHistories.set(h.pupilId, [...(statusHistories.get(h.pupilId) ?? []), h]);
    }
    const caseStatus = new Map<string, 'closed' | 'reopened'>();
    const firstTeamAck = new Map<string, Date>();
    const highestEscalation = new Map<string, number>();
    for (const c of concerns) {
      if (c.caseStatus) caseStatus.set(c.incidentId, c.caseStatus);
      if (c.firstTeamAck) firstTeamAck.set(c.incidentId, c.firstTeamAck);
      highestEscalation.set(c.incidentId, c.highestEscalation);
    }
    return (targets: ReportTargets) =>
      countReport({
        period,
        start,
        end,
        concerns: concerns.map((c) => ({
          incidentId: c.incidentId,
          pupilId: c.pupilId,
          categoryIds: c.categoryIds,
          recordedAt: c.recordedAt,
        })),
        categories: categories.map((c) => ({ categoryId: c.categoryId, name: c.name })),
        yearGroupOf: new Map(pupils.map((p) => [p.pupilId, p.yearGroup])),
        statusHistories,
        actions: summarised.actions.filter((a) => a.happenedAt >= start && a.happenedAt < end),
        caseStatus,
        firstTeamAck,
        highestEscalation,
        targets,
      });
  }

  private async audited(
    actor: AccessActor,
    action: 'report.view' | 'report.export',
    report: Report,
    format: string,
    requestId?: string,
  ): Promise<void> {
    const reason =
      `report=safeguarding; view=${report.audience}; format=${format}; ` +
      `period=${report.period.from}..${report.period.to}`;
    await this.sources.audit.record(
      auditEvent(actor, action, { kind: 'school', id: actor.schoolId }, { reason, requestId }),
    );
  }
}
