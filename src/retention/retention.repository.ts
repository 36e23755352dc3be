import { personSchemaFields } from '../store/person-fields';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  asBuffer,
  MongoWrappedKeyHolder,
  sealedNarrativeSchema,
  type NarrativeCipher,
  type SealedNarrative,
  type WrappedKeyHolder,
} from '../encryption';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { insertOnce } from '../store/insert-once';
import type { RetainDecision, RetentionRule, ScheduledRecord } from './retention.types';

const person = personSchemaFields;

type RuleDoc = RetentionRule & SchoolScope & { _id: string };
const ruleSchema = new Schema<RuleDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    recordType: { type: String, required: true },
    basis: { type: String, required: true },
    years: { type: Number, required: true },
  },
  { collection: 'retention_rules', strict: 'throw', versionKey: false },
);
ruleSchema.index({ tenantId: 1, schoolId: 1 });

type ScheduleDoc = ScheduledRecord & { _id: string };
const scheduleSchema = new Schema<ScheduleDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    scheduleId: { type: String, required: true },
    recordKind: { type: String, required: true },
    recordId: { type: String, required: true },
    reference: { type: String, required: true },
    pupilIds: { type: [String], default: [] },
    categoryIds: { type: [String], default: [] },
    happenedAt: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    rule: { type: String, required: true },
    reviewOn: { type: String, required: true },
    source: { type: String, required: true },
  },
  { collection: 'retention_schedule', strict: 'throw', versionKey: false },
);
// The school's records by review date: the due list and the desk's count read this.
scheduleSchema.index({ tenantId: 1, schoolId: 1, reviewOn: 1 });

type DecisionDoc = Omit<RetainDecision, 'reason'> & { _id: string; sealed: SealedNarrative };
const decisionSchema = new Schema<DecisionDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    scheduleId: { type: String, required: true },
    reviewOn: { type: String, required: true },
    by: person,
    at: { type: Date, required: true },
    sealed: { type: sealedNarrativeSchema, required: true },
  },
  { collection: 'retention_decisions', strict: 'throw', versionKey: false },
);
decisionSchema.index({ tenantId: 1, schoolId: 1, scheduleId: 1 });

const idOf = (scope: SchoolScope, key: string) => `${scope.tenantId}|${scope.schoolId}|${key}`;

/**
 * The school's retention rules, the schedule (one entry per record: its rule and review date) and
 * the reviews that kept a record (append-only, the reason sealed). The schedule is the one place
 * here that changes in place: a retain moves a date, a rule change re-dates, a disposal removes.
 */
