import { Schema, type Connection, type Model } from 'mongoose';
import { scoped, type SchoolScope } from '../shared/school-scope';
import type { IncidentFileEntry } from './file.types';
import { refuseChanges } from '../store/append-only';

const entrySchema = new Schema<IncidentFileEntry>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    incidentId: { type: String, required: true },
    fileId: { type: String, required: true },
    name: { type: String, required: true },
    size: { type: Number, required: true },
    contentType: { type: String, required: true },
    uploadedBy: {
      aadObjectId: { type: String, required: true },
      displayName: { type: String, required: true },
    },
    uploadedAt: { type: Date, required: true },
    attachedAt: { type: Date, required: true },
  },
  { collection: 'incident_files', strict: 'throw', minimize: false, versionKey: false },
);
// A file belongs to one record: a double click inserts once, and the loser finds the winner here.
entrySchema.index({ fileId: 1 }, { unique: true });
entrySchema.index({ tenantId: 1, schoolId: 1, incidentId: 1, attachedAt: 1 });

// Entries are part of the record, which is immutable: refuse every update or delete path.
refuseChanges(entrySchema, 'FILE.ENTRY_IMMUTABLE', 'incident file entries');

/** Stores which files are on which record; inserts and reads only. */
export class IncidentFileRepository {
  private readonly model: Model<IncidentFileEntry>;

  constructor(connection: Connection) {
    this.model =
      connection.models.IncidentFile ??
      connection.model<IncidentFileEntry>('IncidentFile', entrySchema);
  }

  /** Inserts an entry; a file already on a record fails with code 11000. */
  async insert(entry: IncidentFileEntry): Promise<void> {
    await this.model.create(entry);
  }

  /** The entry that put this file on a record, if any, within the school. */
  async findByFileId(scope: SchoolScope, fileId: string): Promise<IncidentFileEntry | undefined> {
    const doc = await this.model.findOne({ ...scoped(scope), fileId }).lean();
    return doc ? toEntry(doc) : undefined;
  }

  /** A record's files, oldest first (the order of the record's chronology). */
  async listForIncident(scope: SchoolScope, incidentId: string): Promise<IncidentFileEntry[]> {
    const docs = await this.model
      .find({ ...scoped(scope), incidentId })
      .sort({ attachedAt: 1, _id: 1 })
      .lean();
    return docs.map(toEntry);
  }
}

// Whitelist on the way out: only the fields of the type.
function toEntry(doc: IncidentFileEntry): IncidentFileEntry {
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    incidentId: doc.incidentId,
    fileId: doc.fileId,
    name: doc.name,
    size: doc.size,
    contentType: doc.contentType,
    uploadedBy: {
      aadObjectId: doc.uploadedBy.aadObjectId,
      displayName: doc.uploadedBy.displayName,
    },
    uploadedAt: doc.uploadedAt,
    attachedAt: doc.attachedAt,
  };
}
