import type { Connection } from 'mongoose';
import type { ActionJob } from '../actions';
import type { ActionAlerts } from '../alerts';
import type { AuditTrail } from '../audit';
import type { ChronologyIndexRepository } from '../chronology';
import type { StatutoryCalendar } from '../clocks';
import type { DomainEvents } from '../events';
import type { NarrativeCipher } from '../encryption';
import type { Pupil } from '../pupils';
import type { Clock } from '../shared/clock';
import type { SchoolScope } from '../shared/school-scope';
import type { StaffMember } from '../staff';
import { DisposalService } from './disposal.service';
import { LegalHoldRepository } from './legal-hold.repository';
import { LegalHoldService } from './legal-holds.service';
import { RecordShredder, type FileShredder } from './record-shredder.repository';
import {
  RetentionScheduler,
  retentionReviewClock,
  type AdultConcernDates,
  type RecordHeader,
} from './retention-schedule';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

interface RetentionModuleDeps {
  readonly cipher: NarrativeCipher;
  /** incidents/: a stored record's header (subscribed on incident.recorded; swept at start-up). */
  readonly records: {
    findById(scope: SchoolScope, incidentId: string): Promise<RecordHeader | undefined>;
    listRecordedSince(since: Date, limit: number): Promise<RecordHeader[]>;
    listRecentIn(scope: SchoolScope, since: Date, limit: number): Promise<RecordHeader[]>;
  };
  readonly pupils: {
    findPupils(scope: SchoolScope, ids: readonly string[]): Promise<Pupil[]>;
    getPupil(scope: SchoolScope, pupilId: string): Promise<unknown>;
  };
  readonly lists: {
    listCategories(scope: SchoolScope): Promise<{ categoryId: string; name: string }[]>;
  };
  readonly adultConcerns: {
    listRecent(scope: SchoolScope, limit: number): Promise<AdultConcernDates[]>;
  };
  readonly files: FileShredder;
  readonly chronology: Pick<ChronologyIndexRepository, 'replaceWithTombstone'>;
  readonly jobs: { insertJob(job: ActionJob): Promise<void> };
  readonly team: { listSafeguardingTeam(scope: SchoolScope): Promise<StaffMember[]> };
  readonly alerts: Pick<ActionAlerts, 'queueForActionClock'>;
  readonly events: DomainEvents;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly calendar: StatutoryCalendar;
}

/**
 * Retention, legal holds and disposal: builds the schedule (new records join it through
 * `incident.recorded`), the review clock the actions' jobs run, and the services the tab calls.
 */
export function createRetentionModule(connection: Connection, deps: RetentionModuleDeps) {
  const store = new RetentionRepository(connection, deps.cipher);
  const holdStore = new LegalHoldRepository(connection, deps.cipher);
  const scheduler = new RetentionScheduler({
    store,
    pupils: deps.pupils,
    jobs: deps.jobs,
    calendar: deps.calendar,
  });
  const legalHolds = new LegalHoldService({
    holds: holdStore,
    schedule: store,
    pupils: deps.pupils,
    audit: deps.audit,
    clock: deps.clock,
  });
  const disposal = new DisposalService({
    schedule: store,
    tombstones: holdStore,
    holds: legalHolds,
    shredder: new RecordShredder(connection, deps.files, deps.cipher),
    chronology: deps.chronology,
    cipher: deps.cipher,
    events: deps.events,
    audit: deps.audit,
    clock: deps.clock,
    dayOf: (at) => scheduler.dayOf(at),
  });
  const retention = new RetentionService({
    store,
    tombstones: holdStore,
    scheduler,
    holds: legalHolds,
    disposal,
    pupils: deps.pupils,
    lists: deps.lists,
    records: deps.records,
    adultConcerns: deps.adultConcerns,
    audit: deps.audit,
    clock: deps.clock,
  });
  // A new record joins the schedule once it is stored (repeated events change nothing).
  deps.events.subscribe('incident.recorded', async (event) => {
    const record = await deps.records.findById(event, event.incidentId);
    if (record) await scheduler.scheduleIncident(record);
  });
  const retentionClock = retentionReviewClock({ store, team: deps.team, alerts: deps.alerts });

  /** Start-up: records stored before retention existed (or missed by a crash) join the schedule. */
  async function scheduleExisting(batch = 500): Promise<number> {
    let since = new Date(0);
    let scheduled = 0;
    for (;;) {
      const records = await deps.records.listRecordedSince(since, batch);
      // By school: one read of its schedule's ids, then only the records missing from it.
      const bySchool = new Map<string, RecordHeader[]>();
      for (const r of records) {
        const key = `${r.tenantId}|${r.schoolId}`;
        const group = bySchool.get(key) ?? [];
        group.push(r);
        bySchool.set(key, group);
      }
      for (const group of bySchool.values()) {
        scheduled += await scheduler.catchUp(group[0]!, group);
      }
      const last = records.at(-1);
      if (records.length < batch || !last || last.recordedAt.getTime() === since.getTime()) break;
      since = last.recordedAt;
    }
    return scheduled;
  }

  return {
    retention,
    legalHolds,
    retentionClock,
    scheduleExistingRecords: scheduleExisting,
    retentionStores: { schedule: store, holds: holdStore },
  };
}
