import { Schema, type Connection, type Model } from 'mongoose';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { refuseChanges } from '../store/append-only';
import { insertOnce } from '../store/insert-once';
import type { RecordReview } from './review.types';

interface ReviewDocument extends RecordReview {
  _id: string;
}

const reviewSchema = new Schema<ReviewDocument>(
  {
    // <tenant>|<school>|<incident>: the first review is the one kept, whoever clicks second.
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    incidentId: { type: String, required: true },
    reviewedBy: {
      aadObjectId: { type: String, required: true },
      displayName: { type: String, required: true },
    },
    reviewedAt: { type: Date, required: true },
  },
  { collection: 'record_reviews', strict: 'throw', versionKey: false },
);
reviewSchema.index({ tenantId: 1, schoolId: 1, incidentId: 1 });
refuseChanges(reviewSchema, 'INCIDENT.IMMUTABLE', 'record reviews');

const keyOf = (r: SchoolScope & { incidentId: string }) =>
  `${r.tenantId}|${r.schoolId}|${r.incidentId}`;

/** Stores who first reviewed each record; insert and read only. */
export class ReviewRepository {
  private readonly model: Model<ReviewDocument>;

  constructor(connection: Connection) {
    this.model =
      connection.models.RecordReview ??
      connection.model<ReviewDocument>('RecordReview', reviewSchema);
  }

  /** True when this call made the first review; false when the record was reviewed already. */
  insertFirst(review: RecordReview): Promise<boolean> {
    return insertOnce(this.model, {
      _id: keyOf(review),
      ...scoped(review),
      incidentId: review.incidentId,
      reviewedBy: { ...review.reviewedBy },
      reviewedAt: review.reviewedAt,
    });
  }

  /** The reviews of these records (absent: not reviewed yet), by _id seeks. */
  async reviewsOf(scope: SchoolScope, incidentIds: readonly string[]): Promise<RecordReview[]> {
    if (incidentIds.length === 0) return [];
    const ids = [...new Set(incidentIds)].map((incidentId) => keyOf({ ...scope, incidentId }));
    const docs = await this.model.find({ _id: { $in: ids } }).lean();
    return docs.map((doc) => ({
      tenantId: doc.tenantId,
      schoolId: doc.schoolId,
      incidentId: doc.incidentId,
      reviewedBy: {
        aadObjectId: doc.reviewedBy.aadObjectId,
        displayName: doc.reviewedBy.displayName,
      },
      reviewedAt: new Date(doc.reviewedAt),
    }));
  }
}
