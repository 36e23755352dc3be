import type { SchoolScope } from '../shared/school-scope';

/**
 * A new concern seen by the safeguarding team: who first marked it reviewed and when. Separate
 * from acknowledging an alert (which only says the alert arrived) and from viewing (which says
 * nothing of judgement): a deliberate act, once per record.
 */
export interface RecordReview extends SchoolScope {
  readonly incidentId: string;
  readonly reviewedBy: { readonly aadObjectId: string; readonly displayName: string };
  readonly reviewedAt: Date;
}
