import type { Action } from '../actions';
import type { DomainEvents } from '../events';
import type { SchoolScope } from '../shared/school-scope';
import type { SharingService } from './sharing.service';

/**
 * The sharing log follows what others announce: an added referral is a disclosure, and so is a
 * child protection file sent to the next school. Each is logged once (the entry's id is the
 * action's, or the transfer's and its package's, so an event announced again adds nothing). Any
 * other kind of action is not a disclosure and is ignored.
 */
export function subscribeSharing(
  events: Pick<DomainEvents, 'subscribe'>,
  deps: {
    readonly sharing: Pick<SharingService, 'addReferral' | 'addTransfer'>;
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
  // A child protection file sent to the next school: logged once per package sent.
  events.subscribe(
    'transfer.sent',
    async (event) => {
      await deps.sharing.addTransfer({
        tenantId: event.tenantId,
        schoolId: event.schoolId,
        transferId: event.transferId,
        pupilId: event.pupilId,
        recipientSchool: event.recipientSchool,
        sentAt: event.sentAt,
        sentBy: event.sentBy,
        sha256: event.sha256,
      });
    },
    { name: 'sharing.log-transfer' },
  );
}
