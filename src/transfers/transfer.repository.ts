import { personSchemaFields } from '../store/person-fields';
import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { insertOnce } from '../store/insert-once';
import type { AdvanceNotice, SentEntry, TransferCase, TransferReceipt } from './transfer.types';

interface CaseDoc extends Omit<TransferCase, 'transferId'> {
  _id: string;
}

const person = personSchemaFields;

const caseSchema = new Schema<CaseDoc>(
  {
    // Derived from <tenant>|<school>|<pupil> (and the case's number from the second on): one
    // open transfer per pupil and school, so importing the same leavers again (or the team
    // opening one the import already opened) finds that case.
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    pupilId: { type: String, required: true },
    openedAt: { type: Date, required: true },
    openedBy: person,
    source: { type: String, required: true, enum: ['import', 'tab'] },
    leavingDate: { type: String },
    destination: { schoolName: { type: String }, urn: { type: String } },
    clockStartedAt: { type: Date, required: true },
    dueBy: { type: Date, required: true },
    notice: {
      at: { type: Date },
      how: { type: String },
      by: { type: new Schema(person, { _id: false }) },
    },
    sent: [
      new Schema(
        {
          sentAt: { type: Date, required: true },
          sentBy: person,
          recipientName: { type: String, required: true },
          recipientSchool: { type: String, required: true },
          contents: {
            records: Number,
            versions: Number,
            actions: Number,
            files: Number,
          },
          sha256: { type: String, required: true },
          linkExpiresAt: { type: Date, required: true },
        },
        { _id: false },
      ),
    ],
    receipt: {
      name: { type: String },
      school: { type: String },
      role: { type: String },
      receivedAt: { type: Date },
    },
  },
  { collection: 'transfer_cases', strict: 'throw', versionKey: false },
);
caseSchema.index({ tenantId: 1, schoolId: 1, openedAt: -1 });
caseSchema.index({ tenantId: 1, schoolId: 1, pupilId: 1 });

/** The transfer cases of every school: opened once per pupil, moved on by the service only. */
export class TransferRepository {
  private readonly cases: Model<CaseDoc>;

  constructor(connection: Connection) {
    this.cases =
      connection.models.TransferCase ?? connection.model<CaseDoc>('TransferCase', caseSchema);
  }

  /**
   * The id of a pupil's nth case (a pupil who leaves, rejoins and leaves again has a second);
   * opaque, so a URL names no pupil. The first keeps the id cases had when there was one only.
   */
  static idFor(scope: SchoolScope, pupilId: string, nth = 1): string {
    const key = `${scope.tenantId}|${scope.schoolId}|${pupilId}${nth > 1 ? `|${nth}` : ''}`;
    return `tr-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
  }

  /** A pupil's cases, latest first (one for nearly every leaver; a few for a child who came back). */
  async listForPupil(scope: SchoolScope, pupilId: string): Promise<TransferCase[]> {
    const docs = await this.cases
      .find({ ...scoped(scope), pupilId })
      .limit(50)
      .lean();
    return docs.map(toCase).sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime());
  }

  /** Opens a case once: false when the pupil already has one. */
  async insert(transfer: TransferCase): Promise<boolean> {
    const { transferId, ...rest } = transfer;
    return insertOnce(this.cases, { _id: transferId, ...rest, sent: [...rest.sent] });
  }

  async find(scope: SchoolScope, transferId: string): Promise<TransferCase | undefined> {
    const doc = await this.cases.findOne({ _id: transferId, ...scoped(scope) }).lean();
    return doc ? toCase(doc) : undefined;
  }

  /** A school's cases, newest first (a school has a handful of leavers with a file a term). */
  async list(scope: SchoolScope, limit: number): Promise<TransferCase[]> {
    const docs = await this.cases.find(scoped(scope)).sort({ openedAt: -1 }).limit(limit).lean();
    return docs.map(toCase);
  }

  async setNotice(scope: SchoolScope, transferId: string, notice: AdvanceNotice): Promise<void> {
    await this.cases.updateOne({ _id: transferId, ...scoped(scope) }, { $set: { notice } });
  }

  async setDestination(
    scope: SchoolScope,
    transferId: string,
    destination: TransferCase['destination'],
  ): Promise<void> {
    await this.cases.updateOne({ _id: transferId, ...scoped(scope) }, { $set: { destination } });
  }

  async addSent(scope: SchoolScope, transferId: string, entry: SentEntry): Promise<void> {
    await this.cases.updateOne({ _id: transferId, ...scoped(scope) }, { $push: { sent: entry } });
  }

  /** Records the first receipt only: true when this call recorded it. */
  async setReceipt(
    scope: SchoolScope,
    transferId: string,
    receipt: TransferReceipt,
  ): Promise<boolean> {
    const result = await this.cases.updateOne(
      { _id: transferId, ...scoped(scope), 'receipt.receivedAt': { $exists: false } },
      { $set: { receipt } },
    );
    return result.modifiedCount === 1;
  }
}

function toCase(doc: CaseDoc): TransferCase {
  const destination = doc.destination ?? {};
  return {
    transferId: doc._id,
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    pupilId: doc.pupilId,
    openedAt: doc.openedAt,
    openedBy: { aadObjectId: doc.openedBy.aadObjectId, displayName: doc.openedBy.displayName },
    source: doc.source,
    ...(doc.leavingDate ? { leavingDate: doc.leavingDate } : {}),
    destination: {
      ...(destination.schoolName ? { schoolName: destination.schoolName } : {}),
      ...(destination.urn ? { urn: destination.urn } : {}),
    },
    clockStartedAt: doc.clockStartedAt,
    dueBy: doc.dueBy,
    ...(doc.notice?.at && doc.notice.how && doc.notice.by
      ? {
          notice: {
            at: doc.notice.at,
            how: doc.notice.how,
            by: { aadObjectId: doc.notice.by.aadObjectId, displayName: doc.notice.by.displayName },
          },
        }
      : {}),
    sent: (doc.sent ?? []).map((s) => ({
      sentAt: s.sentAt,
      sentBy: { aadObjectId: s.sentBy.aadObjectId, displayName: s.sentBy.displayName },
      recipientName: s.recipientName,
      recipientSchool: s.recipientSchool,
      contents: {
        records: s.contents?.records ?? 0,
        versions: s.contents?.versions ?? 0,
        actions: s.contents?.actions ?? 0,
        files: s.contents?.files ?? 0,
      },
      sha256: s.sha256,
      linkExpiresAt: s.linkExpiresAt,
    })),
    ...(doc.receipt?.receivedAt && doc.receipt.name
      ? {
          receipt: {
            name: doc.receipt.name,
            school: doc.receipt.school ?? '',
            role: doc.receipt.role ?? '',
            receivedAt: doc.receipt.receivedAt,
          },
        }
      : {}),
  };
}
