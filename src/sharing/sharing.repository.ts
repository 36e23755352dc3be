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
import { refuseChanges } from '../store/append-only';
import { insertOnce } from '../store/insert-once';
import type { SharingEntry } from './sharing.types';

/** What is sealed: the words of an entry (what, to whom, why); ids and dates stay readable. */
type SealedPart = Pick<SharingEntry, 'what' | 'recipient' | 'why'>;

interface SharingDocument extends Omit<SharingEntry, keyof SealedPart | 'pupilIds'> {
  _id: string;
  pupilIds: string[];
  sealed: SealedNarrative;
}

const who = personSchemaFields;

const sharingSchema = new Schema<SharingDocument>(
  {
    // <tenant>|<school>|<entry id>; an entry a feature adds uses <source>:<source id> as its id,
    // so a repeated event adds it once.
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    entryId: { type: String, required: true },
    kind: { type: String, required: true, enum: ['disclosure', 'not-shared'] },
    pupilIds: { type: [String], required: true },
    incidentId: { type: String },
    reference: { type: String },
    at: { type: Date, required: true },
    lawfulBasis: { type: String },
    decidedBy: who,
    recordedBy: who,
    recordedAt: { type: Date, required: true },
    source: { type: String, required: true, enum: ['tab', 'referral', 'transfer'] },
    sourceId: { type: String },
    sealed: { type: sealedNarrativeSchema, required: true },
  },
  { collection: 'sharing_log', strict: 'throw', versionKey: false },
);
sharingSchema.index({ tenantId: 1, schoolId: 1, pupilIds: 1, at: -1 });
refuseChanges(sharingSchema, 'SHARING.IMMUTABLE', 'information-sharing log entries');

/** The information-sharing log at rest: append-only, its words sealed. */
export class SharingRepository {
  private readonly model: Model<SharingDocument>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.model =
      connection.models.SharingEntry ??
      connection.model<SharingDocument>('SharingEntry', sharingSchema);
  }

  /** True when this call added the entry; false when its id was logged before. */
  async insert(entry: SharingEntry): Promise<boolean> {
    const _id = `${entry.tenantId}|${entry.schoolId}|${entry.entryId}`;
    const { what, recipient, why, ...open } = entry;
    return insertOnce(this.model, {
      ...open,
      _id,
      ...scoped(entry),
      pupilIds: [...entry.pupilIds],
      decidedBy: { ...entry.decidedBy },
      recordedBy: { ...entry.recordedBy },
      sealed: await this.cipher.seal({ what, recipient, why }, `sharing:${_id}`),
    });
  }

  /** A pupil's entries, newest first. */
  async listForPupil(scope: SchoolScope, pupilId: string, limit: number): Promise<SharingEntry[]> {
    const docs = await this.model
      .find({ ...scoped(scope), pupilIds: pupilId })
      .sort({ at: -1, _id: -1 })
      .limit(limit)
      .lean();
    return Promise.all(docs.map((doc) => this.toEntry(doc)));
  }

  /** Where rotation finds the log's wrapped data keys. */
  wrappedKeys(): WrappedKeyHolder {
    return new MongoWrappedKeyHolder('sharing_log', this.model.collection, 'sealed', 'string');
  }

  private async toEntry(doc: SharingDocument): Promise<SharingEntry> {
    const words = (await this.cipher.open(doc.sealed, `sharing:${doc._id}`)) as SealedPart;
    return {
      tenantId: doc.tenantId,
      schoolId: doc.schoolId,
      entryId: doc.entryId,
      kind: doc.kind,
      pupilIds: [...doc.pupilIds],
      ...(doc.incidentId ? { incidentId: doc.incidentId } : {}),
      ...(doc.reference ? { reference: doc.reference } : {}),
      what: words.what,
      recipient: words.recipient,
      at: new Date(doc.at),
      why: words.why,
      ...(doc.lawfulBasis ? { lawfulBasis: doc.lawfulBasis } : {}),
      decidedBy: { aadObjectId: doc.decidedBy.aadObjectId, displayName: doc.decidedBy.displayName },
      recordedBy: {
        aadObjectId: doc.recordedBy.aadObjectId,
        displayName: doc.recordedBy.displayName,
      },
      recordedAt: new Date(doc.recordedAt),
      source: doc.source,
      ...(doc.sourceId ? { sourceId: doc.sourceId } : {}),
    };
  }
}
