import { personSchemaFields } from '../store/person-fields';
import { Schema, type Connection, type Model } from 'mongoose';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { insertOnce } from '../store/insert-once';
import type { PatternFlag, PatternRule } from './pattern.types';

type FlagDoc = PatternFlag & { _id: string };

const person = personSchemaFields;

const flagSchema = new Schema<FlagDoc>(
  {
    // The flag's key (pupil, rule, window): a replay, a second instance or a restart inserts into
    // the same _id and is refused, so no second flag and no second card.
    _id: { type: String, required: true },
    flagId: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    pupilId: { type: String, required: true },
    ruleId: { type: String, required: true },
    ruleText: { type: String, required: true },
    window: { type: Number, required: true },
    incidentIds: { type: [String], required: true },
    references: { type: [String], required: true },
    categoryId: { type: String },
    triggerIncidentId: { type: String, required: true },
    raisedAt: { type: Date, required: true },
    reviewedAt: { type: Date },
    reviewedBy: { type: person, required: false, _id: false },
  },
  { collection: 'pattern_flags', strict: 'throw', versionKey: false },
);
flagSchema.index({ tenantId: 1, schoolId: 1, reviewedAt: 1, raisedAt: -1 });

interface RulesDoc extends SchoolScope {
  _id: string;
  rules: unknown;
  changedAt: Date;
  changedBy: { aadObjectId: string; displayName: string };
}
const rulesSchema = new Schema<RulesDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    // Checked by patternRulesSchema on the way in and on the way out.
    rules: { type: Schema.Types.Mixed, required: true },
    changedAt: { type: Date, required: true },
    changedBy: { type: person, required: true, _id: false },
  },
  { collection: 'pattern_rules', strict: 'throw', versionKey: false },
);

/** Who reviewed a flag first: the insert decides, whoever clicks second. */
interface ReviewDoc extends SchoolScope {
  _id: string;
  reviewedAt: Date;
  reviewedBy: { aadObjectId: string; displayName: string };
}
const reviewSchema = new Schema<ReviewDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    reviewedAt: { type: Date, required: true },
    reviewedBy: { type: person, required: true, _id: false },
  },
  { collection: 'pattern_flag_reviews', strict: 'throw', versionKey: false },
);

/** A record whose evaluation finished: what the catch-up after a crash looks for. */
interface CheckDoc extends SchoolScope {
  _id: string;
  incidentId: string;
  checkedAt: Date;
}
const checkSchema = new Schema<CheckDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    incidentId: { type: String, required: true },
    checkedAt: { type: Date, required: true },
  },
  { collection: 'pattern_checks', strict: 'throw', versionKey: false },
);

const schoolKey = (scope: SchoolScope) => `${scope.tenantId}|${scope.schoolId}`;

/** Pattern flags, each school's rules, and which records have been evaluated. */
export class PatternRepository {
  private readonly flags: Model<FlagDoc>;
  private readonly rules: Model<RulesDoc>;
  private readonly checks: Model<CheckDoc>;
  private readonly reviews: Model<ReviewDoc>;

  constructor(connection: Connection) {
    this.flags =
      connection.models.PatternFlag ?? connection.model<FlagDoc>('PatternFlag', flagSchema);
    this.rules =
      connection.models.PatternRules ?? connection.model<RulesDoc>('PatternRules', rulesSchema);
    this.checks =
      connection.models.PatternCheck ?? connection.model<CheckDoc>('PatternCheck', checkSchema);
    this.reviews =
      connection.models.PatternFlagReview ??
      connection.model<ReviewDoc>('PatternFlagReview', reviewSchema);
  }

  /** True when this call raised the flag; false when its pupil, rule and window had one. */
  insertFlag(flag: PatternFlag): Promise<boolean> {
    const { categoryId, reviewedAt: _r, reviewedBy: _b, ...rest } = flag;
    return insertOnce(this.flags, {
      _id: flag.flagId,
      ...rest,
      incidentIds: [...flag.incidentIds],
      references: [...flag.references],
      ...(categoryId ? { categoryId } : {}),
    });
  }

