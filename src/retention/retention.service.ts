import { randomUUID } from 'node:crypto';
import type { AccessActor } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import { pupilDisplayName, type Pupil } from '../pupils';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import type { DisposalService } from './disposal.service';
import type { LegalHoldRepository } from './legal-hold.repository';
import { targetOf, type LegalHoldService } from './legal-holds.service';
import { authorizeRetention, parseOrInvalid } from './retention-access';
import { DEFAULT_RETENTION_RULES, retentionRulesSchema } from './retention-rules';
import type { AdultConcernDates, RecordHeader, RetentionScheduler } from './retention-schedule';
import type { RetentionRepository } from './retention.repository';
import { reviewOutcomeSchema } from './retention.schemas';
import type { RetentionRule, ScheduledRecord, ShredCounts, Tombstone } from './retention.types';

const MOST_DUE = 500;
// A school's whole record: the catch-up reads headers only (no narrative is opened).
const MOST_RECORDS = 50_000;

export interface RetentionServiceDeps {
  readonly store: Pick<
    RetentionRepository,
    | 'listRules'
    | 'replaceRules'
    | 'findScheduled'
    | 'listDue'
    | 'countDue'
    | 'redate'
    | 'insertDecision'
    | 'decisionsOf'
  >;
  readonly tombstones: Pick<LegalHoldRepository, 'listTombstones' | 'findTombstone'>;
  readonly scheduler: RetentionScheduler;
  readonly holds: Pick<LegalHoldService, 'holdsOver'>;
  readonly disposal: Pick<DisposalService, 'dispose'>;
  readonly pupils: { findPupils(scope: SchoolScope, ids: readonly string[]): Promise<Pupil[]> };
  readonly lists: {
    listCategories(scope: SchoolScope): Promise<{ categoryId: string; name: string }[]>;
  };
  /** incidents/: the school's record headers (no narrative), for the schedule's catch-up. */
  readonly records: {
    listRecentIn(scope: SchoolScope, since: Date, limit: number): Promise<RecordHeader[]>;
  };
  /** adult-concerns/: the school's concerns with their own stored retention decision. */
  readonly adultConcerns: {
    listRecent(scope: SchoolScope, limit: number): Promise<AdultConcernDates[]>;
  };
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

/** A record due for review as the team's list shows it. */
export interface DueRecord {
  readonly record: ScheduledRecord;
  readonly pupilName: string;
  readonly categoryNames: readonly string[];
  readonly lastRetained?: { readonly reason: string; readonly byName: string; readonly at: Date };
  readonly holds: readonly { readonly holdId: string; readonly reference: string }[];
}

export type ReviewOutcome =
  | { readonly decision: 'retained'; readonly record: ScheduledRecord }
  | { readonly decision: 'disposed'; readonly tombstone: Tombstone; readonly removed: ShredCounts };

/**
 * Retention for the team: the rules per record type (read and changed, audited), the records
 * due for review on the school's calendar date, and each review's outcome: retain (with a reason
 * and a new date) or dispose (crypto-shredding, refused under a legal hold).
 */
export class RetentionService {
  constructor(private readonly deps: RetentionServiceDeps) {}

  async rules(actor: AccessActor, requestId?: string) {
    await authorizeRetention(this.deps.audit, actor, 'rules-view', requestId);
    const own = await this.deps.store.listRules(actor);
    await this.audit(actor, 'retention.rules-view', 'rules', requestId);
    return {
      rules: own.length > 0 ? own : [...DEFAULT_RETENTION_RULES],
      isDefault: own.length === 0,
    };
  }

  /** Replaces the rules; records dated by rule (not yet retained) take their new dates. */
  async setRules(actor: AccessActor, raw: unknown, requestId?: string) {
    await authorizeRetention(this.deps.audit, actor, 'rules-change', requestId);
    const { rules } = parseOrInvalid(retentionRulesSchema, raw);
    const categories = new Set(
      (await this.deps.lists.listCategories(actor)).map((c) => c.categoryId),
    );
    const unknown = rules.find((r) => r.recordType !== 'default' && !categories.has(r.recordType));
    if (unknown) {
      throw new AppError(
        'RETENTION.INVALID',
        `"${unknown.recordType}" is not one of the school's categories.`,
      );
    }
    await this.deps.store.replaceRules(actor, rules as RetentionRule[]);
    await this.catchUp(actor);
    const redated = await this.deps.scheduler.redateByRules(actor);
    await this.audit(
      actor,
      'retention.rules-change',
      `rules: ${rules.length}; re-dated ${redated}`,
      requestId,
    );
    return { rules, isDefault: false, redated };
  }

