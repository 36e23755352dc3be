import type { Connection } from 'mongoose';
import type { AuditTrail } from '../audit';
import type { DomainEvents } from '../events';
import type { Clock } from '../shared/clock';
import type { SchoolScope } from '../shared/school-scope';
import { ActionChronologySource } from './action-chronology';
import { AmendmentChronologySource } from './amendment-chronology';
import { subscribeChronology, type ChronologySubscriptionDeps } from './chronology-subscriptions';
import { ChronologyIndexRepository } from './chronology-index.repository';
import { ChronologyService, type ChronologyDependencies } from './chronology.service';
import type { ChronologySource } from './chronology.types';
import {
  ChronologyIndexer,
  IncidentChronologySource,
  type IndexableIncident,
} from './incident-chronology';
import { migratePerPupilChronology } from './per-pupil-migration.repository';
import { RecordStateService, type RecordStateSources } from './record-state.service';
import { RecordViewService, type RecordViewDependencies } from './record-view.service';

/** Reads of the other features, as ports: the chronology indexes and shows, it writes no record. */
interface ChronologyModuleDeps {
  readonly records: RecordViewDependencies['records'] &
    ChronologySubscriptionDeps['records'] & {
      listRecordedSince(since: Date, limit: number): Promise<IndexableIncident[]>;
    };
  readonly amendments: RecordViewDependencies['amendments'] &
    RecordStateSources['amendments'] &
    ChronologySubscriptionDeps['amendments'] &
    ConstructorParameters<typeof AmendmentChronologySource>[1] & {
      amendedSince(since: Date, limit: number): Promise<(SchoolScope & { incidentId: string })[]>;
    };
  readonly actions: RecordViewDependencies['actions'] &
    ConstructorParameters<typeof ActionChronologySource>[1];
  readonly cases: RecordViewDependencies['cases'] & RecordStateSources['cases'];
  /** reviews/: which records the team has marked reviewed. */
  readonly reviews: RecordStateSources['reviews'];
  readonly pupils: ChronologyDependencies['pupils'] & RecordViewDependencies['pupils'];
  readonly lists: RecordViewDependencies['lists'];
  readonly files: RecordViewDependencies['files'];
  /** access/: who a record reaches besides its recorder. */
  readonly relations: ChronologyDependencies['relations'];
  readonly events: Pick<DomainEvents, 'subscribe'>;
  /** Entries other features keep (records transferred in from another school). */
  readonly moreSources?: readonly ChronologySource[];
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

const RECORDS_PER_BATCH = 500;
// A week of amendments is a few dozen at a busy school; this bounds a start-up, not a school.
const MAX_AMENDED_ON_START = 5_000;

/**
 * A pupil's chronology (records, actions, amendments in one timeline) and one record's full view.
 * The index follows `incident.recorded`; `reindexRecent` mends what a crash in between missed.
 */
export function createChronologyModule(connection: Connection, deps: ChronologyModuleDeps) {
  const index = new ChronologyIndexRepository(connection);
  const indexer = new ChronologyIndexer(index);
  subscribeChronology(deps.events, {
    records: deps.records,
    indexer,
    amendments: deps.amendments,
  });
  const chronology = new ChronologyService({
    sources: [
      new IncidentChronologySource(index),
      new ActionChronologySource(index, deps.actions),
      new AmendmentChronologySource(index, deps.amendments),
      ...(deps.moreSources ?? []),
    ],
    pupils: deps.pupils,
    categories: deps.lists,
    relations: deps.relations,
    audit: deps.audit,
    clock: deps.clock,
    recordState: new RecordStateService({
      amendments: deps.amendments,
      cases: deps.cases,
      reviews: deps.reviews,
    }),
  });
  const recordView = new RecordViewService({
    records: deps.records,
    disposals: index,
    pupils: deps.pupils,
    lists: deps.lists,
    files: deps.files,
    relations: deps.relations,
    audit: deps.audit,
    amendments: deps.amendments,
    actions: deps.actions,
    cases: deps.cases,
  });
  async function* recordsSince(since: Date) {
    let from = since;
    for (;;) {
      const batch = await deps.records.listRecordedSince(from, RECORDS_PER_BATCH);
      yield* batch;
      const last = batch.at(-1);
      if (batch.length < RECORDS_PER_BATCH || !last || last.recordedAt.getTime() === from.getTime())
        return;
      from = last.recordedAt;
    }
  }
  return {
    chronology,
    recordView,
    /**
     * Indexes records stored since an instant that the index may have missed, and reflects the
     * amendments made since then (start-up: a crash may have come between a write and its index).
     */
    async reindexRecent(since: Date): Promise<number> {
      const indexed = await indexer.rebuild(recordsSince(since));
      for (const amended of await deps.amendments.amendedSince(since, MAX_AMENDED_ON_START)) {
        const incident = await deps.records.findById(amended, amended.incidentId);
        if (incident) await indexer.reflectAmendments(incident, deps.amendments);
      }
      return indexed;
    },
    /** Once per database, after indexes exist: earlier versions' per-pupil collections (resumable). */
    migrate: () => migratePerPupilChronology(connection, index),
  };
}
