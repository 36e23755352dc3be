import type { ReferralOrDecisionFact } from '../actions';
import type { RecordSummaryFact } from '../incidents';
import { SCHOOL_TIME_ZONE } from '../shared/school-time';
import type { SchoolScope } from '../shared/school-scope';
import type { ReportMonthRepository } from './report-month.repository';

/** A concern as the monthly summary keeps it: what reports count, nothing else. */
export interface SummarisedConcern {
  readonly incidentId: string;
  readonly pupilId: string;
  /** As the latest amendment says (the categories recorded when never amended). */
  readonly categoryIds: readonly string[];
  readonly recordedAt: Date;
  readonly firstTeamAck?: Date;
  readonly highestEscalation: number;
  readonly caseStatus?: 'closed' | 'reopened';
}

/** Where the summaries work a record out from: each feature's own narrow queries. */
export interface ReportMonthSources {
  records: {
    summaryFactOf(scope: SchoolScope, incidentId: string): Promise<RecordSummaryFact | undefined>;
    summaryFactsOf(scope: SchoolScope): Promise<RecordSummaryFact[]>;
  };
  amendments: {
    amendedListing(
      scope: SchoolScope,
      ids: readonly string[],
    ): Promise<Map<string, { categoryIds?: readonly string[] }>>;
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
  actions: {
    referralOrDecisionFactsOf(
      scope: SchoolScope,
      actionIds: readonly string[],
    ): Promise<ReferralOrDecisionFact[]>;
    referralsAndDecisionsSince(
      scope: SchoolScope,
      since: Date,
      limit: number,
    ): Promise<ReferralOrDecisionFact[]>;
  };
}

const CHUNK = 100;
const MOST_ACTIONS = 1_000_000;

/**
 * The reports' monthly summaries, kept by events: a record's entry is worked out again from the
 * features' stores on each event about it (recorded, amended, acknowledged, escalated, closed,
 * reopened), and set whole, so a replay or a repeat writes the same entry.
 */
export class ReportMonthsView {
  constructor(
    private readonly store: ReportMonthRepository,
    private readonly sources: ReportMonthSources,
  ) {}

  async reconcileConcern(scope: SchoolScope, incidentId: string): Promise<void> {
    const fact = await this.sources.records.summaryFactOf(scope, incidentId);
    if (!fact) return;
    const [concern] = await this.summarise(scope, [fact]);
    if (concern)
      await this.store.setEntries(scope, schoolMonth(fact.recordedAt), concernEntry(concern));
  }

  /** A disposed record: its entry and its actions' entries go, wherever their months are. */
  async forgetConcern(scope: SchoolScope, incidentId: string): Promise<void> {
    await this.store.removeRecord(scope, incidentId);
  }

  async reconcileAction(scope: SchoolScope, actionId: string): Promise<void> {
    for (const action of await this.sources.actions.referralOrDecisionFactsOf(scope, [actionId])) {
      await this.store.setEntries(scope, schoolMonth(action.happenedAt), actionEntry(action));
    }
  }

  /** The one-off build for a school: its records, then what followed them, a month at a time. */
  async build(scope: SchoolScope): Promise<number> {
    const facts = await this.sources.records.summaryFactsOf(scope);
    const concerns = await this.summarise(scope, facts);
    const actions = await this.sources.actions.referralsAndDecisionsSince(
      scope,
      new Date(0),
      MOST_ACTIONS,
    );
    const months = new Map<
      string,
      { concerns: Record<string, string>; actions: Record<string, string> }
    >();
    const monthOf = (month: string) => {
      const entries = months.get(month) ?? { concerns: {}, actions: {} };
      months.set(month, entries);
      return entries;
    };
    for (const c of concerns)
      Object.assign(monthOf(schoolMonth(c.recordedAt)).concerns, concernEntry(c).concerns);
    for (const a of actions)
      Object.assign(monthOf(schoolMonth(a.happenedAt)).actions, actionEntry(a).actions);
    for (const [month, entries] of months) await this.store.setEntries(scope, month, entries);
    await this.store.monthsOf(scope, [...months.keys()]); // packs each month for the first report
    return months.size;
  }

