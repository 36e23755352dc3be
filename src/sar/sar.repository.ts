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
import type { ManualRedaction, RedactionDecision } from './redaction.types';
import type { SarChange, SarRegistration } from './sar.types';

/**
 * The SAR register at rest: a request as logged, then its changes and the DSL's review drafts,
 * each an append-only entry (a change is a new document, never an edit). Who asks, about whom,
 * and every reason are sealed; ids, dates and the kind of change stay readable for the desk.
 */
interface RequestDocument {
  _id: string;
  tenantId: string;
  schoolId: string;
  sarId: string;
  reference: string;
  pupilId: string;
  receivedAt: Date;
  loggedBy: { aadObjectId: string; displayName: string };
  loggedAt: Date;
  sealed: SealedNarrative;
}

interface SequencedDocument {
  _id: string;
  tenantId: string;
  schoolId: string;
  sarId: string;
  sequence: number;
  kind: string;
  by: { aadObjectId: string; displayName: string };
  at: Date;
  sealed: SealedNarrative;
}

const who = personSchemaFields;

const requestSchema = new Schema<RequestDocument>(
  {
    // <tenant>|<school>|<requestKey>: the form's key, so a double click logs one request.
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    sarId: { type: String, required: true },
    reference: { type: String, required: true },
    pupilId: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    loggedBy: who,
    loggedAt: { type: Date, required: true },
    sealed: { type: sealedNarrativeSchema, required: true },
  },
  { collection: 'sar_requests', strict: 'throw', versionKey: false },
);
requestSchema.index({ tenantId: 1, schoolId: 1, sarId: 1 }, { unique: true });
requestSchema.index({ tenantId: 1, schoolId: 1, pupilId: 1 });
refuseChanges(requestSchema, 'SAR.IMMUTABLE', 'subject access requests');

/** Changes and drafts share a shape: <sar>|<sequence>, claimed by insert. */
function sequencedSchema(collection: string) {
  const schema = new Schema<SequencedDocument>(
    {
      _id: { type: String, required: true },
      tenantId: { type: String, required: true },
      schoolId: { type: String, required: true },
      sarId: { type: String, required: true },
      sequence: { type: Number, required: true },
      kind: { type: String, required: true },
      by: who,
      at: { type: Date, required: true },
      sealed: { type: sealedNarrativeSchema, required: true },
    },
    { collection, strict: 'throw', versionKey: false },
  );
  schema.index({ tenantId: 1, schoolId: 1, sarId: 1, sequence: 1 }, { unique: true });
  refuseChanges(schema, 'SAR.IMMUTABLE', collection);
  return schema;
}

/** One saved state of a review: every decision made so far (the latest draft is the review). */
export interface ReviewDraft extends SchoolScope {
  readonly sarId: string;
  readonly sequence: number;
  readonly decisions: readonly RedactionDecision[];
  /** Words the DSL withheld by hand (their decisions are in `decisions`). */
  readonly added: readonly ManualRedaction[];
  readonly by: { readonly aadObjectId: string; readonly displayName: string };
  readonly at: Date;
}

type SealedRegistration = Pick<
  SarRegistration,
  'requesterName' | 'relationship' | 'identityCheck' | 'scopeOfRequest'
>;