  /** Records due for review today or earlier, but any about a pupil the reader has a conflict with. */
  async due(actor: AccessActor, requestId?: string): Promise<DueRecord[]> {
    await authorizeRetention(this.deps.audit, actor, 'list', requestId);
    await this.catchUp(actor);
    // Concerns about adults carry their own dates, moved by their outcome: brought in line here.
    for (const concern of await this.deps.adultConcerns.listRecent(actor, MOST_DUE)) {
      await this.deps.scheduler.scheduleAdultConcern(concern);
    }
    const due = (await this.deps.store.listDue(actor, this.today(), MOST_DUE)).filter(
      (r) => !r.pupilIds.some((p) => actor.conflictPupilIds.includes(p)),
    );
    const subjects = [...new Set(due.map((r) => r.pupilIds[0]).filter((p): p is string => !!p))];
    const pupils = new Map(
      (await this.deps.pupils.findPupils(actor, subjects)).map((p) => [p.pupilId, p]),
    );
    const names = new Map(
      (await this.deps.lists.listCategories(actor)).map((c) => [c.categoryId, c.name]),
    );
    const lines: DueRecord[] = [];
    for (const record of due) {
      const [last] = (await this.deps.store.decisionsOf(actor, record.scheduleId)).slice(-1);
      const pupil = pupils.get(record.pupilIds[0] ?? '');
      lines.push({
        record,
        pupilName: pupil
          ? pupilDisplayName(pupil)
          : record.recordKind === 'adult-concern'
            ? 'Concern about an adult'
            : 'Pupil no longer in the directory',
        categoryNames: record.categoryIds.map((id) => names.get(id) ?? id),
        ...(last
          ? { lastRetained: { reason: last.reason, byName: last.by.displayName, at: last.at } }
          : {}),
        holds: (await this.deps.holds.holdsOver(actor, record)).map((h) => ({
          holdId: h.holdId,
          reference: h.reference,
        })),
      });
    }
    await this.audit(actor, 'retention.list', `due: ${lines.length}`, requestId);
    return lines;
  }

  /** How many records are due for review today (the desk's line: a count, nothing read). */
  async dueCount(scope: SchoolScope): Promise<number> {
    return this.deps.store.countDue(scope, this.today());
  }

  /** A review's outcome. Every disposal passes the legal holds (DisposalService asks them). */
  async decide(
    actor: AccessActor,
    scheduleId: string,
    raw: unknown,
    requestId?: string,
  ): Promise<ReviewOutcome> {
    await authorizeRetention(this.deps.audit, actor, 'review', requestId);
    const outcome = parseOrInvalid(reviewOutcomeSchema, raw);
    const record = await this.deps.store.findScheduled(actor, scheduleId);
    if (!record) {
      const gone = await this.deps.tombstones.findTombstone(actor, scheduleId);
      if (gone) {
        throw new AppError(
          'RETENTION.DISPOSED',
          `${gone.reference} was disposed of on ${gone.disposedAt.toISOString().slice(0, 10)} under rule ${gone.rule}.`,
        );
      }
      throw new AppError('RETENTION.NOT_FOUND', 'no such record on the retention schedule');
    }
    if (record.pupilIds.some((p) => actor.conflictPupilIds.includes(p))) {
      throw new AppError('RETENTION.NOT_FOUND', 'no such record on the retention schedule');
    }
    const today = this.today();
    if (record.reviewOn > today) {
      throw new AppError(
        'RETENTION.INVALID',
        `This record is not due for review until ${record.reviewOn}.`,
      );
    }
    if (outcome.decision === 'dispose') {
      const { tombstone, removed } = await this.deps.disposal.dispose(actor, record, requestId);
      return { decision: 'disposed', tombstone, removed };
    }
    if (outcome.reviewOn <= today) {
      throw new AppError('RETENTION.INVALID', 'The next review date must be after today.');
    }
    await this.deps.store.insertDecision({
      decisionId: randomUUID(),
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      scheduleId,
      reason: outcome.reason,
      reviewOn: outcome.reviewOn,
      by: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      at: this.deps.clock.now(),
    });
    const next = { reviewOn: outcome.reviewOn, rule: record.rule, source: 'retained' as const };
    await this.deps.store.redate(actor, scheduleId, next);
    await this.deps.scheduler.queueReview({ ...record, ...next });
    await this.deps.audit.record(
      auditEvent(actor, 'retention.retain', targetOf(record), {
        reason: `retained until ${outcome.reviewOn}`,
        requestId,
      }),
    );
    return { decision: 'retained', record: { ...record, ...next } };
  }

  /** The school's disposals (their tombstones), newest first. */
  async disposed(actor: AccessActor, requestId?: string): Promise<Tombstone[]> {
    await authorizeRetention(this.deps.audit, actor, 'disposed-list', requestId);
    return this.deps.tombstones.listTombstones(actor, 200);
  }

  /** Records no event brought (or stored before retention ran) join the schedule first. */
  private async catchUp(scope: SchoolScope): Promise<void> {
    const records = await this.deps.records.listRecentIn(scope, new Date(0), MOST_RECORDS);
    await this.deps.scheduler.catchUp(scope, records);
  }

  private today(): string {
    return this.deps.scheduler.dayOf(this.deps.clock.now());
  }

  private async audit(
    actor: AccessActor,
    action: 'retention.rules-view' | 'retention.rules-change' | 'retention.list',
    reason: string,
    requestId?: string,
  ) {
    await this.deps.audit.record(
      auditEvent(actor, action, { kind: 'school', id: actor.schoolId }, { reason, requestId }),
    );
  }
}
