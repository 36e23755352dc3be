import type { Connection } from 'mongoose';
import type { NarrativeCipher } from '../encryption';
import type { Clock } from '../shared/clock';
import { createFileStore, type FileStoreConfig } from './file-store-factory';
import { IncidentFileRepository } from './incident-file.repository';
import { RecordFileService, type RecordLookup } from './record-file.service';

interface FilesModuleDeps {
  /** The config slice: where file bytes live (the store by default). */
  readonly store: FileStoreConfig;
  /** Seals file bytes at rest. */
  readonly cipher: NarrativeCipher;
  /** incidents/: the records a file may be attached to. */
  readonly records: RecordLookup;
  readonly clock: Clock;
}

/** Files on records: the sealed bytes, which record each belongs to, and attaching them. */
export function createFilesModule(connection: Connection, deps: FilesModuleDeps) {
  const fileStore = createFileStore(deps.store, connection, deps.cipher);
  const incidentFiles = new IncidentFileRepository(connection);
  const recordFiles = new RecordFileService(fileStore, incidentFiles, deps.records, deps.clock);
  return { fileStore, incidentFiles, recordFiles };
}
