import type { AccessActor, RecordOperation } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import type { SchoolScope } from '../shared/school-scope';
import type { ReviewRepository } from './review.repository';
import type { RecordReview } from './review.types';

/**
 * The safeguarding team marks a new concern reviewed. The access policy decides who may (the
 * team, no second factor: nothing of the record is read); the first review is kept and audited,
 * and a second click answers with that first review.
 */
export class ReviewService {
  constructor(
    private readonly store: Pick<ReviewRepository, 'insertFirst' | 'reviewsOf'>,
    private readonly access: {
      authorize(
        actor: AccessActor,
        incidentId: string,
        operation: RecordOperation,
        requestId?: string,
      ): Promise<unknown>;
    },
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async markReviewed(
    actor: AccessActor,
    incidentId: string,
    requestId?: string,
  ): Promise<{ review: RecordReview; first: boolean }> {
    await this.access.authorize(actor, incidentId, 'review', requestId);
    const review: RecordReview = {
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      incidentId,
      reviewedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      reviewedAt: this.clock.now(),
    };
    if (await this.store.insertFirst(review)) {
      await this.audit.record(
        auditEvent(actor, 'record.review', { kind: 'incident', id: incidentId }, { requestId }),
      );
      return { review, first: true };
    }
    const [earlier] = await this.store.reviewsOf(actor, [incidentId]);
    return { review: earlier ?? review, first: false };
  }

  /** Who reviewed which of these records; a record missing from the map is not reviewed yet. */
  async reviewsOf(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<Map<string, RecordReview>> {
    const reviews = await this.store.reviewsOf(scope, incidentIds);
    return new Map(reviews.map((r) => [r.incidentId, r]));
  }
}
