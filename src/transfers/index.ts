export {
  createTransferChase,
  createTransferDelivery,
  createTransferImport,
  createTransferredInStore,
  createTransfersModule,
} from './transfers.module';
export type { TransferDeliveryService } from './transfer-delivery.service';
export type { TransferImportService } from './transfer-import.service';
export { openArchive } from './transfer-envelope';
export { packArchive, unpackArchive } from './transfer-archive';
export type { TransferPackage } from './transfer-package.schema';
export { winAnsiSafe } from './transfer-pdf';
export type { TransferService, TransferLine } from './transfer.service';
export { clockStartOf, transferChaseAt } from './transfer-clock';
export type { TransferredInViewService } from './transferred-in-view.service';
