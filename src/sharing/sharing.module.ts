import type { Connection } from 'mongoose';
import type { NarrativeCipher } from '../encryption';
import type { DomainEvents } from '../events';
import { subscribeSharing } from './sharing-subscriptions';
import { SharingRepository } from './sharing.repository';
import { SharingService, type SharingServiceDeps } from './sharing.service';

/** The information-sharing log, and its subscription to the referrals actions/ announces. */
export function createSharingModule(
  connection: Connection,
  deps: Omit<SharingServiceDeps, 'store'> & {
    readonly cipher: NarrativeCipher;
    readonly events: Pick<DomainEvents, 'subscribe'>;
    readonly actions: Parameters<typeof subscribeSharing>[1]['actions'];
  },
) {
  const sharing = new SharingService({
    ...deps,
    store: new SharingRepository(connection, deps.cipher),
  });
  subscribeSharing(deps.events, { sharing, actions: deps.actions });
  return { sharing };
}
