import type { Connection } from 'mongoose';
import { AppError } from '../shared/errors';
import { toIndexed, type IndexedIncident } from './chronology-index.repository';

/**
 * The collections an earlier version kept on the embedded store, one per pupil
 * (`chronology_pupil_<hash of tenant, school and pupil>`), each holding whole index entries.
 */
const PER_PUPIL_PREFIX = 'chronology_pupil_';
const BATCH = 1_000;

/** An entry as an old collection holds it (entries older than alert lists have none). */
type StoredEntry = Omit<IndexedIncident, 'alertStaffIds'> & { alertStaffIds?: readonly string[] };

/** Where migrated entries go: the shared index (ChronologyIndexRepository provides it). */
interface SharedIndexWriter {
  ready(): Promise<void>;
  addMany(entries: readonly IndexedIncident[]): Promise<number>;
}

export interface PerPupilMigration {
  /** Per-pupil collections copied and dropped by this run. */
  readonly collections: number;
  /** Entries this run added to the shared index (ones already there are not counted). */
  readonly added: number;
}

/**
 * Moves the chronology index out of per-pupil collections into the shared one, at start-up.
 * Each collection's entries are inserted if absent (the unique key on tenant, school, pupil and
 * entry), then the collection is dropped. A run that stops part-way (a crash, a failed write)
 * leaves the collections it had not dropped; the next start copies those again, inserting nothing
 * twice, and drops them. So the work is done exactly when no per-pupil collection is left, and a
 * start with none costs one listing of the database's collections. Two instances starting at once
 * do the same: the unique key makes the copies meet, and a collection the other one dropped first
 * is simply gone.
 *
 * `afterCollection` is called once a collection is dropped (tests use it to stop a run part-way).
 */
export async function migratePerPupilChronology(
  connection: Connection,
  index: SharedIndexWriter,
  options: { afterCollection?: (name: string) => void | Promise<void> } = {},
): Promise<PerPupilMigration> {
  const db = connection.db;
  if (!db) throw new AppError('STORE.UNAVAILABLE', 'The store connection is not open');
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((name) => name.startsWith(PER_PUPIL_PREFIX))
    .sort();
  if (names.length === 0) return { collections: 0, added: 0 };
  await index.ready();
  let added = 0;
  for (const name of names) {
    let batch: IndexedIncident[] = [];
    for await (const doc of db.collection<StoredEntry>(name).find({}).batchSize(BATCH)) {
      batch.push(toIndexed({ ...doc, alertStaffIds: doc.alertStaffIds ?? [] }));
      if (batch.length >= BATCH) {
        added += await index.addMany(batch);
        batch = [];
      }
    }
    added += await index.addMany(batch);
    await dropIfPresent(connection, name);
    await options.afterCollection?.(name);
  }
  return { collections: names.length, added };
}

/** Drops a collection; one already gone (another instance got there first) is fine. */
async function dropIfPresent(connection: Connection, name: string): Promise<void> {
  try {
    await connection.db!.dropCollection(name);
  } catch (error) {
    const still = await connection.db!.listCollections({ name }, { nameOnly: true }).toArray();
    if (still.length > 0) throw error;
  }
}
