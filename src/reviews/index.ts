export { createReviewsModule } from './reviews.module';
export type { ReviewService } from './review.service';
export type { RecordReview } from './review.types';
