import { Schema, type Connection, type Model } from 'mongoose';
import {
  MongoWrappedKeyHolder,
  sealedNarrativeSchema,
  type NarrativeCipher,
  type SealedNarrative,
  type WrappedKeyHolder,
} from '../encryption';
import { isDuplicateKeyError } from '../shared/errors';
import type { IncidentFormValues } from './incident.schemas';
import type { IncidentDraft } from './incident-draft.types';

/** A draft as stored: the form values as typed are narrative, so they are sealed whole. */
type DraftDoc = Omit<IncidentDraft, 'values'> & { sealedValues: SealedNarrative };

const draftSchema = new Schema<DraftDoc>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    aadObjectId: { type: String, required: true },
    draftId: { type: String, required: true },
    // Sealed afresh (new data key) on every save; src/encryption.
    sealedValues: { type: sealedNarrativeSchema, required: true },
    status: { type: String, required: true, enum: ['open', 'submitted', 'discarded'] },
    incidentId: { type: String },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'incident_drafts', strict: 'throw', minimize: false, versionKey: false },
);
draftSchema.index({ tenantId: 1, aadObjectId: 1, draftId: 1 }, { unique: true });
draftSchema.index({ tenantId: 1, aadObjectId: 1, status: 1, updatedAt: -1 });

type DraftOwner = Pick<IncidentDraft, 'tenantId' | 'schoolId' | 'aadObjectId'>;

/** Stores each person's unfinished incident forms, their values sealed. */
export class IncidentDraftRepository {
  private readonly model: Model<DraftDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.model =
      connection.models.IncidentDraft ?? connection.model<DraftDoc>('IncidentDraft', draftSchema);
  }

  /** The drafts' wrapped data keys, for key rotation. */
  wrappedKeys(): WrappedKeyHolder {
    return new MongoWrappedKeyHolder('incident_drafts', this.model.collection, 'sealedValues');
  }

  /**
   * Saves the values typed so far. A draft already submitted is left alone (a late retry of the
   * form must not reopen it).
   */
  async saveValues(
    owner: DraftOwner,
    draftId: string,
    values: IncidentFormValues,
    now: Date,
    /** Whether the caller already knows the draft exists (saves a read); looked up when absent. */
    known?: { exists: boolean },
  ): Promise<void> {
    const filter = { tenantId: owner.tenantId, aadObjectId: owner.aadObjectId, draftId };
    const sealedValues = await this.cipher.seal({ ...values }, contextOf(owner, draftId));
    const update = { $set: { sealedValues, updatedAt: now, schoolId: owner.schoolId } };
    const existing = known ? known.exists : (await this.model.exists(filter)) !== null;
    if (existing) {
      await this.model.updateOne({ ...filter, status: 'open' }, update);
      return;
    }
    try {
      await this.model.create({
        ...filter,
        schoolId: owner.schoolId,
        sealedValues,
        status: 'open',
        createdAt: now,
        updatedAt: now,
      });
    } catch (error) {
      // Two saves of a brand-new draft raced: the other created it, so update instead.
      if (!isDuplicateKeyError(error)) throw error;
      await this.model.updateOne({ ...filter, status: 'open' }, update);
    }
  }

  /** Marks a draft as turned into a record (or discarded); its values are kept until expiry. */
  async close(
    owner: DraftOwner,
    draftId: string,
    status: 'submitted' | 'discarded',
    incidentId?: string,
  ): Promise<void> {
    await this.model.updateOne(
      { tenantId: owner.tenantId, aadObjectId: owner.aadObjectId, draftId },
      { $set: { status, ...(incidentId ? { incidentId } : {}) } },
    );
  }

  /** One of the person's drafts, whatever its status. */
  async find(owner: DraftOwner, draftId: string): Promise<IncidentDraft | undefined> {
    const doc = await this.model
      .findOne({ tenantId: owner.tenantId, aadObjectId: owner.aadObjectId, draftId })
      .lean();
    return doc ? this.toDraft(doc) : undefined;
  }

  /** The person's most recent open draft, to offer when they type `report` again. */
  async latestOpen(owner: DraftOwner): Promise<IncidentDraft | undefined> {
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

  private async toDraft(doc: DraftDoc): Promise<IncidentDraft> {
    const values = await this.cipher.open(doc.sealedValues, contextOf(doc, doc.draftId));
    return {
      tenantId: doc.tenantId,
      schoolId: doc.schoolId,
      aadObjectId: doc.aadObjectId,
      draftId: doc.draftId,
      // The form as typed (strings only); parseIncidentForm checks them before any use.
      values: Object.fromEntries(
        Object.entries(values).filter(([, v]) => typeof v === 'string'),
      ) as IncidentFormValues,
      status: doc.status,
      incidentId: doc.incidentId,
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
    };
  }
}

/** A draft's values are bound to its owner and id: moved to another draft, they fail to open. */
function contextOf(owner: Pick<DraftDoc, 'tenantId' | 'aadObjectId'>, draftId: string): string {
  return `draft:${owner.tenantId}:${owner.aadObjectId}:${draftId}`;
}
