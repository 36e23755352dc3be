import { Schema, type Connection, type Model } from 'mongoose';
import { sealedNarrativeSchema, type NarrativeCipher, type SealedNarrative } from '../encryption';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { refuseChanges } from '../store/append-only';
import { insertOnce } from '../store/insert-once';
import type { TransferPackage } from './transfer-package.schema';

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
  /** Each file's bytes by its path in the archive. */
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
    sealed: { type: sealedNarrativeSchema, required: true },
  },
  { collection: 'transferred_in', strict: 'throw', versionKey: false },
);
schema.index({ tenantId: 1, schoolId: 1, pupilId: 1, exportedAt: -1 });
// What another school sent is evidence as it arrived: never edited.
refuseChanges(schema, 'TRANSFER.IMMUTABLE', 'transferred-in packages');

const contextOf = (id: string) => `transferred-in:${id}`;

/** Packages received from other schools, one document each, sealed. */
export class TransferredInRepository {
  private readonly model: Model<TransferredInDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.model =
      connection.models.TransferredIn ??
      connection.model<TransferredInDoc>('TransferredIn', schema);
  }

  /** Stores a package once: false when this school already has it (idempotent import). */
  async insert(entry: TransferredIn): Promise<boolean> {
    const _id = `${entry.tenantId}|${entry.schoolId}|${entry.packageId}`;
    const sealed = await this.cipher.seal(
      {
        package: entry.package,
        files: Object.fromEntries([...entry.files].map(([p, b]) => [p, b.toString('base64')])),
      },
      contextOf(_id),
    );
    return insertOnce(this.model, {
      _id,
      ...scoped(entry),
      packageId: entry.packageId,
      pupilId: entry.pupilId,
      fromSchool: entry.fromSchool,
      exportedAt: entry.exportedAt,
      importedAt: entry.importedAt,
      importedBy: { ...entry.importedBy },
      sealed,
    });
  }

  /** A pupil's packages received, newest first, opened. */
  async listForPupil(scope: SchoolScope, pupilId: string): Promise<TransferredIn[]> {
    const docs = await this.model
      .find({ ...scoped(scope), pupilId })
      .sort({ exportedAt: -1 })
      .limit(50)
      .lean();
    return Promise.all(
      docs.map(async (doc) => {
        const opened = (await this.cipher.open(doc.sealed, contextOf(doc._id))) as {
          package: TransferPackage;
          files: Record<string, string>;
        };
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
          files: new Map(
            Object.entries(opened.files).map(([p, b]) => [p, Buffer.from(b, 'base64')]),
          ),
        };
      }),
    );
  }
}
