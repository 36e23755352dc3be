import { Schema, type Connection, type Model } from 'mongoose';
import type { SchoolScope } from '../shared/school-scope';
import type { AuditEvent } from './audit.types';
import { refuseChanges } from '../store/append-only';

type AuditDocument = AuditEvent & { _id: string };

const auditEventSchema = new Schema<AuditDocument>(
  {
    // <tenant>|<school>|<sequence, zero-padded>: claiming the next sequence is an insert against
    // the primary key, which also keeps every lookup of the chain on the primary key's index.
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    sequence: { type: Number, required: true },
    at: { type: Date, required: true },
    actorAadObjectId: { type: String, required: true },
    action: { type: String, required: true },
    target: {
      kind: { type: String, required: true },
      id: { type: String, required: true },
    },
    reason: { type: String },
    requestId: { type: String },
    previousHash: { type: String, default: '' },
    hash: { type: String, required: true },
  },
  { collection: 'audit_events', strict: 'throw', versionKey: false, minimize: true },
);
auditEventSchema.index({ tenantId: 1, schoolId: 1, 'target.id': 1, sequence: -1 });

// Append-only: no update or delete path exists in code. The verifier catches changes made
// around the application (a database console, a restored backup).
refuseChanges(auditEventSchema, 'AUDIT.APPEND_ONLY', 'audit events');

const SEQUENCE_DIGITS = 12;

/** The primary key of a school's event number `sequence`. */
function auditEventKey(scope: SchoolScope, sequence: number): string {
  return `${scope.tenantId}|${scope.schoolId}|${String(sequence).padStart(SEQUENCE_DIGITS, '0')}`;
}

/** Stores audit events: insert and read, nothing else. */
export class AuditRepository {
  private readonly model: Model<AuditDocument>;

  constructor(connection: Connection) {
    this.model =
      connection.models.AuditEvent ??
      connection.model<AuditDocument>('AuditEvent', auditEventSchema);
  }

  /** Appends an event; code 11000 when its sequence was taken (another instance wrote first). */
  async insert(event: AuditEvent): Promise<void> {
    await this.model.create({ _id: auditEventKey(event, event.sequence), ...event });
  }

  /** The school's event with this sequence, by primary key. */
  async findBySequence(scope: SchoolScope, sequence: number): Promise<AuditEvent | undefined> {
    const doc = await this.model.findById(auditEventKey(scope, sequence)).lean();
    return doc ? toEvent(doc) : undefined;
  }

  /** The highest sequence stored for the school (0 when none): a scan, used on first use only. */
  async highestSequence(scope: SchoolScope): Promise<number> {
    const docs = await this.model
      .find({ tenantId: scope.tenantId, schoolId: scope.schoolId }, { sequence: 1 })
      .sort({ sequence: -1 })
      .limit(1)
      .lean();
    return docs[0]?.sequence ?? 0;
  }

  /** Every event of the school in sequence order, a batch at a time (the verifier's walk). */
  async *walk(scope: SchoolScope, batchSize = 500): AsyncGenerator<AuditEvent> {
    const cursor = this.model
      .find({ tenantId: scope.tenantId, schoolId: scope.schoolId })
      .sort({ sequence: 1, _id: 1 })
      .lean()
      .cursor({ batchSize });
    for await (const doc of cursor) yield toEvent(doc as AuditDocument);
  }

  /** Schools that have any audit event. */
  async listSchools(): Promise<SchoolScope[]> {
    const rows = await this.model.aggregate<{ _id: { tenantId: string; schoolId: string } }>([
      { $group: { _id: { tenantId: '$tenantId', schoolId: '$schoolId' } } },
    ]);
    return rows.map((r) => ({ tenantId: r._id.tenantId, schoolId: r._id.schoolId }));
  }

  /**
   * Which of these targets have an event of this action (completeness: a record without its
   * `record.create` event). Reads the target ids only.
   */
  async targetsWith(
    scope: SchoolScope,
    action: AuditEvent['action'],
    targetIds: readonly string[],
  ): Promise<Set<string>> {
    if (targetIds.length === 0) return new Set();
    const docs = await this.model
      .find(
        {
          tenantId: scope.tenantId,
          schoolId: scope.schoolId,
          'target.id': { $in: [...targetIds] },
          action,
        },
        { 'target.id': 1 },
      )
      .lean();
    return new Set(docs.map((d) => (d as AuditDocument).target.id));
  }

  /**
   * This action's events about these targets: whose and why, to tell which change each is the
   * event of (completeness of amendments, actions and acknowledgements). 100 targets a read.
   */
  async eventsFor(
    scope: SchoolScope,
    action: AuditEvent['action'],
    targetIds: readonly string[],
  ): Promise<{ targetId: string; actorAadObjectId: string; reason?: string }[]> {
    const ids = [...new Set(targetIds)];
    const found: { targetId: string; actorAadObjectId: string; reason?: string }[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const docs = await this.model
        .find(
          {
            tenantId: scope.tenantId,
            schoolId: scope.schoolId,
            'target.id': { $in: ids.slice(i, i + 100) },
            action,
          },
          { 'target.id': 1, actorAadObjectId: 1, reason: 1 },
        )
        .lean();
      for (const d of docs as AuditDocument[]) {
        found.push({
          targetId: d.target.id,
          actorAadObjectId: d.actorAadObjectId,
          ...(d.reason ? { reason: d.reason } : {}),
        });
      }
    }
    return found;
  }

  /** Events about one target, newest first. */
  async listForTarget(scope: SchoolScope, targetId: string, limit: number): Promise<AuditEvent[]> {
    const docs = await this.model
      .find({ tenantId: scope.tenantId, schoolId: scope.schoolId, 'target.id': targetId })
      .sort({ sequence: -1 })
      .limit(limit)
      .lean();
    return docs.map((d) => toEvent(d as AuditDocument));
  }
}

function toEvent(doc: AuditDocument): AuditEvent {
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    sequence: doc.sequence,
    at: new Date(doc.at),
    actorAadObjectId: doc.actorAadObjectId,
    action: doc.action,
    target: { kind: doc.target.kind, id: doc.target.id },
    ...(doc.reason !== undefined && doc.reason !== null ? { reason: doc.reason } : {}),
    ...(doc.requestId !== undefined && doc.requestId !== null ? { requestId: doc.requestId } : {}),
    previousHash: doc.previousHash ?? '',
    hash: doc.hash,
  };
}
