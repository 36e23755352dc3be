export {
  createTransferChase,
  createTransferDelivery,
  createTransferImport,
  createTransfersModule,
  type TransfersModuleDeps,
} from './transfers.module';
export type { TransferDeliveryService, SentPackage, LinkFacts } from './transfer-delivery.service';
export { MOST_CODE_ATTEMPTS } from './transfer-delivery.service';
export type { TransferImportService, ImportedPackage } from './transfer-import.service';
export { openArchive, sealArchive, normaliseCode } from './transfer-envelope';
export { packArchive, unpackArchive } from './transfer-archive';
export { transferPackageSchema, type TransferPackage } from './transfer-package.schema';
export { winAnsiSafe } from './transfer-pdf';
export type { TransferService, TransferLine, LeaverLine } from './transfer.service';
export type { TransferCase, TransferState } from './transfer.types';
export { clockStartOf, transferChaseAt } from './transfer-clock';
