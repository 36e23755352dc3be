export {
  describeAllowedTypes,
  MAX_FILE_BYTES,
  MAX_FILES_PER_MESSAGE,
  RECENT_RECORD_DAYS,
} from './file-limits';
export { extensionOf, sanitiseFileName } from './file-name';
export { allowedTypeForName, checkFile, sniffFileKind } from './file-type';
export { createFileStore, type FileStoreConfig, type SealedFileStore } from './file-store-factory';
export { DiskFileStore } from './disk-file-store';
export { MongoFileStore } from './mongo-file-store.repository';
export { IncidentFileRepository } from './incident-file.repository';
export { RecordFileService, type RecordSummary } from './record-file.service';
export type { NewFile } from './file.types';
export { createFilesModule } from './files.module';
