import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';

/** What a bulk write did; writing the same input again gives created 0 and updated 0. */
export interface UpsertCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** One kind of document kept unique by (scope fields, key field), e.g. a school's pupils by MIS id. */
export interface KeyedDocuments<T> {
  /** Fields every document shares and the unique index starts with, e.g. tenantId and schoolId. */
  readonly scope: Readonly<Record<string, string>>;
  /** The field unique within the scope. */
  readonly keyField: keyof T & string;
  /** The fields compared and written; an undefined value is stored as an absent field. */
  readonly fields: readonly (keyof T & string)[];
  /** Complete documents (scope and key included), at most one per key. */
  readonly documents: readonly T[];
}

const CHUNK = 500;

/**
 * Creates or updates documents by key, writing only those that differ from what is stored, so a
 * re-run (every `npm start`, a re-imported file) changes nothing and leaves updatedAt alone.
 * New documents go in with insertMany (an upsert each costs ~30 ms on FerretDB); a duplicate key
 * from a concurrent writer turns that insert into an update. Not atomic as a whole: an interrupted
 * run is completed by running it again.
 */
export async function upsertMany<T extends object>(
  model: Model<T>,
  spec: KeyedDocuments<T>,
): Promise<UpsertCounts> {
  const { scope, keyField, fields } = spec;
  const keyOf = (doc: T): string => String(doc[keyField]);
  const stored = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < spec.documents.length; i += CHUNK) {
    const keys = spec.documents.slice(i, i + CHUNK).map(keyOf);
    const docs = await model.find({ ...scope, [keyField]: { $in: keys } } as never).lean();
    for (const doc of docs as Record<string, unknown>[]) stored.set(String(doc[keyField]), doc);
  }

  const inserts: T[] = [];
  const updates: T[] = [];
  for (const doc of spec.documents) {
    const current = stored.get(keyOf(doc));
    if (!current) inserts.push(doc);
    else if (fields.some((f) => !sameValue(current[f], doc[f]))) updates.push(doc);
  }

  let created = 0;
  for (let i = 0; i < inserts.length; i += CHUNK) {
    const batch = inserts.slice(i, i + CHUNK);
    try {
      await model.insertMany(batch.map(withoutUndefined), {
        ordered: false,
        // Without this mongoose silently skips documents that fail validation.
        throwOnValidationError: true,
      });
      created += batch.length;
    } catch (error) {
      const duplicates = duplicateKeyFailures(error);
      if (duplicates === undefined) throw error;
      // Someone else inserted some of these meanwhile: ours win as updates (same input, same result).
      created += batch.length - duplicates;
      updates.push(...batch);
    }
  }

  let updated = 0;
  for (const doc of updates) {
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, 1> = {};
    for (const f of fields) {
      if (doc[f] === undefined) $unset[f] = 1;
      else $set[f] = doc[f];
    }
    const update = Object.keys($unset).length > 0 ? { $set, $unset } : { $set };
    const result = await model.updateOne({ ...scope, [keyField]: keyOf(doc) } as never, update);
    if (stored.has(keyOf(doc)) && result.matchedCount > 0) updated += 1;
  }
  return { created, updated, unchanged: spec.documents.length - created - updated };
}

function sameValue(stored: unknown, next: unknown): boolean {
  if (stored === undefined || stored === null) return next === undefined || next === null;
  if (Array.isArray(stored) || Array.isArray(next)) {
    return JSON.stringify(stored) === JSON.stringify(next);
  }
  return stored === next;
}

function withoutUndefined<T extends object>(doc: T): T {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined)) as T;
}

/**
 * How many writes of a bulk insert failed on a duplicate key (another writer got there first), or
 * undefined when anything else failed.
 */
export function duplicateKeyFailures(error: unknown): number | undefined {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  if (!Array.isArray(writeErrors) || writeErrors.length === 0) {
    return isDuplicateKeyError(error) ? 1 : undefined;
  }
  const allDuplicates = writeErrors.every(
    (e: { code?: unknown; err?: { code?: unknown } }) => (e.code ?? e.err?.code) === 11000,
  );
  return allDuplicates ? writeErrors.length : undefined;
}
