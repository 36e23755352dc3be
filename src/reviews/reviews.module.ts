import type { Connection } from 'mongoose';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { ReviewRepository } from './review.repository';
import { ReviewService } from './review.service';

/** Reviews of new concerns by the team, asked of the one access policy. */
export function createReviewsModule(
  connection: Connection,
  deps: {
    readonly access: ConstructorParameters<typeof ReviewService>[1];
    readonly audit: AuditTrail;
    readonly clock: Clock;
  },
) {
  const reviews = new ReviewService(
    new ReviewRepository(connection),
    deps.access,
    deps.audit,
    deps.clock,
  );
  return { reviews };
}
