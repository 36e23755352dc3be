import type { NarrativeCipher, WrappedKeyHolder } from '../encryption';
import { AppError } from '../shared/errors';
import { DiskFileStore } from './disk-file-store';
import type { FileStore } from './file.types';
import { MongoFileStore } from './mongo-file-store.repository';

/** Where file bytes are kept: in the database (the default, backed up with it) or a directory. */
export interface FileStoreConfig {
  readonly kind: 'mongo' | 'disk';
  /** Required for `disk`: the directory holding one file per id. */
  readonly dir?: string;
}

/**
 * Builds the configured file store. The connection is typed through MongoFileStore so this file
 * needs no mongoose import (only repositories talk to the store).
 */
export function createFileStore(
  config: FileStoreConfig,
  connection: ConstructorParameters<typeof MongoFileStore>[0],
  cipher: NarrativeCipher,
): SealedFileStore {
  if (config.kind === 'disk') {
    if (!config.dir) {
      throw new AppError('FILE.STORE_CONFIG', 'the disk file store needs a directory');
    }
    return new DiskFileStore(config.dir, cipher);
  }
  return new MongoFileStore(connection, cipher);
}

/** A file store whose bytes are sealed, and whose data keys key rotation can re-wrap. */
export interface SealedFileStore extends FileStore {
  wrappedKeys(): WrappedKeyHolder;
}