  /** The concerns recorded and the referrals and decisions made in these months (school time). */
  async factsOf(
    scope: SchoolScope,
    months: readonly string[],
  ): Promise<{ concerns: SummarisedConcern[]; actions: ReferralOrDecisionFact[] }> {
    const docs = await this.store.monthsOf(scope, months);
    return {
      concerns: docs.flatMap((d) => d.concerns.map(readConcern)),
      actions: docs.flatMap((d) => d.actions.map(readAction)),
    };
  }

  /** Amended categories, case status, first acknowledgement and escalation of these records. */
  private async summarise(
    scope: SchoolScope,
    facts: readonly RecordSummaryFact[],
  ): Promise<SummarisedConcern[]> {
    const ids = facts.map((f) => f.incidentId);
    const amended = new Map<string, { categoryIds?: readonly string[] }>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      for (const [id, a] of await this.sources.amendments.amendedListing(
        scope,
        ids.slice(i, i + CHUNK),
      ))
        amended.set(id, a);
    }
    const [statuses, acks] = await Promise.all([
      this.sources.cases.latestStatusOf(scope, ids),
      this.sources.alerts.acknowledgementFacts(scope, ids),
    ]);
    return facts.map((f) => {
      const ack = acks.firstTeamAck.get(f.incidentId);
      const status = statuses.get(f.incidentId);
      return {
        incidentId: f.incidentId,
        pupilId: f.pupilId,
        categoryIds: [...(amended.get(f.incidentId)?.categoryIds ?? f.categoryIds)],
        recordedAt: f.recordedAt,
        ...(ack ? { firstTeamAck: ack } : {}),
        highestEscalation: acks.highestEscalation.get(f.incidentId) ?? 0,
        ...(status ? { caseStatus: status } : {}),
      };
    });
  }
}

// Entries are JSON arrays in a string: one value per record for the store to decode, not six.
function concernEntry(c: SummarisedConcern): { concerns: Record<string, string> } {
  const value = [
    c.incidentId,
    c.pupilId,
    c.categoryIds,
    c.recordedAt.getTime(),
    c.firstTeamAck?.getTime() ?? null,
    c.highestEscalation,
    c.caseStatus ?? null,
  ];
  return { concerns: { [c.incidentId]: JSON.stringify(value) } };
}

function readConcern(entry: string): SummarisedConcern {
  const [incidentId, pupilId, categoryIds, recordedAt, ack, escalation, status] = JSON.parse(
    entry,
  ) as [string, string, string[], number, number | null, number, 'closed' | 'reopened' | null];
  return {
    incidentId,
    pupilId,
    categoryIds,
    recordedAt: new Date(recordedAt),
    ...(ack !== null ? { firstTeamAck: new Date(ack) } : {}),
    highestEscalation: escalation,
    ...(status ? { caseStatus: status } : {}),
  };
}

function actionEntry(a: ReferralOrDecisionFact): { actions: Record<string, string> } {
  return {
    actions: {
      [a.actionId]: JSON.stringify({
        ...a,
        happenedAt: a.happenedAt.getTime(),
        ...(a.referredAt ? { referredAt: a.referredAt.getTime() } : {}),
      }),
    },
  };
}

function readAction(entry: string): ReferralOrDecisionFact {
  const raw = JSON.parse(entry) as Omit<ReferralOrDecisionFact, 'happenedAt' | 'referredAt'> & {
    happenedAt: number;
    referredAt?: number;
  };
  const { referredAt, happenedAt, ...rest } = raw;
  return {
    ...rest,
    happenedAt: new Date(happenedAt),
    ...(referredAt !== undefined ? { referredAt: new Date(referredAt) } : {}),
  };
}

// One formatter for every record: building one is far dearer than using it.
const MONTH_IN_SCHOOL_TIME = new Intl.DateTimeFormat('en-CA', {
  timeZone: SCHOOL_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
});

/** The school-time month (YYYY-MM) of an instant: the reports' months. */
function schoolMonth(instant: Date): string {
  return MONTH_IN_SCHOOL_TIME.format(instant).slice(0, 7);
}
