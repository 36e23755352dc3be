export { createTransfersModule, type TransfersModuleDeps } from './transfers.module';
export type { TransferService, TransferLine, LeaverLine } from './transfer.service';
export type { TransferCase, TransferState } from './transfer.types';
export { clockStartOf, transferChaseAt } from './transfer-clock';
