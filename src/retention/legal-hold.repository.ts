import { personSchemaFields } from '../store/person-fields';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  MongoWrappedKeyHolder,
  sealedNarrativeSchema,
  type NarrativeCipher,
  type SealedNarrative,
  type WrappedKeyHolder,
} from '../encryption';
import { scoped, type SchoolScope } from '../shared/school-scope';
import type { LegalHold, Tombstone } from './retention.types';

const person = personSchemaFields;

type HoldDoc = Omit<LegalHold, 'reason' | 'lifted'> & {
  _id: string;
  sealed: SealedNarrative;
  lifted?: { by: LegalHold['placedBy']; at: Date };
  /** The lift's reason, sealed (top level, where key rotation finds envelopes). */
  sealedLift?: SealedNarrative;
};
const holdSchema = new Schema<HoldDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    holdId: { type: String, required: true },
    scope: { type: String, required: true },
    targetId: { type: String, required: true },
    targetReference: { type: String, default: '' },
    reference: { type: String, required: true },
    placedBy: person,
    placedAt: { type: Date, required: true },
    sealed: { type: sealedNarrativeSchema, required: true },
    lifted: { type: new Schema({ by: person, at: Date }, { _id: false, strict: 'throw' }) },
    sealedLift: { type: sealedNarrativeSchema },
  },
  { collection: 'legal_holds', strict: 'throw', versionKey: false },
);
holdSchema.index({ tenantId: 1, schoolId: 1 });

type TombstoneDoc = Tombstone & { _id: string };
const tombstoneSchema = new Schema<TombstoneDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    scheduleId: { type: String, required: true },
    recordKind: { type: String, required: true },
    recordId: { type: String, required: true },
    reference: { type: String, required: true },
    happenedAt: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    categoryIds: { type: [String], default: [] },
    rule: { type: String, required: true },
    disposedBy: person,
    disposedAt: { type: Date, required: true },
    certificateId: { type: String, required: true },
  },
  { collection: 'disposed_records', strict: 'throw', versionKey: false },
);
tombstoneSchema.index({ tenantId: 1, schoolId: 1, disposedAt: -1 });

const idOf = (scope: SchoolScope, key: string) => `${scope.tenantId}|${scope.schoolId}|${key}`;

/**
 * Legal holds (the reason sealed; the reference in clear, as every refusal names it) and the
 * tombstones of disposed records. A hold is placed once and lifted once: lifting sets `lifted` on
 * a hold that has none, so two lifts at once cannot both count.
 */
