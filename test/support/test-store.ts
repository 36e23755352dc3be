import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { connectStore } from '../../src/store/connection';

/** The URI of the run's store (the embedded one from global setup, or MONGODB_URI). */
export function testStoreUri(): string {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: is jest global setup configured?');
  return uri;
}

/**
 * A database name unique to one test file (letters, digits, _ and -; at most 38 characters, a
 * FerretDB limit).
 */
export function testDatabaseName(testFile: string): string {
  const base = path
    .basename(testFile)
    .replace(/\.test\.ts$/, '')
    .replace(/[^A-Za-z0-9]/g, '_')
    .slice(0, 28);
  return `t_${base}_${randomBytes(3).toString('hex')}`;
}

/** A connection to a fresh database for one test file; drop it with `dropTestStore`. */
export async function openTestStore(testFile: string): Promise<Connection> {
  return connectStore(testStoreUri(), testDatabaseName(testFile));
}

/** Drops the file's database and closes the connection. */
export async function dropTestStore(connection: Connection): Promise<void> {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
}
