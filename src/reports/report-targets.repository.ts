import { Schema, type Connection, type Model } from 'mongoose';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { DEFAULT_REPORT_TARGETS, type ReportTargets } from './report.types';

interface TargetsDoc extends SchoolScope, ReportTargets {
  _id: string;
  updatedAt: Date;
  updatedBy: string;
}

const targetsSchema = new Schema<TargetsDoc>(
  {
    // <tenant>|<school>: one setting per school, read and written by `_id`.
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    acknowledgeMinutes: { type: Number, required: true },
    decideReferralHours: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: 'report_targets', strict: 'throw', versionKey: false },
);

const keyOf = (scope: SchoolScope) => `${scope.tenantId}|${scope.schoolId}`;

/** A school's timeliness targets (a setting: the last change wins; the audit trail keeps each). */
export class ReportTargetsRepository {
  private readonly model: Model<TargetsDoc>;

  constructor(connection: Connection) {
    this.model =
      connection.models.ReportTargets ??
      connection.model<TargetsDoc>('ReportTargets', targetsSchema);
  }

  async get(scope: SchoolScope): Promise<ReportTargets> {
    const doc = await this.model.findOne({ _id: keyOf(scope) }).lean();
    return doc
      ? { acknowledgeMinutes: doc.acknowledgeMinutes, decideReferralHours: doc.decideReferralHours }
      : DEFAULT_REPORT_TARGETS;
  }

  async set(scope: SchoolScope, targets: ReportTargets, by: string, at: Date): Promise<void> {
    await this.model.replaceOne(
      { _id: keyOf(scope) },
      { _id: keyOf(scope), ...scoped(scope), ...targets, updatedAt: at, updatedBy: by },
      { upsert: true },
    );
  }
}
