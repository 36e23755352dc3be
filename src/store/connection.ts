import mongoose, { type Connection } from 'mongoose';
import { withinDeadline } from '../shared/deadline';
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

/**
 * True when the store answers a ping within `withinMs`; used by /readyz and the start-up wait. A
 * stalled store (a frozen process, a hung network) keeps the socket open and never answers, so
 * the wait is bounded here rather than left to the driver: a load balancer asking /readyz must
 * hear "not ready" in time to stop sending traffic.
 */
export async function pingStore(connection: Connection, withinMs = 1_000): Promise<boolean> {
  const db = connection.db;
  if (!db || connection.readyState !== 1) return false;
  const answered = await withinDeadline(
    db
      .admin()
      .command({ ping: 1 })
      .then((reply) => reply.ok === 1)
      .catch(() => false),
    withinMs,
  );
  return answered.done && answered.value;
}

/** Waits until every registered model has its collection and indexes (unique indexes are what
 * make inserts race-safe on FerretDB, so callers must not write before this). */
export async function syncAllIndexes(connection: Connection): Promise<void> {
  for (const model of Object.values(connection.models)) {
    await model.init();
  }
}
