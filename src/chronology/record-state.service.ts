import type { SchoolScope } from '../shared/school-scope';

/** What changed about a record since it was indexed. */
export interface RecordState {
  readonly amended: boolean;
  readonly status: 'open' | 'closed';
}

/** Where the changes are written down: the record's amendments and its case status. */
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
}

/**
 * Amended? closed? for the records of one chronology page, read at page time so the index stays
 * write-once and a page costs the same however many records there are.
 */
export class RecordStateService {
  constructor(private readonly sources: RecordStateSources) {}

  async stateOf(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<Map<string, RecordState>> {
    const [amended, statuses] = await Promise.all([
      this.sources.amendments.listHeadersForIncidents(scope, incidentIds),
      this.sources.cases.caseStatus(scope, incidentIds),
    ]);
    const amendedIds = new Set(amended.map((a) => a.incidentId));
    return new Map(
      statuses.map((c) => [
        c.incidentId,
        { amended: amendedIds.has(c.incidentId), status: c.status },
      ]),
    );
  }
}
