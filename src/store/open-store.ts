import type { Connection } from 'mongoose';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { connectStore, pingStore } from './connection';
import { startEmbeddedStore, type EmbeddedStore } from './embedded-store';

/**
 * Where the store is: the app's config has this slice (`config.store`); the store layer defines
 * it so it never imports config.
 */
interface StoreConfig {
  /** MONGODB_URI; none starts the embedded FerretDB. */
  readonly uri: string | undefined;
  readonly dbName: string;
  readonly embeddedDir: string;
  readonly embeddedPort: number;
}

/** The app's store: a mongoose connection, plus the embedded server when we started one. */
export interface OpenStore {
  readonly connection: Connection;
  readonly embedded: EmbeddedStore | undefined;
  close(): Promise<void>;
}

/**
 * Connects to MONGODB_URI, or starts the embedded FerretDB when none is configured, and waits
 * until the server answers ping.
 */
export async function openStore(
  config: { readonly store: StoreConfig },
  logger: Logger,
): Promise<OpenStore> {
  const embedded = config.store.uri
    ? undefined
    : await startEmbeddedStore({
        dataDir: config.store.embeddedDir,
        port: config.store.embeddedPort,
        logger,
        startTimeoutMs: 60_000,
      });
  const uri = config.store.uri ?? embedded!.uri;
  try {
    const connection = await connectStore(uri, config.store.dbName);
    await waitForPing(connection, 30_000);
    return {
      connection,
      embedded,
      async close() {
        await connection.close().catch(() => undefined);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

async function waitForPing(connection: Connection, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pingStore(connection))) {
    if (Date.now() > deadline)
      throw new AppError('STORE.UNAVAILABLE', 'The store did not answer ping');
    await new Promise((r) => setTimeout(r, 200));
  }
}
