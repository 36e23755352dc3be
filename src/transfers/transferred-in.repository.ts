import { Schema, type Connection, type Model } from 'mongoose';
import { sealedNarrativeSchema, type NarrativeCipher, type SealedNarrative } from '../encryption';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { refuseChanges } from '../store/append-only';
import { insertOnce } from '../store/insert-once';
import type { TransferPackage } from './transfer-package.schema';

/** What a package's files are kept in: the app's file store (chunked, sealed, verified). */
export interface TransferredFileStore {
  put(file: {
    tenantId: string;
    schoolId: string;
    name: string;
    contentType: string;
    bytes: Uint8Array;
    uploadedBy: { aadObjectId: string; displayName: string };
    uploadedAt: Date;
  }): Promise<{ fileId: string }>;
  getBuffer(scope: SchoolScope, fileId: string): Promise<Buffer>;
}

/** A package another school sent, as it arrived: immutable, its content sealed at rest. */
export interface TransferredIn extends SchoolScope {
  readonly packageId: string;
  /** The pupil at this school the team matched it to (MIS ids differ between schools). */
  readonly pupilId: string;
  readonly fromSchool: string;
  readonly exportedAt: Date;
  readonly importedAt: Date;
  readonly importedBy: { readonly aadObjectId: string; readonly displayName: string };
  readonly package: TransferPackage;
}

/** A package to store, with each file's bytes by its path in the archive. */
export interface NewTransferredIn extends TransferredIn {
  readonly files: ReadonlyMap<string, Buffer>;
}

interface TransferredInDoc {
  _id: string;
  tenantId: string;
  schoolId: string;
  packageId: string;
  pupilId: string;
  fromSchool: string;
  exportedAt: Date;
  importedAt: Date;
  importedBy: { aadObjectId: string; displayName: string };
  /** Where each archive path's bytes are in the file store (a package may be tens of MB). */
  fileIds?: { path: string; fileId: string }[];
  sealed: SealedNarrative;
}

const schema = new Schema<TransferredInDoc>(
  {
    // <tenant>|<school>|<packageId>: importing the same package again finds it there.
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    packageId: { type: String, required: true },
    pupilId: { type: String, required: true },
    fromSchool: { type: String, required: true },
    exportedAt: { type: Date, required: true },
    importedAt: { type: Date, required: true },
    importedBy: {
      aadObjectId: { type: String, required: true },
      displayName: { type: String, required: true },
    },
    fileIds: [
      new Schema(
        { path: { type: String, required: true }, fileId: { type: String, required: true } },
        { _id: false },
      ),
    ],
    sealed: { type: sealedNarrativeSchema, required: true },
  },
  { collection: 'transferred_in', strict: 'throw', versionKey: false },
);
schema.index({ tenantId: 1, schoolId: 1, pupilId: 1, exportedAt: -1 });
// What another school sent is evidence as it arrived: never edited.
refuseChanges(schema, 'TRANSFER.IMMUTABLE', 'transferred-in packages');

const contextOf = (id: string) => `transferred-in:${id}`;
const idOf = (scope: SchoolScope, packageId: string) =>
  `${scope.tenantId}|${scope.schoolId}|${packageId}`;

/**
 * Packages received from other schools: one document each with the package sealed, and the
 * files in the file store (one document would not hold a package of scanned letters). Packages
 * imported before the files moved there kept them inside the sealed document; both read.
 */
export class TransferredInRepository {
  private readonly model: Model<TransferredInDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
    private readonly fileStore: TransferredFileStore,
  ) {
    this.model =
      connection.models.TransferredIn ??
      connection.model<TransferredInDoc>('TransferredIn', schema);
  }

  /** True when this school already has the package (an import again changes nothing). */
  async has(scope: SchoolScope, packageId: string): Promise<boolean> {
    return (await this.model.countDocuments({ _id: idOf(scope, packageId) })) > 0;
  }

  /**
   * Stores a package once: false when this school already has it (idempotent import). The files
   * go first; a lost race leaves the loser's copies unreferenced, never a half-stored package.
   */
  async insert(entry: NewTransferredIn): Promise<boolean> {
    if (await this.has(entry, entry.packageId)) return false;
    const _id = idOf(entry, entry.packageId);
    const fileIds: { path: string; fileId: string }[] = [];
    for (const [path, bytes] of entry.files) {
      const stored = await this.fileStore.put({
        ...scoped(entry),
        name: path.replace(/^files\//, ''),
        contentType: 'application/octet-stream',
        bytes,
        uploadedBy: { ...entry.importedBy },
        uploadedAt: entry.importedAt,
      });
      fileIds.push({ path, fileId: stored.fileId });
    }
    const sealed = await this.cipher.seal({ package: entry.package }, contextOf(_id));
    return insertOnce(this.model, {
      _id,
      ...scoped(entry),
      packageId: entry.packageId,
      pupilId: entry.pupilId,
      fromSchool: entry.fromSchool,
      exportedAt: entry.exportedAt,
      importedAt: entry.importedAt,
      importedBy: { ...entry.importedBy },
      fileIds,
      sealed,
    });
  }

  /** A pupil's packages received, newest first, opened (a child arrives with one or two). */
  async listForPupil(scope: SchoolScope, pupilId: string): Promise<TransferredIn[]> {
    const docs = await this.model
      .find({ ...scoped(scope), pupilId })
      .sort({ exportedAt: -1 })
      .limit(50)
      .lean();
    return Promise.all(docs.map(async (doc) => toEntry(doc, await this.opened(doc))));
  }

  /** One package of the school, opened; undefined when the school has no such package. */
  async find(scope: SchoolScope, packageId: string): Promise<TransferredIn | undefined> {
    const doc = await this.model.findOne({ _id: idOf(scope, packageId), ...scoped(scope) }).lean();
    return doc ? toEntry(doc, await this.opened(doc)) : undefined;
  }

  /** One file of a package by its archive path, verified by the file store; undefined if none. */
  async fileBytes(
    scope: SchoolScope,
    packageId: string,
    path: string,
  ): Promise<Buffer | undefined> {
    const doc = await this.model.findOne({ _id: idOf(scope, packageId), ...scoped(scope) }).lean();
    if (!doc) return undefined;
    const stored = doc.fileIds?.find((f) => f.path === path);
    if (stored) return this.fileStore.getBuffer(scope, stored.fileId);
    const inline = (await this.opened(doc)).files?.[path];
    return inline === undefined ? undefined : Buffer.from(inline, 'base64');
  }

  private async opened(
    doc: TransferredInDoc,
  ): Promise<{ package: TransferPackage; files?: Record<string, string> }> {
    return (await this.cipher.open(doc.sealed, contextOf(doc._id))) as {
      package: TransferPackage;
      files?: Record<string, string>;
    };
  }
}

function toEntry(doc: TransferredInDoc, opened: { package: TransferPackage }): TransferredIn {
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    packageId: doc.packageId,
    pupilId: doc.pupilId,
    fromSchool: doc.fromSchool,
    exportedAt: doc.exportedAt,
    importedAt: doc.importedAt,
    importedBy: { ...doc.importedBy },
    package: opened.package,
  };
}
