import { Schema, type Connection, type Model } from 'mongoose';
import type { School } from './school.types';

const schoolSchema = new Schema<School>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    name: { type: String, required: true, maxlength: 200 },
    referencePrefix: { type: String, required: true, match: /^[A-Z]{2,6}$/ },
  },
  { collection: 'schools', timestamps: true, strict: 'throw' },
);
schoolSchema.index({ tenantId: 1, schoolId: 1 }, { unique: true });

/** Reads and writes schools; the only place that knows how they are stored. */
export class SchoolRepository {
  private readonly model: Model<School>;

  constructor(connection: Connection) {
    this.model = connection.models.School ?? connection.model<School>('School', schoolSchema);
  }

  /** The schools configured for an Entra tenant, in a stable order. */
  async listForTenant(tenantId: string): Promise<School[]> {
    const docs = await this.model.find({ tenantId }).sort({ schoolId: 1 }).limit(100).lean();
    return docs.map(toSchool);
  }

  /** Every school of every tenant (a deployment holds a trust's few): one-off builds walk them. */
  async listAll(): Promise<School[]> {
    const docs = await this.model.find({}).limit(10_000).lean();
    return docs.map(toSchool);
  }

  /** One school, if configured. */
  async get(tenantId: string, schoolId: string): Promise<School | undefined> {
    const doc = await this.model.findOne({ tenantId, schoolId }).lean();
    return doc ? toSchool(doc) : undefined;
  }

  /** Creates or updates a school by (tenantId, schoolId); safe to repeat. */
  async upsert(school: School): Promise<void> {
    await this.model.updateOne(
      { tenantId: school.tenantId, schoolId: school.schoolId },
      { $set: { name: school.name, referencePrefix: school.referencePrefix } },
      { upsert: true },
    );
  }
}

function toSchool(doc: School): School {
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    name: doc.name,
    referencePrefix: doc.referencePrefix,
  };
}
