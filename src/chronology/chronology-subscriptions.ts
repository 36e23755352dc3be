import type { DomainEvents } from '../events';
import type { SchoolScope } from '../shared/school-scope';
import type {
  AmendedListingReader,
  ChronologyIndexer,
  IndexableIncident,
} from './incident-chronology';

/** What the chronology reads and writes to follow up a recorded incident. */
export interface ChronologySubscriptionDeps {
  readonly records: {
    findById(scope: SchoolScope, incidentId: string): Promise<IndexableIncident | undefined>;
  };
  readonly indexer: Pick<ChronologyIndexer, 'indexIncident' | 'reflectAmendments'>;
  readonly amendments: AmendedListingReader;
}

/**
 * The chronology indexes a recorded incident for its subject and linked pupils, and moves its
 * line when an amendment changes when it happened or its categories. Both are idempotent
 * (repeated on a retried submit); the app's start-up `reindexRecent` mends a crash in between.
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
  events.subscribe(
    'incident.amended',
    async (event) => {
      const incident = await deps.records.findById(event, event.incidentId);
      if (incident) await deps.indexer.reflectAmendments(incident, deps.amendments);
    },
    { name: 'chronology.reflect-amendment' },
  );
}
