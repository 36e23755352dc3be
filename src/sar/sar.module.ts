import type { Connection } from 'mongoose';
import type { AuditTrail } from '../audit';
import type { StatutoryCalendar } from '../clocks';
import type { NarrativeCipher } from '../encryption';
import type { Clock } from '../shared/clock';
import { SarBundleService, type SarBundleSources } from './sar-bundle.service';
import { SarRepository } from './sar.repository';
import { SarService, type SarServiceDeps } from './sar.service';

/**
 * Subject access requests: the register (sealed at rest), and the bundle with its review, read
 * through the features that hold the child's data (their own access checks and audit apply).
 */
export function createSarModule(
  connection: Connection,
  deps: Omit<SarBundleSources, 'requests' | 'drafts'> & {
    readonly cipher: NarrativeCipher;
    readonly pupils: SarServiceDeps['pupils'] & SarBundleSources['pupils'];
    readonly audit: AuditTrail;
    readonly clock: Clock;
    readonly calendar: StatutoryCalendar;
  },
) {
  const sarRepository = new SarRepository(connection, deps.cipher);
  const sars = new SarService({
    store: sarRepository,
    pupils: deps.pupils,
    audit: deps.audit,
    clock: deps.clock,
    calendar: deps.calendar,
  });
  const sarBundles = new SarBundleService({ ...deps, requests: sars, drafts: sarRepository });
  return { sars, sarBundles, sarRepository };
}
