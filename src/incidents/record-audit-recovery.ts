import { auditEvent, type AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import type { SchoolScope } from '../shared/school-scope';
import type { IncidentHeader } from './incident-narrative';

/** Which records already have their create event (AuditRepository provides it). */
export interface CreateEventLookup {
  targetsWith(
    scope: SchoolScope,
    action: 'record.create',
    targetIds: readonly string[],
  ): Promise<ReadonlySet<string>>;
}

/** Records stored since an instant, across schools, oldest first (IncidentRepository). */
interface RecentRecords {
  listRecordedSince(since: Date, limit: number): Promise<IncidentHeader[]>;
}

type AuditedRecord = Pick<
  IncidentHeader,
  'tenantId' | 'schoolId' | 'incidentId' | 'recordedAt' | 'recordedBy'
>;

/** The reason a recovered event carries: the event is late, and says so. */
export const RECOVERED_REASON = 'recovered: the record was stored, its event was not (a crash)';

// A record younger than this may belong to a submit still between its insert and its event
// (on another instance, or a stalled store): adding one then would make two.
const IN_FLIGHT_GRACE_MS = 60_000;
const BATCH = 500;

/**
 * A record is stored, then its `record.create` event is appended: two writes with no transaction
 * between them (the store has none), so a crash in between leaves a record nobody audited. This
 * finds such records and appends the missing event, marked as recovered, dated when found (the
 * chain's order is the truth; the record keeps its own recordedAt). Run at start-up for the last
 * week, and whenever a form is submitted again and finds its record.
 */
export class RecordAuditRecovery {
  constructor(
    private readonly records: RecentRecords,
    private readonly events: CreateEventLookup,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /** Audits the records stored since `since` that lack their create event; returns how many. */
  async recoverSince(since: Date): Promise<number> {
    let recovered = 0;
    let from = since;
    for (;;) {
      const batch = await this.records.listRecordedSince(from, BATCH);
      recovered += await this.recover(batch);
      const last = batch.at(-1);
      if (batch.length < BATCH || !last || last.recordedAt.getTime() === from.getTime()) break;
      from = last.recordedAt;
    }
    return recovered;
  }

  /** The same for one record (a repeated submit found it); true when an event was added. */
  async recoverOne(record: AuditedRecord): Promise<boolean> {
    return (await this.recover([record])) > 0;
  }

  private async recover(records: readonly AuditedRecord[]): Promise<number> {
    const settled = this.clock.now().getTime() - IN_FLIGHT_GRACE_MS;
    const candidates = records.filter((r) => r.recordedAt.getTime() <= settled);
    let recovered = 0;
    for (const [scope, ofSchool] of bySchool(candidates)) {
      const audited = await this.events.targetsWith(
        scope,
        'record.create',
        ofSchool.map((r) => r.incidentId),
      );
      for (const record of ofSchool.filter((r) => !audited.has(r.incidentId))) {
        await this.audit.record(
          auditEvent(
            { ...scope, aadObjectId: record.recordedBy.aadObjectId },
            'record.create',
            { kind: 'incident', id: record.incidentId },
            { reason: RECOVERED_REASON },
          ),
        );
        recovered += 1;
      }
    }
    return recovered;
  }
}

function bySchool(records: readonly AuditedRecord[]): Map<SchoolScope, AuditedRecord[]> {
  const groups = new Map<string, { scope: SchoolScope; records: AuditedRecord[] }>();
  for (const r of records) {
    const key = `${r.tenantId}|${r.schoolId}`;
    const group = groups.get(key) ?? {
      scope: { tenantId: r.tenantId, schoolId: r.schoolId },
      records: [],
    };
    group.records.push(r);
    groups.set(key, group);
  }
  return new Map([...groups.values()].map((g) => [g.scope, g.records]));
}