/** Stores the register; the only place that knows how it is stored. */
export class SarRepository {
  private readonly requests: Model<RequestDocument>;
  private readonly changes: Model<SequencedDocument>;
  private readonly drafts: Model<SequencedDocument>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.requests =
      connection.models.SarRequest ??
      connection.model<RequestDocument>('SarRequest', requestSchema);
    this.changes =
      connection.models.SarChange ??
      connection.model<SequencedDocument>('SarChange', sequencedSchema('sar_changes'));
    this.drafts =
      connection.models.SarReviewDraft ??
      connection.model<SequencedDocument>('SarReviewDraft', sequencedSchema('sar_review_drafts'));
  }

  /** Logs a request once per form key: the request stored now, or the one the key logged before. */
  async insertRequest(requestKey: string, request: SarRegistration): Promise<SarRegistration> {
    const _id = `${request.tenantId}|${request.schoolId}|${requestKey}`;
    const secret: SealedRegistration = {
      requesterName: request.requesterName,
      relationship: request.relationship,
      identityCheck: request.identityCheck,
      scopeOfRequest: request.scopeOfRequest,
    };
    await insertOnce(this.requests, {
      _id,
      ...scoped(request),
      sarId: request.sarId,
      reference: request.reference,
      pupilId: request.pupilId,
      receivedAt: request.receivedAt,
      loggedBy: { ...request.loggedBy },
      loggedAt: request.loggedAt,
      sealed: await this.cipher.seal({ ...secret }, `sar:${_id}`),
    });
    const doc = await this.requests.findById(_id).lean();
    return this.toRegistration(doc!);
  }

  async findRequest(scope: SchoolScope, sarId: string): Promise<SarRegistration | undefined> {
    const doc = await this.requests.findOne({ ...scoped(scope), sarId }).lean();
    return doc ? this.toRegistration(doc) : undefined;
  }

  /** The school's requests, newest received first (a school has a handful a year). */
  async listRequests(scope: SchoolScope, limit: number): Promise<SarRegistration[]> {
    const docs = await this.requests
      .find(scoped(scope))
      .sort({ receivedAt: -1 })
      .limit(limit)
      .lean();
    return Promise.all(docs.map((doc) => this.toRegistration(doc)));
  }

  /** Appends a change; false when its sequence was taken meanwhile (read again and retry). */
  async insertChange(change: SarChange): Promise<boolean> {
    const { tenantId, schoolId, sarId, sequence, kind, by, at, ...rest } = change;
    return this.insertSequenced(
      this.changes,
      { tenantId, schoolId, sarId, sequence, kind, by, at },
      rest,
    );
  }

  async listChanges(scope: SchoolScope, sarIds: readonly string[]): Promise<SarChange[]> {
    if (sarIds.length === 0) return [];
    const docs = await this.changes
      .find({ ...scoped(scope), sarId: { $in: [...sarIds] } })
      .sort({ sarId: 1, sequence: 1 })
      .lean();
    return Promise.all(
      docs.map(async (doc) => ({ ...this.header(doc), ...(await this.open(doc)) }) as SarChange),
    );
  }

  /** Saves the review as it stands; false when another save took the sequence meanwhile. */
  async insertDraft(draft: ReviewDraft): Promise<boolean> {
    const { tenantId, schoolId, sarId, sequence, by, at, decisions, added } = draft;
    return this.insertSequenced(
      this.drafts,
      { tenantId, schoolId, sarId, sequence, kind: 'review', by, at },
      { decisions, added },
    );
  }

  /** The latest saved review, or none yet. */
  async latestDraft(scope: SchoolScope, sarId: string): Promise<ReviewDraft | undefined> {
    const doc = await this.drafts
      .findOne({ ...scoped(scope), sarId })
      .sort({ sequence: -1 })
      .lean();
    if (!doc) return undefined;
    const opened = (await this.open(doc)) as {
      decisions: RedactionDecision[];
      added?: ManualRedaction[];
    };
    return { ...this.header(doc), decisions: opened.decisions, added: opened.added ?? [] };
  }

  /** Where rotation finds the register's wrapped data keys (three collections, string ids). */
  wrappedKeys(): WrappedKeyHolder[] {
    return [this.requests, this.changes, this.drafts].map(
      (model) =>
        new MongoWrappedKeyHolder(model.collection.name, model.collection, 'sealed', 'string'),
    );
  }

  private async insertSequenced(
    model: Model<SequencedDocument>,
    header: Omit<SequencedDocument, '_id' | 'sealed'>,
    secret: Record<string, unknown>,
  ): Promise<boolean> {
    const _id = `${header.tenantId}|${header.schoolId}|${header.sarId}|${header.sequence}`;
    return insertOnce(model, {
      _id,
      ...header,
      by: { aadObjectId: header.by.aadObjectId, displayName: header.by.displayName },
      sealed: await this.cipher.seal(secret, `${model.collection.name}:${_id}`),
    });
  }

  private header(doc: SequencedDocument) {
    return {
      tenantId: doc.tenantId,
      schoolId: doc.schoolId,
      sarId: doc.sarId,
      sequence: doc.sequence,
      kind: doc.kind,
      by: { aadObjectId: doc.by.aadObjectId, displayName: doc.by.displayName },
      at: new Date(doc.at),
    };
  }

  private async open(doc: SequencedDocument): Promise<Record<string, unknown>> {
    const collection = doc.kind === 'review' ? 'sar_review_drafts' : 'sar_changes';
    return (await this.cipher.open(doc.sealed, `${collection}:${doc._id}`)) as Record<
      string,
      unknown
    >;
  }

  private async toRegistration(doc: RequestDocument): Promise<SarRegistration> {
    const secret = (await this.cipher.open(doc.sealed, `sar:${doc._id}`)) as SealedRegistration;
    return {
      tenantId: doc.tenantId,
      schoolId: doc.schoolId,
      sarId: doc.sarId,
      reference: doc.reference,
      pupilId: doc.pupilId,
      requesterName: secret.requesterName,
      relationship: secret.relationship,
      identityCheck: secret.identityCheck,
      scopeOfRequest: secret.scopeOfRequest,
      receivedAt: new Date(doc.receivedAt),
      loggedBy: { aadObjectId: doc.loggedBy.aadObjectId, displayName: doc.loggedBy.displayName },
      loggedAt: new Date(doc.loggedAt),
    };
  }
}
