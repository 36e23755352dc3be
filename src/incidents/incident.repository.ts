import { Schema, type Connection, type Model } from 'mongoose';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import type { Incident } from './incident.types';

const bodyMapSchema = new Schema(
  {
    region: { type: String, required: true },
    side: { type: String, required: true },
    laterality: { type: String, required: true },
    description: { type: String, required: true },
  },
  { _id: false, strict: 'throw' },
);

const incidentSchema = new Schema<Incident>(
  {
    incidentId: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    reference: { type: String, required: true },
    referenceYear: { type: Number, required: true },
    referenceNumber: { type: Number, required: true },
    idempotencyKey: { type: String, required: true },
    recordedBy: {
      aadObjectId: { type: String, required: true },
      displayName: { type: String, required: true },
      roles: { type: [String], required: true },
    },
    recordedAt: { type: Date, required: true },
    pupilId: { type: String, required: true },
    happenedAt: { type: Date, required: true },
    transcribedFromPaper: { type: Boolean, required: true },
    location: { type: String, default: '' },
    facts: { type: String, required: true },
    childsWords: { type: String, default: '' },
    adultsWords: { type: String, default: '' },
    leadingQuestionNote: { type: String, default: '' },
    opinion: { type: String, default: '' },
    actionTaken: { type: String, default: '' },
    actionRequired: { type: String, default: '' },
    categoryIds: { type: [String], required: true },
    linkedPupils: {
      type: [new Schema({ pupilId: String, role: String }, { _id: false, strict: 'throw' })],
      default: [],
    },
    agencyIds: { type: [String], default: [] },
    bodyMap: { type: [bodyMapSchema], default: [] },
    alertStaffIds: { type: [String], default: [] },
  },
  { collection: 'incidents', strict: 'throw', minimize: false, versionKey: false },
);
// The reference is claimed by inserting against this index (no racing counter).
incidentSchema.index({ tenantId: 1, schoolId: 1, reference: 1 }, { unique: true });
// A double click or a Teams retry of the same form finds the first record here.
incidentSchema.index({ tenantId: 1, schoolId: 1, idempotencyKey: 1 }, { unique: true });
incidentSchema.index({ incidentId: 1 }, { unique: true });
incidentSchema.index({ tenantId: 1, schoolId: 1, referenceYear: 1, referenceNumber: -1 });
incidentSchema.index({ tenantId: 1, schoolId: 1, pupilId: 1, happenedAt: -1 });
incidentSchema.index({ tenantId: 1, schoolId: 1, 'recordedBy.aadObjectId': 1, recordedAt: -1 });
incidentSchema.index({ recordedAt: 1 });

// Records are immutable once submitted: refuse every update or delete path at the model too, so
// a later feature cannot edit a record by accident (amendments are separate, versioned documents).
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
  incidentSchema.pre(op, () => {
    throw new AppError('INCIDENT.IMMUTABLE', `incidents are immutable: ${op} refused`);
  });
}

/** Stores submitted incidents; inserts and reads only. */
export class IncidentRepository {
  private readonly model: Model<Incident>;

  constructor(connection: Connection) {
    this.model =
      connection.models.Incident ?? connection.model<Incident>('Incident', incidentSchema);
  }

  /** Inserts a record; a duplicate reference or idempotency key fails with code 11000. */
  async insert(incident: Incident): Promise<void> {
    await this.model.create(incident);
  }

  /** The record made from this form, if it was already submitted. */
  async findByIdempotencyKey(
    scope: SchoolScope,
    idempotencyKey: string,
  ): Promise<Incident | undefined> {
    const doc = await this.model.findOne({ ...scopeFilter(scope), idempotencyKey }).lean();
    return doc ? toIncident(doc) : undefined;
  }

  /** The highest reference number used this year at this school (0 when none). */
  async highestReferenceNumber(scope: SchoolScope, year: number): Promise<number> {
    const doc = await this.model
      .find({ ...scopeFilter(scope), referenceYear: year }, { referenceNumber: 1 })
      .sort({ referenceNumber: -1 })
      .limit(1)
      .lean();
    return doc[0]?.referenceNumber ?? 0;
  }

  /** One record by its id, only within the school. */
  async findById(scope: SchoolScope, incidentId: string): Promise<Incident | undefined> {
    const doc = await this.model.findOne({ ...scopeFilter(scope), incidentId }).lean();
    return doc ? toIncident(doc) : undefined;
  }

  /** A person's own recent records, newest first: reference and date only (no narrative read). */
  async listRecordedBy(
    scope: SchoolScope,
    aadObjectId: string,
    since: Date,
    limit: number,
  ): Promise<{ incidentId: string; reference: string; recordedAt: Date }[]> {
    const docs = await this.model
      .find(
        {
          ...scopeFilter(scope),
          'recordedBy.aadObjectId': aadObjectId,
          recordedAt: { $gte: since },
        },
        { incidentId: 1, reference: 1, recordedAt: 1 },
      )
      .sort({ recordedAt: -1 })
      .limit(limit)
      .lean();
    return docs.map((d) => ({
      incidentId: d.incidentId,
      reference: d.reference,
      recordedAt: d.recordedAt,
    }));
  }

  /** Records of every school stored since an instant, oldest first (the alert reconciler). */
  async listRecordedSince(since: Date, limit: number): Promise<Incident[]> {
    const docs = await this.model
      .find({ recordedAt: { $gte: since } })
      .sort({ recordedAt: 1 })
      .limit(limit)
      .lean();
    return docs.map(toIncident);
  }

  /** How many records the school holds (bench and reports). */
  async count(scope: SchoolScope): Promise<number> {
    return this.model.countDocuments(scopeFilter(scope));
  }
}

function scopeFilter(scope: SchoolScope): SchoolScope {
  return { tenantId: scope.tenantId, schoolId: scope.schoolId };
}

// Whitelist on the way out: only the fields of the type, never whatever else a document holds.
function toIncident(doc: Incident): Incident {
  return {
    incidentId: doc.incidentId,
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    reference: doc.reference,
    referenceYear: doc.referenceYear,
    referenceNumber: doc.referenceNumber,
    idempotencyKey: doc.idempotencyKey,
    recordedBy: {
      aadObjectId: doc.recordedBy.aadObjectId,
      displayName: doc.recordedBy.displayName,
      roles: [...doc.recordedBy.roles],
    },
    recordedAt: doc.recordedAt,
    pupilId: doc.pupilId,
    happenedAt: doc.happenedAt,
    transcribedFromPaper: doc.transcribedFromPaper,
    location: doc.location,
    facts: doc.facts,
    childsWords: doc.childsWords,
    adultsWords: doc.adultsWords,
    leadingQuestionNote: doc.leadingQuestionNote,
    opinion: doc.opinion,
    actionTaken: doc.actionTaken,
    actionRequired: doc.actionRequired,
    categoryIds: [...doc.categoryIds],
    linkedPupils: doc.linkedPupils.map((p) => ({ pupilId: p.pupilId, role: p.role })),
    agencyIds: [...doc.agencyIds],
    bodyMap: doc.bodyMap.map((b) => ({
      region: b.region,
      side: b.side,
      laterality: b.laterality,
      description: b.description,
    })),
    alertStaffIds: [...doc.alertStaffIds],
  };
}
