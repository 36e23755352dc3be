import { Schema, type Connection, type Model } from 'mongoose';
import {
  MongoWrappedKeyHolder,
  sealedNarrativeSchema,
  type NarrativeCipher,
  type SealedNarrative,
  type WrappedKeyHolder,
} from '../encryption';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { refuseChanges } from '../store/append-only';
import { insertOnce } from '../store/insert-once';
import type { PupilStatus, PupilStatusChange } from './pupil-status.types';

/** As stored: who, when, which fields and from where stay readable; the values and the reason are sealed. */
interface StatusChangeDocument {
  _id: string;
  tenantId: string;
  schoolId: string;
  pupilId: string;
  sequence: number;
  changedFields: string[];
  changedBy: { aadObjectId: string; displayName: string };
  changedAt: Date;
  source: 'tab' | 'import';
  sealed: SealedNarrative;
}

const statusChangeSchema = new Schema<StatusChangeDocument>(
  {
    // <tenant>|<school>|<pupil>|<sequence>: a sequence is claimed by inserting against the
    // primary key, so two changes at once become 4 and 5, never two 4s.
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    pupilId: { type: String, required: true },
    sequence: { type: Number, required: true },
    changedFields: { type: [String], required: true },
    changedBy: {
      aadObjectId: { type: String, required: true },
      displayName: { type: String, required: true },
    },
    changedAt: { type: Date, required: true },
    source: { type: String, required: true, enum: ['tab', 'import'] },
    sealed: { type: sealedNarrativeSchema, required: true },
  },
  { collection: 'pupil_status_changes', strict: 'throw', versionKey: false },
);
statusChangeSchema.index({ tenantId: 1, schoolId: 1, pupilId: 1, sequence: 1 }, { unique: true });
// A status is a history: a change is a new entry, never an edit (rotation re-wraps keys below
// the model, through MongoWrappedKeyHolder).
refuseChanges(statusChangeSchema, 'PUPIL_STATUS.IMMUTABLE', 'pupil status changes');

const keyOf = (c: SchoolScope & { pupilId: string; sequence: number }) =>
  `${c.tenantId}|${c.schoolId}|${c.pupilId}|${c.sequence}`;
const contextOf = (key: string) => `pupil-status:${key}`;

/** Stores each pupil's status as an append-only, sealed history. */
export class PupilStatusRepository {
  private readonly model: Model<StatusChangeDocument>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.model =
      connection.models.PupilStatusChange ??
      connection.model<StatusChangeDocument>('PupilStatusChange', statusChangeSchema);
  }

  /** Appends a change; false when its sequence was taken meanwhile (read again and retry). */
  async insert(change: PupilStatusChange): Promise<boolean> {
    const _id = keyOf(change);
    const sealed = await this.cipher.seal(
      { status: change.status, reason: change.reason },
      contextOf(_id),
    );
    return insertOnce(this.model, {
      _id,
      ...scoped(change),
      pupilId: change.pupilId,
      sequence: change.sequence,
      changedFields: [...change.changedFields],
      changedBy: { ...change.changedBy },
      changedAt: change.changedAt,
      source: change.source,
      sealed,
    });
  }

  /** The latest changes of a pupil, newest first (the first is the status now). */
  async history(scope: SchoolScope, pupilId: string, limit: number): Promise<PupilStatusChange[]> {
    const docs = await this.model
      .find({ ...scoped(scope), pupilId })
      .sort({ sequence: -1 })
      .limit(limit)
      .lean();
    return Promise.all(docs.map((doc) => this.toChange(doc)));
  }

  /**
   * Every status version of these pupils, oldest first (reports place each concern against the
   * status its pupil had then). Opens the status only; the reasons are dropped unread by callers.
   */
  async statusHistoriesOf(
    scope: SchoolScope,
    pupilIds: readonly string[],
  ): Promise<{ pupilId: string; changedAt: Date; status: PupilStatus }[]> {
    const found: { pupilId: string; sequence: number; changedAt: Date; status: PupilStatus }[] = [];
    // 100 at a time: on the embedded store a long `$in` costs more than its length.
    for (let i = 0; i < pupilIds.length; i += 100) {
      const docs = await this.model
        .find({ ...scoped(scope), pupilId: { $in: pupilIds.slice(i, i + 100) } })
        .lean();
      for (const doc of docs) {
        const change = await this.toChange(doc);
        found.push({ ...change, changedAt: change.changedAt });
      }
    }
    return found
      .sort((a, b) => a.pupilId.localeCompare(b.pupilId) || a.sequence - b.sequence)
      .map(({ pupilId, changedAt, status }) => ({ pupilId, changedAt, status }));
  }

  /** Where rotation finds this collection's wrapped data keys. */
  wrappedKeys(): WrappedKeyHolder {
    return new MongoWrappedKeyHolder(
      'pupil_status_changes',
      this.model.collection,
      'sealed',
      'string',
    );
  }

  private async toChange(doc: StatusChangeDocument): Promise<PupilStatusChange> {
    const opened = (await this.cipher.open(doc.sealed, contextOf(doc._id))) as {
      status: PupilStatus;
      reason: string;
    };
    return {
      tenantId: doc.tenantId,
      schoolId: doc.schoolId,
      pupilId: doc.pupilId,
      sequence: doc.sequence,
      status: opened.status,
      changedFields: doc.changedFields as (keyof PupilStatus)[],
      reason: opened.reason,
      changedBy: { aadObjectId: doc.changedBy.aadObjectId, displayName: doc.changedBy.displayName },
      changedAt: new Date(doc.changedAt),
      source: doc.source,
    };
  }
}