export class RetentionRepository {
  private readonly rules: Model<RuleDoc>;
  private readonly schedule: Model<ScheduleDoc>;
  private readonly decisions: Model<DecisionDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.rules =
      connection.models.RetentionRule ?? connection.model<RuleDoc>('RetentionRule', ruleSchema);
    this.schedule =
      connection.models.RetentionSchedule ??
      connection.model<ScheduleDoc>('RetentionSchedule', scheduleSchema);
    this.decisions =
      connection.models.RetentionDecision ??
      connection.model<DecisionDoc>('RetentionDecision', decisionSchema);
  }

  /** The school's own rules, or none (the defaults apply). */
  async listRules(scope: SchoolScope): Promise<RetentionRule[]> {
    const docs = await this.rules.find(scoped(scope)).lean();
    return docs
      .map((d) => ({ recordType: d.recordType, basis: d.basis, years: d.years }))
      .sort((a, b) => a.recordType.localeCompare(b.recordType));
  }

  /** Replaces the school's rules with these (a handful of documents: written whole). */
  async replaceRules(scope: SchoolScope, rules: readonly RetentionRule[]): Promise<void> {
    const wanted = new Set(rules.map((r) => idOf(scope, r.recordType)));
    for (const rule of rules) {
      await this.rules.updateOne(
        { _id: idOf(scope, rule.recordType) },
        { $set: { ...scoped(scope), ...rule } },
        { upsert: true },
      );
    }
    await this.rules.deleteMany({ ...scoped(scope), _id: { $nin: [...wanted] } });
  }

  /** Schedules a record once; false when it already was (a repeated event, a start-up sweep). */
  async insertScheduled(record: ScheduledRecord): Promise<boolean> {
    return insertOnce(this.schedule, { _id: idOf(record, record.scheduleId), ...record });
  }

  async findScheduled(
    scope: SchoolScope,
    scheduleId: string,
  ): Promise<ScheduledRecord | undefined> {
    const doc = await this.schedule.findById(idOf(scope, scheduleId)).lean();
    return doc ? toScheduled(doc) : undefined;
  }

  /** Sets a record's review date (a retain, a re-dating rule, a concern's own new date). */
  async redate(
    scope: SchoolScope,
    scheduleId: string,
    next: Pick<ScheduledRecord, 'reviewOn' | 'rule' | 'source'>,
  ): Promise<void> {
    await this.schedule.updateOne(
      { _id: idOf(scope, scheduleId) },
      { $set: { reviewOn: next.reviewOn, rule: next.rule, source: next.source } },
    );
  }

  /** Records due on or before a date, earliest first. */
  async listDue(scope: SchoolScope, onOrBefore: string, limit: number): Promise<ScheduledRecord[]> {
    const docs = await this.schedule
      .find({ ...scoped(scope), reviewOn: { $lte: onOrBefore } })
      .sort({ reviewOn: 1, reference: 1 })
      .limit(limit)
      .lean();
    return docs.map(toScheduled);
  }

  async countDue(scope: SchoolScope, onOrBefore: string): Promise<number> {
    return this.schedule.countDocuments({ ...scoped(scope), reviewOn: { $lte: onOrBefore } });
  }

  /** The school's schedule entries dated by its rules (re-dated when the rules change). */
  async listRuleDated(scope: SchoolScope, limit: number): Promise<ScheduledRecord[]> {
    const docs = await this.schedule
      .find({ ...scoped(scope), source: 'rule' })
      .limit(limit)
      .lean();
    return docs.map(toScheduled);
  }

  /** The schedule ids the school has (the catch-up compares them with its records). */
  async scheduledIds(scope: SchoolScope): Promise<Set<string>> {
    const docs = await this.schedule.find(scoped(scope), { scheduleId: 1 }).lean();
    return new Set(docs.map((d) => d.scheduleId));
  }

  /** The school's adult-concern entries (their dates come from the concerns themselves). */
  async listOfKind(scope: SchoolScope, kind: ScheduledRecord['recordKind']) {
    const docs = await this.schedule.find({ ...scoped(scope), recordKind: kind }).lean();
    return docs.map(toScheduled);
  }

  async insertDecision(decision: RetainDecision & { decisionId: string }): Promise<void> {
    const { decisionId, reason, ...rest } = decision;
    await this.decisions.create({
      _id: decisionId,
      ...rest,
      by: { aadObjectId: rest.by.aadObjectId, displayName: rest.by.displayName },
      sealed: await this.cipher.seal({ reason }, `retention-decision:${decisionId}`),
    });
  }

  /** The reviews that kept a record, oldest first. */
  async decisionsOf(scope: SchoolScope, scheduleId: string): Promise<RetainDecision[]> {
    const docs = await this.decisions
      .find({ ...scoped(scope), scheduleId })
      .sort({ at: 1 })
      .lean();
    return Promise.all(
      docs.map(async (d) => {
        const opened = await this.cipher.open(d.sealed, `retention-decision:${d._id}`);
        return {
          tenantId: d.tenantId,
          schoolId: d.schoolId,
          scheduleId: d.scheduleId,
          reviewOn: d.reviewOn,
          by: { aadObjectId: d.by.aadObjectId, displayName: d.by.displayName },
          at: d.at,
          reason: String(opened.reason ?? ''),
        };
      }),
    );
  }

  /**
   * Disposal: the record's schedule entry and its reviews go (their reasons may speak of the
   * child); returns the reviews' wrapped keys so the cipher forgets them.
   */
  async removeForDisposal(scope: SchoolScope, scheduleId: string) {
    const decisions = await this.decisions.find({ ...scoped(scope), scheduleId }).lean();
    await this.decisions.collection.deleteMany({ ...scoped(scope), scheduleId });
    await this.schedule.deleteOne({ _id: idOf(scope, scheduleId) });
    return decisions.map((d) => ({
      keyId: d.sealed.keyId,
      wrappedKey: asBuffer(d.sealed.wrappedKey, 'wrapped key'),
    }));
  }

  /** Where key rotation finds the reviews' wrapped keys. */
  wrappedKeys(): WrappedKeyHolder {
    return new MongoWrappedKeyHolder(
      'retention_decisions',
      this.decisions.collection,
      'sealed',
      'string',
    );
  }
}

function toScheduled(doc: ScheduleDoc): ScheduledRecord {
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    scheduleId: doc.scheduleId,
    recordKind: doc.recordKind,
    recordId: doc.recordId,
    reference: doc.reference,
    pupilIds: [...doc.pupilIds],
    categoryIds: [...doc.categoryIds],
    happenedAt: doc.happenedAt,
    recordedAt: doc.recordedAt,
    rule: doc.rule,
    reviewOn: doc.reviewOn,
    source: doc.source,
  };
}
