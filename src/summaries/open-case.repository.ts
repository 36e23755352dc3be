import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';
import { scoped, type SchoolScope } from '../shared/school-scope';

/**
 * One document per open case and pupil it involves (the subject, and each linked pupil, so a
 * conflict of interest is found by an equality seek on `pupilId`). Only the subject's counts.
 */
export interface OpenCaseRow extends SchoolScope {
  readonly incidentId: string;
  readonly reference: string;
  readonly pupilId: string;
  readonly subject: boolean;
  /** When the case opened: recorded, or last reopened. */
  readonly openSince: Date;
  readonly reopened: boolean;
  /** Whole weeks since 1970 of `openSince`: the bucket the desk reads oldest first. */
  readonly week: number;
}

interface OpenCaseDocument extends OpenCaseRow {
  _id: string;
}

/** How many open cases (subjects) opened in one week: the desk sums these for its count. */
interface WeekCountDocument extends SchoolScope {
  _id: string;
  week: number;
  count: number;
}

const openCaseSchema = new Schema<OpenCaseDocument>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    incidentId: { type: String, required: true },
    reference: { type: String, required: true },
    pupilId: { type: String, required: true },
    subject: { type: Boolean, required: true },
    openSince: { type: Date, required: true },
    reopened: { type: Boolean, required: true },
    week: { type: Number, required: true },
  },
  { collection: 'open_cases', strict: 'throw', versionKey: false },
);
// Equality seeks only (the embedded store pushes neither ranges nor sorts down).
openCaseSchema.index({ tenantId: 1, schoolId: 1, week: 1 });
openCaseSchema.index({ tenantId: 1, schoolId: 1, incidentId: 1 });
openCaseSchema.index({ tenantId: 1, schoolId: 1, pupilId: 1 });

const weekCountSchema = new Schema<WeekCountDocument>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    week: { type: Number, required: true },
    count: { type: Number, required: true },
  },
  { collection: 'open_case_weeks', strict: 'throw', versionKey: false },
);
weekCountSchema.index({ tenantId: 1, schoolId: 1 });

const WEEK_MS = 7 * 86_400_000;

export const weekOf = (at: Date): number => Math.floor(at.getTime() / WEEK_MS);

const rowKey = (r: SchoolScope & { incidentId: string; pupilId: string }) =>
  `${r.tenantId}|${r.schoolId}|${r.incidentId}|${r.pupilId}`;
const weekKey = (scope: SchoolScope, week: number) => `${scope.tenantId}|${scope.schoolId}|${week}`;

/** The open cases summary: rows keyed by case and pupil, and a count per school and week. */
export class OpenCaseRepository {
  private readonly rows: Model<OpenCaseDocument>;
  private readonly weeks: Model<WeekCountDocument>;

  constructor(connection: Connection) {
    this.rows =
      connection.models.OpenCase ?? connection.model<OpenCaseDocument>('OpenCase', openCaseSchema);
    this.weeks =
      connection.models.OpenCaseWeek ??
      connection.model<WeekCountDocument>('OpenCaseWeek', weekCountSchema);
  }

  /** A case's rows now (none when it is closed or not summarised yet). */
  async rowsOf(scope: SchoolScope, incidentId: string): Promise<OpenCaseRow[]> {
    const docs = await this.rows.find({ ...scoped(scope), incidentId }).lean();
    return docs.map(toRow);
  }

  /** Makes a case's rows exactly these (none: the case is closed). Safe to repeat. */
  async replaceCase(scope: SchoolScope, incidentId: string, rows: readonly OpenCaseRow[]) {
    for (const row of rows) {
      await this.rows.replaceOne(
        { _id: rowKey(row) },
        { _id: rowKey(row), ...row },
        { upsert: true },
      );
    }
    await this.rows.deleteMany({
      ...scoped(scope),
      incidentId,
      _id: { $nin: rows.map(rowKey) },
    });
  }

  /**
   * Sets a week's count from its rows (an absolute value, not an increment: a replayed event or
   * a crash between the rows and the count is mended by the next change in that week).
   */
  async recountWeek(scope: SchoolScope, week: number): Promise<void> {
    const count = await this.rows.countDocuments({ ...scoped(scope), week, subject: true });
    await this.setWeekCount(scope, week, count);
  }

  async setWeekCount(scope: SchoolScope, week: number, count: number): Promise<void> {
    await this.weeks.replaceOne(
      { _id: weekKey(scope, week) },
      { _id: weekKey(scope, week), ...scoped(scope), week, count },
      { upsert: true },
    );
  }

  /** Each week's count of a school (a few hundred small documents for five years). */
  async weekCounts(scope: SchoolScope): Promise<{ week: number; count: number }[]> {
    const docs = await this.weeks.find(scoped(scope), { _id: 0, week: 1, count: 1 }).lean();
    return docs.map((d) => ({ week: d.week, count: d.count }));
  }

  /** The rows of cases opened in one week. */
  async rowsInWeek(scope: SchoolScope, week: number): Promise<OpenCaseRow[]> {
    const docs = await this.rows.find({ ...scoped(scope), week }).lean();
    return docs.map(toRow);
  }

  /** The open cases about these pupils, as subject or linked (a conflict of interest). */
  async rowsAbout(scope: SchoolScope, pupilIds: readonly string[]): Promise<OpenCaseRow[]> {
    if (pupilIds.length === 0) return [];
    const docs = await this.rows.find({ ...scoped(scope), pupilId: { $in: [...pupilIds] } }).lean();
    return docs.map(toRow);
  }

  /** The one-off build: inserts rows, leaving any an event wrote meanwhile as they are. */
  async insertMissing(rows: readonly OpenCaseRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1_000) {
      const docs = rows.slice(i, i + 1_000).map((r) => ({ _id: rowKey(r), ...r }));
      try {
        await this.rows.insertMany(docs, { ordered: false });
      } catch (error) {
        if (!isDuplicateKeyError(error) && !allDuplicates(error)) throw error;
      }
    }
  }
}

/** insertMany's bulk error: every failure a duplicate key (rows an event wrote first). */
function allDuplicates(error: unknown): boolean {
  const errors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] })
    .writeErrors;
  return Array.isArray(errors) && errors.every((e) => (e.code ?? e.err?.code) === 11000);
}

function toRow(d: OpenCaseDocument): OpenCaseRow {
  return {
    tenantId: d.tenantId,
    schoolId: d.schoolId,
    incidentId: d.incidentId,
    reference: d.reference,
    pupilId: d.pupilId,
    subject: d.subject,
    openSince: new Date(d.openSince),
    reopened: d.reopened,
    week: d.week,
  };
}
