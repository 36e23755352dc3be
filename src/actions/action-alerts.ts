import type { AddedActionSubject } from '../alerts';
import type { Action } from './action.types';

/**
 * An action as the alerts feature sees it: ids, its record's reference and category names, who
 * added it, its kind and a task's due time and assignee; never its text. alerts/ owns the outbox
 * documents made from it.
 */
export function alertSubjectOf(
  action: Action,
  categoryNames: readonly string[],
): AddedActionSubject {
  const d = action.details;
  return {
    tenantId: action.tenantId,
    schoolId: action.schoolId,
    incidentId: action.incidentId,
    reference: action.reference,
    actionId: action.actionId,
    sequence: action.sequence,
    kind: d.kind,
    ...(d.kind === 'task' ? { dueAt: d.dueAt, assigneeAadObjectId: d.assignee.aadObjectId } : {}),
    author: { aadObjectId: action.author.aadObjectId, displayName: action.author.displayName },
    recordedAt: action.recordedAt,
    categoryNames: [...categoryNames],
    alertStaffIds: [...action.alertStaffIds],
  };
}
