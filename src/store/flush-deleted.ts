import type { Connection } from 'mongoose';

/**
 * After a disposal: leaves the deleted documents' bytes in none of the store's own files, where
 * the store allows it. The embedded FerretDB (tools/ferretdb-embedded) runs SQLite with
 * `secure_delete`, which zeroes a deleted document in its page, but its write-ahead log still
 * holds the pages as they were until the log is reset; our patch makes `compact` write the log
 * back and truncate it. MongoDB's WiredTiger keeps deleted documents in free blocks until they are
 * reused or the collection is compacted, which is an operator's job on a managed service (the
 * README's limits say so), so nothing is done there. Returns whether the store was flushed.
 */
export async function flushDeletedDocuments(connection: Connection): Promise<boolean> {
  const db = connection.db;
  if (!db) return false;
  const info = await db.admin().command({ buildInfo: 1 });
  if (typeof info.ferretdbVersion !== 'string') return false;
  // Any collection: SQLite checkpoints the whole database file, which holds them all.
  await db.command({ compact: 'incidents' });
  return true;
}
