export { ReviewRepository } from './review.repository';
export { ReviewService } from './review.service';
export type { RecordReview } from './review.types';
