import type { SchoolScope } from '../shared/school-scope';

/** What changed about a record since it was indexed. */
export interface RecordState {
  readonly amended: boolean;
  readonly status: 'open' | 'closed';
  /** Whether the safeguarding team has marked the record reviewed (the desk's new concerns). */
  readonly reviewed: boolean;
}

/** Where the changes are written down: the record's amendments, case status and review. */
export interface RecordStateSources {
  amendments: {
    listHeadersForIncidents(
      scope: SchoolScope,
      incidentIds: readonly string[],
    ): Promise<readonly { readonly incidentId: string }[]>;
  };
  cases: {
    caseStatus(
      scope: SchoolScope,
      incidentIds: readonly string[],
    ): Promise<readonly { readonly incidentId: string; readonly status: 'open' | 'closed' }[]>;
  };
  reviews: {
    reviewsOf(scope: SchoolScope, incidentIds: readonly string[]): Promise<Map<string, unknown>>;
  };
}

/**
 * Amended? closed? reviewed? for the records of one chronology page, read at page time so the index stays
 * write-once and a page costs the same however many records there are.
 */
export class RecordStateService {
  constructor(private readonly sources: RecordStateSources) {}

  async stateOf(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<Map<string, RecordState>> {
    const [amended, statuses, reviews] = await Promise.all([
      this.sources.amendments.listHeadersForIncidents(scope, incidentIds),
      this.sources.cases.caseStatus(scope, incidentIds),
      this.sources.reviews.reviewsOf(scope, incidentIds),
    ]);
    const amendedIds = new Set(amended.map((a) => a.incidentId));
    return new Map(
      statuses.map((c) => [
        c.incidentId,
        {
          amended: amendedIds.has(c.incidentId),
          status: c.status,
          reviewed: reviews.has(c.incidentId),
        },
      ]),
    );
  }
}
