import type { SchoolScope } from '../shared/school-scope';
import type { Action } from './action.types';

/** Reads the actions of records (newest first), as the action repository does. */
interface ActionsOfRecords {
  listForIncidents(
    scope: SchoolScope,
    incidentIds: readonly string[],
    limit: number,
  ): Promise<Action[]>;
}

/**
 * Who was invited to each record by its actions: the people an action alerted and the assignees
 * of its tasks (the access facts' `invitedAadObjectIds`). A query over the store, not the
 * service, so access can be built from it before the actions service exists.
 */
export async function invitedToRecords(
  store: ActionsOfRecords,
  scope: SchoolScope,
  incidentIds: readonly string[],
): Promise<Map<string, string[]>> {
  const invited = new Map<string, Set<string>>(incidentIds.map((id) => [id, new Set()]));
  for (const action of await store.listForIncidents(scope, incidentIds, 5_000)) {
    const set = invited.get(action.incidentId);
    if (!set) continue;
    action.alertStaffIds.forEach((id) => set.add(id));
    if (action.details.kind === 'task') set.add(action.details.assignee.aadObjectId);
  }
  return new Map([...invited].map(([id, set]) => [id, [...set]]));
}
