import { randomUUID } from 'node:crypto';
import type { AccessActor } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import type { LegalHoldRepository } from './legal-hold.repository';
import { authorizeRetention, parseOrInvalid } from './retention-access';
import type { RetentionRepository } from './retention.repository';
import { liftHoldSchema, placeHoldSchema } from './retention.schemas';
import type { LegalHold, ScheduledRecord } from './retention.types';

export interface LegalHoldDeps {
  readonly holds: Pick<LegalHoldRepository, 'insertHold' | 'lift' | 'list' | 'find' | 'inForceOn'>;
  readonly schedule: Pick<RetentionRepository, 'findScheduled'>;
  readonly pupils: { getPupil(scope: SchoolScope, pupilId: string): Promise<unknown> };
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

/**
 * Legal holds: the team, after step-up, places a hold on a pupil, a record or the whole school
 * with its reason and reference, and lifts it with a reason; both are audited. While a hold is in
 * force nothing it covers can be disposed of (`refuseIfHeld`, asked by every disposal path).
 */
export class LegalHoldService {
  constructor(private readonly deps: LegalHoldDeps) {}

  async place(actor: AccessActor, raw: unknown, requestId?: string): Promise<LegalHold> {
    await authorizeRetention(this.deps.audit, actor, 'hold-place', requestId);
    const input = parseOrInvalid(placeHoldSchema, raw);
    let targetId = input.targetId;
    let targetReference = '';
    if (input.scope === 'school') targetId = actor.schoolId;
    if (input.scope === 'pupil' && !(await this.deps.pupils.getPupil(actor, targetId))) {
      throw new AppError('RETENTION.INVALID', 'Choose a pupil of this school to hold.');
    }
    if (input.scope === 'record') {
      const record = await this.deps.schedule.findScheduled(actor, targetId);
      if (!record)
        throw new AppError('RETENTION.INVALID', 'Choose a record of this school to hold.');
      targetReference = record.reference;
    }
    const hold: LegalHold = {
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      holdId: randomUUID(),
      scope: input.scope,
      targetId,
      targetReference,
      reason: input.reason,
      reference: input.reference,
      placedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      placedAt: this.deps.clock.now(),
    };
    await this.deps.holds.insertHold(hold);
    await this.audit(
      actor,
      'retention.hold-place',
      hold,
      `hold ${hold.holdId}: ${hold.reference}`,
      requestId,
    );
    return hold;
  }

  async lift(
    actor: AccessActor,
    holdId: string,
    raw: unknown,
    requestId?: string,
  ): Promise<LegalHold> {
    await authorizeRetention(this.deps.audit, actor, 'hold-lift', requestId);
    const { reason } = parseOrInvalid(liftHoldSchema, raw);
    const by = { aadObjectId: actor.aadObjectId, displayName: actor.displayName };
    const lifted = await this.deps.holds.lift(actor, holdId, {
      by,
      at: this.deps.clock.now(),
      reason,
    });
    const hold = await this.deps.holds.find(actor, holdId);
    if (!lifted || !hold) throw new AppError('RETENTION.HOLD_NOT_FOUND', 'no such hold in force');
    await this.audit(
      actor,
      'retention.hold-lift',
      hold,
      `hold ${hold.holdId}: ${hold.reference}`,
      requestId,
    );
    return hold;
  }

  /** The school's holds, in force first. */
  async list(actor: AccessActor, requestId?: string): Promise<LegalHold[]> {
    await authorizeRetention(this.deps.audit, actor, 'hold-list', requestId);
    return this.deps.holds.list(actor);
  }

  /** The holds in force over a record: on the school, any of its pupils, or the record itself. */
  async holdsOver(scope: SchoolScope, record: ScheduledRecord): Promise<LegalHold[]> {
    return this.deps.holds.inForceOn(scope, [
      scope.schoolId,
      record.scheduleId,
      ...record.pupilIds,
    ]);
  }

  /**
   * Refuses a disposal while any hold covers the record, saying which (its reference, what it
   * covers, when it was placed); the refusal is audited. Every disposal path asks this first.
   */
  async refuseIfHeld(
    actor: AccessActor,
    record: ScheduledRecord,
    requestId?: string,
  ): Promise<void> {
    const holds = await this.holdsOver(actor, record);
    if (holds.length === 0) return;
    const why = holds.map(
      (h) =>
        `legal hold ${h.reference} on ${covers(h)} (placed ${h.placedAt.toISOString().slice(0, 10)})`,
    );
    await this.deps.audit.record(
      auditEvent(actor, 'retention.dispose-refused', targetOf(record), {
        reason: `held: ${holds.map((h) => h.holdId).join(',')}`,
        requestId,
      }),
    );
    throw new AppError(
      'RETENTION.HELD',
      `${record.reference} cannot be disposed of: it is under ${why.join('; ')}. Lift the hold first if it no longer applies.`,
    );
  }

  private async audit(
    actor: AccessActor,
    action: 'retention.hold-place' | 'retention.hold-lift',
    hold: LegalHold,
    reason: string,
    requestId?: string,
  ) {
    const target =
      hold.scope === 'pupil'
        ? { kind: 'pupil' as const, id: hold.targetId }
        : hold.scope === 'school'
          ? { kind: 'school' as const, id: hold.targetId }
          : targetOf({
              recordKind: hold.targetId.startsWith('adult-concern:') ? 'adult-concern' : 'incident',
              recordId: hold.targetId.slice(hold.targetId.indexOf(':') + 1),
            });
    await this.deps.audit.record(auditEvent(actor, action, target, { reason, requestId }));
  }
}

function covers(hold: LegalHold): string {
  if (hold.scope === 'school') return 'the whole school';
  if (hold.scope === 'pupil') return 'this pupil';
  return `this record (${hold.targetReference})`;
}

/** The audit target of a scheduled record. */
export function targetOf(record: Pick<ScheduledRecord, 'recordKind' | 'recordId'>) {
  return record.recordKind === 'adult-concern'
    ? { kind: 'adult-concern' as const, id: record.recordId }
    : { kind: 'incident' as const, id: record.recordId };
}
