import { auditEvent, inBatches, type AuditedChanges, type ChangeToAudit } from '../audit';
import type { SchoolScope } from '../shared/school-scope';

/** What an action's `action.create` event is made of (ids, author, time; never its text). */
export interface ActionFacts extends SchoolScope {
  /** The action's id (its `_id` as stored). */
  readonly _id: string;
  readonly author: { readonly aadObjectId: string };
  readonly recordedAt: Date;
}

/** An action and the event it must have: `action.create` of the action, by its author. */
export function actionChange(a: ActionFacts): ChangeToAudit {
  return {
    at: a.recordedAt,
    event: auditEvent(
      { tenantId: a.tenantId, schoolId: a.schoolId, aadObjectId: a.author.aadObjectId },
      'action.create',
      { kind: 'action', id: a._id },
    ),
    // One action, one create event: any found about the action is its own.
    isItsEvent: () => true,
  };
}

/** Where the actions are, for the recovery at start-up and `audit:verify`. */
export function actionChanges(store: {
  auditFacts(where: { since: Date } | { scope: SchoolScope }): AsyncIterable<ActionFacts>;
}): AuditedChanges {
  return {
    since: (since) => inBatches(store.auditFacts({ since }), actionChange),
    ofSchool: (scope) => inBatches(store.auditFacts({ scope }), actionChange),
  };
}
