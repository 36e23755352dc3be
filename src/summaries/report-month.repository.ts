import { Schema, type Connection, type Model } from 'mongoose';
import { scoped, type SchoolScope } from '../shared/school-scope';

/**
 * One document per school and month (school time): each record recorded that month as a compact
 * string of what reports count, and each referral or decision that happened that month. A year's
 * report reads twelve documents by an equality `$in` on the month instead of every record.
 */
interface ReportMonthDocument extends SchoolScope {
  _id: string;
  month: string;
  concerns: Record<string, string>;
  actions: Record<string, string>;
}

const reportMonthSchema = new Schema<ReportMonthDocument>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    month: { type: String, required: true },
    concerns: { type: Schema.Types.Mixed, default: {} },
    actions: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'report_months', strict: 'throw', versionKey: false, minimize: false },
);
reportMonthSchema.index({ tenantId: 1, schoolId: 1, month: 1 });

const monthKey = (scope: SchoolScope, month: string) =>
  `${scope.tenantId}|${scope.schoolId}|${month}`;

/** Ids become field names: a dot or a leading `$` would be read as a path, so such ids are encoded. */
export function fieldOf(id: string): string {
  return /^[A-Za-z0-9_-]+$/.test(id) ? id : `~${Buffer.from(id).toString('base64url')}`;
}

/** Stores the reports' monthly summaries; entries are set whole (a repeat writes the same). */
export class ReportMonthRepository {
  private readonly model: Model<ReportMonthDocument>;

  constructor(connection: Connection) {
    this.model =
      connection.models.ReportMonth ??
      connection.model<ReportMonthDocument>('ReportMonth', reportMonthSchema);
  }

  /** Sets entries of one month (`concerns.<id>` or `actions.<id>`), creating the month. */
  async setEntries(
    scope: SchoolScope,
    month: string,
    entries: { concerns?: Record<string, string>; actions?: Record<string, string> },
  ): Promise<void> {
    const set: Record<string, string> = {};
    for (const [id, value] of Object.entries(entries.concerns ?? {}))
      set[`concerns.${fieldOf(id)}`] = value;
    for (const [id, value] of Object.entries(entries.actions ?? {}))
      set[`actions.${fieldOf(id)}`] = value;
    if (Object.keys(set).length === 0) return;
    await this.model.collection.updateOne(
      { _id: monthKey(scope, month) } as never,
      { $set: set, $setOnInsert: { ...scoped(scope), month } },
      { upsert: true },
    );
  }

  /** Removes a concern from a month (its record now counts in another, or is gone). */
  async unsetConcern(scope: SchoolScope, month: string, incidentId: string): Promise<void> {
    await this.model.collection.updateOne({ _id: monthKey(scope, month) } as never, {
      $unset: { [`concerns.${fieldOf(incidentId)}`]: '' },
    });
  }

  /** The months asked for: each one's entries (absent months hold nothing). */
  async monthsOf(
    scope: SchoolScope,
    months: readonly string[],
  ): Promise<{ month: string; concerns: string[]; actions: string[] }[]> {
    if (months.length === 0) return [];
    const docs = await this.model.find({ ...scoped(scope), month: { $in: [...months] } }).lean();
    return docs.map((d) => ({
      month: d.month,
      concerns: Object.values(d.concerns ?? {}),
      actions: Object.values(d.actions ?? {}),
    }));
  }
}
