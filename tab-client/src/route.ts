import type { ChronologyFilter } from './api-types';
import type { DeepLink } from './teams-host';

/** Where the user is in the tab (in memory: the address bar never carries a record). */
export type Route =
  | { view: 'search' }
  | { view: 'pupil'; pupilId: string }
  | { view: 'record'; incidentId: string; pupilId?: string }
  | { view: 'export'; pupilId: string; filter: ChronologyFilter };

export function routeFromDeepLink(link: DeepLink | undefined): Route {
  if (link?.kind === 'pupil') return { view: 'pupil', pupilId: link.id };
  if (link?.kind === 'incident') return { view: 'record', incidentId: link.id };
  return { view: 'search' };
}
