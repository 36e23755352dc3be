import { NO_FILTER, type ChronologyFilter } from './api-types';
import type { DeepLink } from './teams-host';

/** Where the user is in the tab (in memory: the address bar never carries a record). */
export type Route =
  | { view: 'search' }
  | { view: 'pupil'; pupilId: string; filter: ChronologyFilter }
  | { view: 'record'; incidentId: string; back?: Route }
  | { view: 'export'; pupilId: string; filter: ChronologyFilter }
  | { view: 'adult-concerns' }
  | { view: 'adult-concern'; concernId: string }
  | { view: 'reports' }
  | { view: 'sars' }
  | { view: 'sar'; sarId: string }
  | { view: 'sar-review'; sarId: string }
  | { view: 'transferred-record'; packageId: string; incidentId: string; back?: Route }
  | { view: 'transfer-import' }
  | { view: 'retention' };

export function routeFromDeepLink(link: DeepLink | undefined): Route {
  if (link?.kind === 'pupil') return { view: 'pupil', pupilId: link.id, filter: NO_FILTER };
  if (link?.kind === 'incident') return { view: 'record', incidentId: link.id };
  return { view: 'search' };
}
