import { Schema, type Connection, type Model } from 'mongoose';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import type { IncidentAmendment } from './amendment.types';

type AmendmentDocument = IncidentAmendment & { _id: string };

const amendmentSchema = new Schema<AmendmentDocument>(
  {
    // <incidentId>|v<version>: a version is claimed by inserting against the primary key, so two
    // team members amending at once get versions 2 and 3, never two version 2s.
    _id: { type: String, required: true },
    amendmentId: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    incidentId: { type: String, required: true },
    version: { type: Number, required: true },
    amendedBy: {
      aadObjectId: { type: String, required: true },
      displayName: { type: String, required: true },
    },
    amendedAt: { type: Date, required: true },
    reason: { type: String, required: true },
    changes: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'incident_amendments', strict: 'throw', versionKey: false, minimize: false },
);
amendmentSchema.index({ tenantId: 1, schoolId: 1, incidentId: 1, version: 1 });

// Amendments are versions of an immutable record: they are never changed or removed either.
for (const op of [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'replaceOne',
  'findOneAndReplace',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
] as const) {
  amendmentSchema.pre(op, () => {
    throw new AppError('INCIDENT.IMMUTABLE', `amendments are immutable: ${op} refused`);
  });
}

const MAX_VERSIONS = 1_000;

/** Stores amendments: insert and read only. */
export class AmendmentRepository {
  private readonly model: Model<AmendmentDocument>;

  constructor(connection: Connection) {
    this.model =
      connection.models.IncidentAmendment ??
      connection.model<AmendmentDocument>('IncidentAmendment', amendmentSchema);
  }

  /** Inserts an amendment; code 11000 when its version was taken meanwhile. */
  async insert(amendment: IncidentAmendment): Promise<void> {
    await this.model.create({
      _id: `${amendment.incidentId}|v${amendment.version}`,
      ...amendment,
      changes: { ...amendment.changes },
    });
  }

  /**
   * A record's amendments in version order. Walks versions by primary key (the one index the
   * embedded store uses), stopping at the first gap: versions are claimed one after another.
   */
  async listForIncident(scope: SchoolScope, incidentId: string): Promise<IncidentAmendment[]> {
    const found: IncidentAmendment[] = [];
    for (let version = 2; version < MAX_VERSIONS; version += 1) {
      const doc = await this.model.findById(`${incidentId}|v${version}`).lean();
      if (!doc) break;
      if (doc.tenantId !== scope.tenantId || doc.schoolId !== scope.schoolId) break;
      found.push(toAmendment(doc));
    }
    return found;
  }

  /** Amendments of several records (for a chronology page), grouped by record. */
  async listForIncidents(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<Map<string, IncidentAmendment[]>> {
    const byIncident = new Map<string, IncidentAmendment[]>();
    if (incidentIds.length === 0) return byIncident;
    const docs = await this.model
      .find({
        tenantId: scope.tenantId,
        schoolId: scope.schoolId,
        incidentId: { $in: incidentIds },
      })
      .sort({ version: 1 })
      .lean();
    for (const doc of docs) {
      const list = byIncident.get(doc.incidentId) ?? [];
      list.push(toAmendment(doc));
      byIncident.set(doc.incidentId, list);
    }
    return byIncident;
  }
}

function toAmendment(doc: AmendmentDocument): IncidentAmendment {
  const changes = { ...(doc.changes as Record<string, unknown>) };
  if (changes.happenedAt !== undefined) changes.happenedAt = new Date(changes.happenedAt as string);
  return {
    amendmentId: doc.amendmentId,
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    incidentId: doc.incidentId,
    version: doc.version,
    amendedBy: { aadObjectId: doc.amendedBy.aadObjectId, displayName: doc.amendedBy.displayName },
    amendedAt: new Date(doc.amendedAt),
    reason: doc.reason,
    changes: changes as IncidentAmendment['changes'],
  };
}
