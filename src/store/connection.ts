import mongoose, { type Connection } from 'mongoose';
import { AppError } from '../shared/errors';

/**
 * Opens a mongoose connection (not the global default) so tests can hold one per database and
 * the app can close exactly what it opened.
 */
export async function connectStore(uri: string, dbName: string): Promise<Connection> {
  // Fail fast instead of buffering operations while the store is away: the caller keeps the
  // user's input (drafts) and shows an error, rather than hanging a Teams invoke past 5 s.
  const connection = mongoose.createConnection(uri, {
    dbName,
    bufferCommands: false,
    serverSelectionTimeoutMS: 5_000,
  });
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw new AppError('STORE.UNAVAILABLE', 'Could not connect to the store', { cause: error });
  }
  return connection;
}

/** True when the store answers a ping; used by /readyz and the start-up wait. */
export async function pingStore(connection: Connection): Promise<boolean> {
  try {
    const db = connection.db;
    if (!db || connection.readyState !== 1) return false;
    const reply = await db.admin().command({ ping: 1 });
    return reply.ok === 1;
  } catch {
    return false;
  }
}

/** Waits until every registered model has its collection and indexes (unique indexes are what
 * make inserts race-safe on FerretDB, so callers must not write before this). */
export async function syncAllIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(connection.models)) {
    await model.init();
  }
}
