import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';
import type { IncidentFormValues } from './incident.schemas';
import type { IncidentDraft } from './incident-draft.types';

const draftSchema = new Schema<IncidentDraft>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    aadObjectId: { type: String, required: true },
    draftId: { type: String, required: true },
    values: { type: Schema.Types.Mixed, required: true },
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

/** Stores each person's unfinished incident forms. */
export class IncidentDraftRepository {
  private readonly model: Model<IncidentDraft>;

  constructor(connection: Connection) {
    this.model =
      connection.models.IncidentDraft ??
      connection.model<IncidentDraft>('IncidentDraft', draftSchema);
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
    const update = { $set: { values, updatedAt: now, schoolId: owner.schoolId } };
    const existing = known ? known.exists : (await this.model.exists(filter)) !== null;
    if (existing) {
      await this.model.updateOne({ ...filter, status: 'open' }, update);
      return;
    }
    try {
      await this.model.create({
        ...filter,
        schoolId: owner.schoolId,
        values,
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
    return doc ? toDraft(doc) : undefined;
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
    return doc ? toDraft(doc) : undefined;
  }
}

function toDraft(doc: IncidentDraft): IncidentDraft {
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    aadObjectId: doc.aadObjectId,
    draftId: doc.draftId,
    values: { ...doc.values },
    status: doc.status,
    incidentId: doc.incidentId,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
