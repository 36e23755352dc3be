import { randomUUID } from 'node:crypto';
import type { AccessActor } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import type { IndexedIncident } from '../chronology';
import type { DomainEvents } from '../events';
import type { Clock } from '../shared/clock';
import type { SchoolScope } from '../shared/school-scope';
import type { LegalHoldRepository } from './legal-hold.repository';
import { targetOf, type LegalHoldService } from './legal-holds.service';
import type { RecordShredder } from './record-shredder.repository';
import type { RetentionRepository } from './retention.repository';
import type { ScheduledRecord, ShredCounts, Tombstone } from './retention.types';

export interface DisposalDeps {
  readonly schedule: Pick<RetentionRepository, 'removeForDisposal'>;
  readonly tombstones: Pick<LegalHoldRepository, 'insertTombstone'>;
  readonly holds: Pick<LegalHoldService, 'refuseIfHeld'>;
  readonly shredder: Pick<RecordShredder, 'shredIncident' | 'shredAdultConcern'>;
  /** chronology/: the record's lines become one tombstone line for its subject. */
  readonly chronology: {
    replaceWithTombstone(scope: SchoolScope, tombstone: IndexedIncident): Promise<void>;
  };
  readonly cipher: { forget(keys: readonly { keyId: string; wrappedKey: Buffer }[]): void };
  /** Announces `record.disposed`: summaries kept by other features let the record go. */
  readonly events: Pick<DomainEvents, 'publish'>;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  /** The school's calendar date of an instant. */
  readonly dayOf: (at: Date) => string;
}

/**
 * Disposal by crypto-shredding, the end of a review that decided "dispose". The caller has checked
 * who may (team, step-up) and that the record is due; this asks the legal holds again itself, so no
 * path reaches the shredder past a hold. The tombstone is written first, then the record's data
 * and keys are destroyed, then its schedule goes and the certificate is audited: a crash part-way
 * leaves the schedule entry, and disposing again finishes the rest.
 */
export class DisposalService {
  constructor(private readonly deps: DisposalDeps) {}

  async dispose(
    actor: AccessActor,
    record: ScheduledRecord,
    requestId?: string,
  ): Promise<{ tombstone: Tombstone; removed: ShredCounts }> {
    await this.deps.holds.refuseIfHeld(actor, record, requestId);
    const now = this.deps.clock.now();
    const tombstone: Tombstone = {
      tenantId: record.tenantId,
      schoolId: record.schoolId,
      scheduleId: record.scheduleId,
      recordKind: record.recordKind,
      recordId: record.recordId,
      reference: record.reference,
      happenedAt: record.happenedAt,
      recordedAt: record.recordedAt,
      categoryIds: [...record.categoryIds],
      rule: record.rule,
      disposedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      disposedAt: now,
      certificateId: randomUUID(),
    };
    await this.deps.tombstones.insertTombstone(tombstone);
    const removed =
      record.recordKind === 'incident'
        ? await this.deps.shredder.shredIncident(actor, {
            incidentId: record.recordId,
            pupilIds: record.pupilIds,
          })
        : await this.deps.shredder.shredAdultConcern(actor, record.recordId);
    const subject = record.pupilIds[0];
    if (record.recordKind === 'incident' && subject) {
      await this.deps.chronology.replaceWithTombstone(actor, {
        tenantId: record.tenantId,
        schoolId: record.schoolId,
        pupilId: subject,
        entryId: `incident:${record.recordId}`,
        incidentId: record.recordId,
        reference: record.reference,
        happenedAt: record.happenedAt,
        recordedAt: record.recordedAt,
        // Who disposed of it stands where the recorder stood: the recorder's name went with it.
        recordedByAadObjectId: actor.aadObjectId,
        recordedByName: actor.displayName,
        categoryIds: [...record.categoryIds],
        pupilRole: 'subject',
        pupilIds: [subject],
        alertStaffIds: [],
        disposal: { disposedOn: this.deps.dayOf(now), rule: record.rule },
      });
    }
    if (record.recordKind === 'incident') {
      await this.deps.events.publish({
        type: 'record.disposed',
        tenantId: record.tenantId,
        schoolId: record.schoolId,
        incidentId: record.recordId,
      });
    }
    this.deps.cipher.forget(await this.deps.schedule.removeForDisposal(actor, record.scheduleId));
    // The certificate: which record, under which rule, by whom (the event's actor), what went.
    const what = Object.entries(removed)
      .map(([name, n]) => `${name}=${n}`)
      .join(' ');
    await this.deps.audit.record(
      auditEvent(actor, 'retention.disposal-certificate', targetOf(record), {
        reason:
          `certificate ${tombstone.certificateId}: ${record.reference} disposed under rule "${record.rule}"; removed ${what || 'nothing left'}`.slice(
            0,
            1_000,
          ),
        requestId,
      }),
    );
    return { tombstone, removed };
  }
}