export class LegalHoldRepository {
  private readonly holds: Model<HoldDoc>;
  private readonly tombstones: Model<TombstoneDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.holds = connection.models.LegalHold ?? connection.model<HoldDoc>('LegalHold', holdSchema);
    this.tombstones =
      connection.models.DisposedRecord ??
      connection.model<TombstoneDoc>('DisposedRecord', tombstoneSchema);
  }

  async insertHold(hold: LegalHold): Promise<void> {
    const { reason, lifted: _lifted, ...rest } = hold;
    await this.holds.create({
      _id: idOf(hold, hold.holdId),
      ...rest,
      placedBy: { aadObjectId: hold.placedBy.aadObjectId, displayName: hold.placedBy.displayName },
      sealed: await this.cipher.seal({ reason }, `legal-hold:${hold.holdId}`),
    });
  }

  /** Lifts a hold in force; false when there is none by that id (or it was lifted meanwhile). */
  async lift(scope: SchoolScope, holdId: string, lifted: NonNullable<LegalHold['lifted']>) {
    const sealed = await this.cipher.seal({ reason: lifted.reason }, `legal-hold-lift:${holdId}`);
    const result = await this.holds.updateOne(
      { _id: idOf(scope, holdId), lifted: { $exists: false } },
      { $set: { lifted: { by: { ...lifted.by }, at: lifted.at }, sealedLift: sealed } },
    );
    return result.modifiedCount === 1;
  }

  /** The school's holds, in force first then lifted, newest first (a school has a handful). */
  async list(scope: SchoolScope): Promise<LegalHold[]> {
    const docs = await this.holds.find(scoped(scope)).sort({ placedAt: -1 }).limit(500).lean();
    const holds = await Promise.all(docs.map((d) => this.toHold(d)));
    return [...holds.filter((h) => !h.lifted), ...holds.filter((h) => h.lifted)];
  }

  async find(scope: SchoolScope, holdId: string): Promise<LegalHold | undefined> {
    const doc = await this.holds.findById(idOf(scope, holdId)).lean();
    return doc ? this.toHold(doc) : undefined;
  }

  /** Holds in force on any of these targets (the school, its pupils, the record). */
  async inForceOn(scope: SchoolScope, targetIds: readonly string[]): Promise<LegalHold[]> {
    const docs = await this.holds
      .find({ ...scoped(scope), targetId: { $in: [...targetIds] }, lifted: { $exists: false } })
      .lean();
    return Promise.all(docs.map((d) => this.toHold(d)));
  }

  /** Leaves the tombstone once; false when a disposal under way before already left it. */
  async insertTombstone(tombstone: Tombstone): Promise<boolean> {
    try {
      await this.tombstones.create({ _id: idOf(tombstone, tombstone.scheduleId), ...tombstone });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 11000) return false;
      throw error;
    }
  }

  async findTombstone(scope: SchoolScope, scheduleId: string): Promise<Tombstone | undefined> {
    const doc = await this.tombstones.findById(idOf(scope, scheduleId)).lean();
    return doc ? toTombstone(doc) : undefined;
  }

  /** The school's disposals, newest first. */
  async listTombstones(scope: SchoolScope, limit: number): Promise<Tombstone[]> {
    const docs = await this.tombstones
      .find(scoped(scope))
      .sort({ disposedAt: -1 })
      .limit(limit)
      .lean();
    return docs.map(toTombstone);
  }

  /** Where key rotation finds the holds' wrapped keys (the reason, and a lift's reason). */
  wrappedKeys(): WrappedKeyHolder[] {
    return [
      new MongoWrappedKeyHolder('legal_holds', this.holds.collection, 'sealed', 'string'),
      new MongoWrappedKeyHolder('legal_holds.lift', this.holds.collection, 'sealedLift', 'string'),
    ];
  }

  private async toHold(d: HoldDoc): Promise<LegalHold> {
    const { reason } = (await this.cipher.open(d.sealed, `legal-hold:${d.holdId}`)) as {
      reason: string;
    };
    const lifted =
      d.lifted && d.sealedLift
        ? {
            by: { aadObjectId: d.lifted.by.aadObjectId, displayName: d.lifted.by.displayName },
            at: d.lifted.at,
            reason: String(
              (await this.cipher.open(d.sealedLift, `legal-hold-lift:${d.holdId}`)).reason ?? '',
            ),
          }
        : undefined;
    return {
      tenantId: d.tenantId,
      schoolId: d.schoolId,
      holdId: d.holdId,
      scope: d.scope,
      targetId: d.targetId,
      targetReference: d.targetReference ?? '',
      reason,
      reference: d.reference,
      placedBy: { aadObjectId: d.placedBy.aadObjectId, displayName: d.placedBy.displayName },
      placedAt: d.placedAt,
      ...(lifted ? { lifted } : {}),
    };
  }
}

function toTombstone(d: TombstoneDoc): Tombstone {
  return {
    tenantId: d.tenantId,
    schoolId: d.schoolId,
    scheduleId: d.scheduleId,
    recordKind: d.recordKind,
    recordId: d.recordId,
    reference: d.reference,
    happenedAt: d.happenedAt,
    recordedAt: d.recordedAt,
    categoryIds: [...d.categoryIds],
    rule: d.rule,
    disposedBy: { aadObjectId: d.disposedBy.aadObjectId, displayName: d.disposedBy.displayName },
    disposedAt: d.disposedAt,
    certificateId: d.certificateId,
  };
}
