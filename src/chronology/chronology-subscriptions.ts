import type { DomainEvents } from '../events';
import type { SchoolScope } from '../shared/school-scope';
import type { ChronologyIndexer, IndexableIncident } from './incident-chronology';

/** What the chronology reads and writes to follow up a recorded incident. */
export interface ChronologySubscriptionDeps {
  readonly records: {
    findById(scope: SchoolScope, incidentId: string): Promise<IndexableIncident | undefined>;
  };
  readonly indexer: Pick<ChronologyIndexer, 'indexIncident'>;
}

/**
 * The chronology indexes a recorded incident for its subject and linked pupils. Repeated on a
 * retried submit (idempotent); the app's start-up `reindexRecent` mends a crash in between.
 */
export function subscribeChronology(
  events: Pick<DomainEvents, 'subscribe'>,
  deps: ChronologySubscriptionDeps,
) {
  events.subscribe(
    'incident.recorded',
    async (event) => {
      const incident = await deps.records.findById(event, event.incidentId);
      if (incident) await deps.indexer.indexIncident(incident);
    },
    { name: 'chronology.index-incident' },
  );
}
