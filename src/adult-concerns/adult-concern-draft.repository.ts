import { Schema, type Connection, type Model } from 'mongoose';
import {
  MongoWrappedKeyHolder,
  sealedNarrativeSchema,
  type NarrativeCipher,
  type SealedNarrative,
  type WrappedKeyHolder,
} from '../encryption';
import type { SchoolScope } from '../shared/school-scope';
import { insertOnce } from '../store/insert-once';
import type { AdultConcernFormValues } from './adult-concern.schemas';

/** An unfinished concern form, as its owner left it. `draftId` is the record's idempotency key. */
export interface AdultConcernDraft extends SchoolScope {
  readonly aadObjectId: string;
  readonly draftId: string;
  readonly values: AdultConcernFormValues;
  readonly status: 'open' | 'submitted' | 'discarded';
  readonly concernId: string | undefined;
  readonly updatedAt: Date;
}

type DraftDoc = Omit<AdultConcernDraft, 'values'> & {
  sealedValues: SealedNarrative;
  createdAt: Date;
};

// Its own collection, apart from the pupil forms' drafts: `report` never offers one of these.
const draftSchema = new Schema<DraftDoc>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    aadObjectId: { type: String, required: true },
    draftId: { type: String, required: true },
    sealedValues: { type: sealedNarrativeSchema, required: true },
    status: { type: String, required: true, enum: ['open', 'submitted', 'discarded'] },
    concernId: { type: String },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'adult_concern_drafts', strict: 'throw', minimize: false, versionKey: false },
);
draftSchema.index({ tenantId: 1, aadObjectId: 1, draftId: 1 }, { unique: true });
draftSchema.index({ tenantId: 1, aadObjectId: 1, status: 1, updatedAt: -1 });

type Owner = SchoolScope & { readonly aadObjectId: string };

/** Each person's unfinished concern-about-an-adult forms, their values sealed. */
export class AdultConcernDraftRepository {
  private readonly model: Model<DraftDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.model =
      (connection.models.AdultConcernDraft as Model<DraftDoc> | undefined) ??
      connection.model<DraftDoc>('AdultConcernDraft', draftSchema);
  }

  /** The drafts' wrapped data keys, for key rotation. */
  wrappedKeys(): WrappedKeyHolder {
    return new MongoWrappedKeyHolder('adult_concern_drafts', this.model.collection, 'sealedValues');
  }

  /** Saves the values typed so far; a draft already submitted is left alone. */
  async saveValues(
    owner: Owner,
    draftId: string,
    values: AdultConcernFormValues,
    now: Date,
  ): Promise<void> {
    const filter = { tenantId: owner.tenantId, aadObjectId: owner.aadObjectId, draftId };
    const sealedValues = await this.cipher.seal({ ...values }, contextOf(owner, draftId));
    const created = await insertOnce(this.model, {
      ...filter,
      schoolId: owner.schoolId,
      sealedValues,
      status: 'open',
      createdAt: now,
      updatedAt: now,
    });
    if (!created) {
      await this.model.updateOne(
        { ...filter, status: 'open' },
        { $set: { sealedValues, updatedAt: now } },
      );
    }
  }

  /** Marks a draft as recorded (or discarded). */
  async close(
    owner: Owner,
    draftId: string,
    status: 'submitted' | 'discarded',
    concernId?: string,
  ): Promise<void> {
    await this.model.updateOne(
      { tenantId: owner.tenantId, aadObjectId: owner.aadObjectId, draftId },
      { $set: { status, ...(concernId ? { concernId } : {}) } },
    );
  }

  /** One of the person's drafts, whatever its status. */
  async find(owner: Owner, draftId: string): Promise<AdultConcernDraft | undefined> {
    const doc = await this.model
      .findOne({ tenantId: owner.tenantId, aadObjectId: owner.aadObjectId, draftId })
      .lean();
    return doc ? this.toDraft(doc) : undefined;
  }

  /** The person's newest open draft, offered when they start again. */
  async latestOpen(owner: Owner): Promise<AdultConcernDraft | undefined> {
    const [doc] = await this.model
      .find({
        tenantId: owner.tenantId,
        aadObjectId: owner.aadObjectId,
        schoolId: owner.schoolId,
        status: 'open',
      })
      .sort({ updatedAt: -1 })
      .limit(1)
      .lean();
    return doc ? this.toDraft(doc) : undefined;
  }

  private async toDraft(doc: DraftDoc): Promise<AdultConcernDraft> {
    const values = await this.cipher.open(doc.sealedValues, contextOf(doc, doc.draftId));
    return {
      tenantId: doc.tenantId,
      schoolId: doc.schoolId,
      aadObjectId: doc.aadObjectId,
      draftId: doc.draftId,
      values: Object.fromEntries(
        Object.entries(values).filter(([, v]) => typeof v === 'string'),
      ) as AdultConcernFormValues,
      status: doc.status,
      concernId: doc.concernId ?? undefined,
      updatedAt: doc.updatedAt,
    };
  }
}

function contextOf(owner: Pick<DraftDoc, 'tenantId' | 'aadObjectId'>, draftId: string): string {
  return `adult-concern-draft:${owner.tenantId}:${owner.aadObjectId}:${draftId}`;
}
