import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';

/**
 * Inserts a document whose unique index says it may exist only once: true when this call stored
 * it, false when it was already there (a second click, a retry, another instance). The insert is
 * the check, because FerretDB has no atomic read-then-write; any other failure is thrown.
 */
export async function insertOnce<T>(model: Model<T>, doc: Partial<T>): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}
