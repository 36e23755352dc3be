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
import { TransferredInChronologySource } from './transferred-in-chronology';
import { TransferredInRepository, type TransferredFileStore } from './transferred-in.repository';
import { TransferredInViewService } from './transferred-in-view.service';
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
    files: TransferredFileStore;
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

/**
 * What arrived from other schools: the packages (sealed, files in the file store), their lines in
 * the pupil's chronology and their read-only view. Built before the chronology, which lists them.
 */
export function createTransferredInStore(
  connection: Connection,
  deps: {
    cipher: NarrativeCipher;
    fileStore: TransferredFileStore;
    lists: ConstructorParameters<typeof TransferredInChronologySource>[1];
    audit: AuditTrail;
  },
) {
  const transferredIn = new TransferredInRepository(connection, deps.cipher, deps.fileStore);
  return {
    transferredIn,
    transferredInChronology: new TransferredInChronologySource(transferredIn, deps.lists),
    transferredInView: new TransferredInViewService({ store: transferredIn, audit: deps.audit }),
  };
}

/** The receiving side: the team imports a package another school sent (sealed, immutable). */
export function createTransferImport(
  received: ReturnType<typeof createTransferredInStore>,
  deps: Omit<TransferImportDeps, 'store'>,
) {
  return {
    transferImport: new TransferImportService({ store: received.transferredIn, ...deps }),
  };
}