  async findFlag(scope: SchoolScope, flagId: string): Promise<PatternFlag | undefined> {
    const doc = await this.flags.findOne({ _id: flagId, ...scoped(scope) }).lean();
    return doc ? toFlag(doc) : undefined;
  }

  /** The school's flags nobody has reviewed, newest first. */
  async openFlags(scope: SchoolScope, limit: number): Promise<PatternFlag[]> {
    const docs = await this.flags
      .find({ ...scoped(scope), reviewedAt: { $exists: false } })
      .sort({ raisedAt: -1 })
      .limit(limit)
      .lean();
    return docs.map(toFlag);
  }

  /**
   * Marks a flag reviewed; true when this call was the first review. The review's insert decides
   * who was first (FerretDB has no atomic read-then-write); the flag then carries it, so the desk
   * finds open flags by one indexed query. A crash between the two is mended by the next click.
   */
  async markReviewed(
    scope: SchoolScope,
    flagId: string,
    by: { aadObjectId: string; displayName: string },
    at: Date,
  ): Promise<{
    first: boolean;
    reviewedAt: Date;
    reviewedBy: { aadObjectId: string; displayName: string };
  }> {
    const first = await insertOnce(this.reviews, {
      _id: flagId,
      ...scoped(scope),
      reviewedAt: at,
      reviewedBy: { ...by },
    });
    const review = first ? undefined : await this.reviews.findOne({ _id: flagId }).lean();
    const reviewedAt = review ? new Date(review.reviewedAt) : at;
    const reviewedBy = review
      ? { aadObjectId: review.reviewedBy.aadObjectId, displayName: review.reviewedBy.displayName }
      : { ...by };
    await this.flags.updateOne(
      { _id: flagId, ...scoped(scope) },
      { $set: { reviewedAt, reviewedBy } },
    );
    return { first, reviewedAt, reviewedBy };
  }

  /** The school's rules as stored (unchecked), or nothing when it never set its own. */
  async rulesOf(scope: SchoolScope): Promise<unknown> {
    const doc = await this.rules.findOne({ _id: schoolKey(scope) }).lean();
    return doc?.rules;
  }

  async saveRules(
    scope: SchoolScope,
    rules: readonly PatternRule[],
    by: { aadObjectId: string; displayName: string },
    at: Date,
  ): Promise<void> {
    await this.rules.updateOne(
      { _id: schoolKey(scope) },
      {
        $set: {
          ...scoped(scope),
          rules: rules.map((r) => ({ ...r })),
          changedAt: at,
          changedBy: { ...by },
        },
      },
      { upsert: true },
    );
  }

  /** Notes that a record's evaluation finished (its flags, if any, are stored). */
  async markChecked(scope: SchoolScope, incidentId: string, at: Date): Promise<void> {
    await insertOnce(this.checks, {
      _id: `${schoolKey(scope)}|${incidentId}`,
      ...scoped(scope),
      incidentId,
      checkedAt: at,
    });
  }

  /** Which of these records (of any school) have been evaluated, by their `<tenant>|<school>|<id>` key. */
  async checkedAmong(
    records: readonly (SchoolScope & { incidentId: string })[],
  ): Promise<Set<string>> {
    if (records.length === 0) return new Set();
    const ids = records.map((r) => `${schoolKey(r)}|${r.incidentId}`);
    const docs = await this.checks.find({ _id: { $in: ids } }, { _id: 1 }).lean();
    return new Set(docs.map((d) => d._id));
  }
}

function toFlag(doc: FlagDoc): PatternFlag {
  return {
    flagId: doc.flagId,
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    pupilId: doc.pupilId,
    ruleId: doc.ruleId,
    ruleText: doc.ruleText,
    window: doc.window,
    incidentIds: [...doc.incidentIds],
    references: [...doc.references],
    ...(doc.categoryId ? { categoryId: doc.categoryId } : {}),
    triggerIncidentId: doc.triggerIncidentId,
    raisedAt: new Date(doc.raisedAt),
    ...(doc.reviewedAt ? { reviewedAt: new Date(doc.reviewedAt) } : {}),
    ...(doc.reviewedBy
      ? {
          reviewedBy: {
            aadObjectId: doc.reviewedBy.aadObjectId,
            displayName: doc.reviewedBy.displayName,
          },
        }
      : {}),
  };
}
