import type { DomainEvents } from '../events';
import type { Connection } from 'mongoose';
import type { ActionJob } from '../actions';
import type { AuditTrail } from '../audit';
import type { StatutoryCalendar } from '../clocks';
import type { Clock } from '../shared/clock';
import type { SchoolScope } from '../shared/school-scope';
import { transferChaseClock, type TransferChaseDeps } from './transfer-chase';
import { TransferDeliveryService } from './transfer-delivery.service';
import { TransferLinkRepository } from './transfer-link.repository';
import type { PackageSources } from './transfer-package.sources';
import { TransferRepository } from './transfer.repository';
import { TransferImportService, type TransferImportDeps } from './transfer-import.service';
import { TransferredInRepository } from './transferred-in.repository';
import type { NarrativeCipher } from '../encryption';
import { TransferService } from './transfer.service';

/** What the transfers feature is built from: the ports of the modules below it. */
interface TransfersModuleDeps {
  readonly pupils: { getPupil(scope: SchoolScope, pupilId: string): Promise<unknown> };
  /** True when the school holds a safeguarding record naming the pupil. */
  readonly files: { hasRecords(scope: SchoolScope, pupilId: string): Promise<boolean> };
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly calendar: StatutoryCalendar;
  /** actions/' clock jobs, where each case's chase is scheduled. */
  readonly jobs?: { insertJob(job: ActionJob): Promise<void> };
}

/**
 * Child protection file transfers: the cases and their clock (opened by the MIS import or the
 * team), shown on the desk until the next school's receipt stops the clock.
 */
export function createTransfersModule(connection: Connection, deps: TransfersModuleDeps) {
  const transferRepository = new TransferRepository(connection);
  const transfers = new TransferService({ store: transferRepository, ...deps });
  return { transfers, transferRepository };
}

/**
 * The package and its secure delivery (built by the app, which has every source; the import
 * command needs only the cases above).
 */
export function createTransferDelivery(
  connection: Connection,
  cases: ReturnType<typeof createTransfersModule>,
  deps: {
    sources: PackageSources;
    audit: AuditTrail;
    clock: Clock;
    events: Pick<DomainEvents, 'publish'>;
  },
) {
  const delivery = new TransferDeliveryService({
    cases: cases.transfers,
    store: cases.transferRepository,
    links: new TransferLinkRepository(connection),
    ...deps,
  });
  return { transferDelivery: delivery };
}

/** The chase prompts' clock, for the actions' jobs to run (kind `transfer`). */
export function createTransferChase(
  cases: ReturnType<typeof createTransfersModule>,
  deps: Omit<TransferChaseDeps, 'store'>,
) {
  return { transferChase: transferChaseClock({ store: cases.transferRepository, ...deps }) };
}

/** The receiving side: the team imports a package another school sent (sealed, immutable). */
export function createTransferImport(
  connection: Connection,
  deps: Omit<TransferImportDeps, 'store'> & { cipher: NarrativeCipher },
) {
  const { cipher, ...rest } = deps;
  const transferredIn = new TransferredInRepository(connection, cipher);
  return {
    transferImport: new TransferImportService({ store: transferredIn, ...rest }),
    transferredIn,
  };
}
