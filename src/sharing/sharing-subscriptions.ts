import type { Action } from '../actions';
import type { DomainEvents } from '../events';
import type { SchoolScope } from '../shared/school-scope';
import type { SharingService } from './sharing.service';

/**
 * The sharing log follows what others announce: an added referral is a disclosure, logged once
 * (the entry's id is the action's, so the event announced again for a repeated form adds
 * nothing). Any other kind of action is not a disclosure and is ignored.
 */
export function subscribeSharing(
  events: Pick<DomainEvents, 'subscribe'>,
  deps: {
    readonly sharing: Pick<SharingService, 'addReferral'>;
    readonly actions: {
      findAction(scope: SchoolScope, actionId: string): Promise<Action | undefined>;
    };
  },
): void {
  events.subscribe(
    'action.added',
    async (event) => {
      const action = await deps.actions.findAction(event, event.actionId);
      if (action?.details.kind !== 'referral') return;
      await deps.sharing.addReferral({
        tenantId: action.tenantId,
        schoolId: action.schoolId,
        actionId: action.actionId,
        incidentId: action.incidentId,
        reference: action.reference,
        pupilIds: action.pupilIds,
        agencyName: action.details.agencyName,
        referredAt: action.details.referredAt,
        author: action.author,
        recordedAt: action.recordedAt,
      });
    },
    { name: 'sharing.log-referral' },
  );
}
