import { AppError } from '../shared/errors';
import type { WrappedKey } from './sealed.types';

/** One stored data key: which record holds it, and how it is wrapped now. */
export interface WrappedKeyRef extends WrappedKey {
  /** The holder's own id for the record (opaque to the rotation). */
  readonly id: string;
}

/**
 * A collection (or folder) that holds sealed data, seen only as its wrapped data keys. This is the
 * whole of what rotation may change: a holder offers no way to touch a ciphertext.
 */
export interface WrappedKeyHolder {
  /** A name for reports, e.g. the collection name. */
  readonly name: string;
  /** Up to `limit` records after `after` (in the holder's id order) not wrapped by `activeKeyId`. */
  listWrappedByOtherKeys(
    activeKeyId: string,
    after: string | undefined,
    limit: number,
  ): Promise<WrappedKeyRef[]>;
  /**
   * Replaces the wrapped key and key id, only if the record still holds `ref`'s (a draft saved
   * meanwhile was sealed afresh): false when it did not.
   */
  replaceWrappedKey(ref: WrappedKeyRef, next: WrappedKey): Promise<boolean>;
}

/** Per holder: how many keys were re-wrapped, changed under us, or could not be re-wrapped. */
export interface RewrapCounts {
  readonly name: string;
  rewrapped: number;
  changedMeanwhile: number;
  failed: number;
  /** Error codes of the failures (never keys or text), with counts. */
  readonly failures: Record<string, number>;
}

/**
 * Re-wraps every data key not wrapped by the active master key, holder by holder, in id order and in
 * batches. Safe to run again after an interruption: what was done is on the active key and is
 * skipped; a record that fails (an unknown key) is counted and passed over, never retried forever.
 */
export async function rewrapAll(
  holders: readonly WrappedKeyHolder[],
  cipher: {
    readonly activeKeyId: string;
    rewrap(current: WrappedKey): Promise<WrappedKey | undefined>;
  },
  batchSize = 100,
): Promise<RewrapCounts[]> {
  const report: RewrapCounts[] = [];
  for (const holder of holders) {
    const counts: RewrapCounts = {
      name: holder.name,
      rewrapped: 0,
      changedMeanwhile: 0,
      failed: 0,
      failures: {},
    };
    report.push(counts);
    let after: string | undefined;
    for (;;) {
      const batch = await holder.listWrappedByOtherKeys(cipher.activeKeyId, after, batchSize);
      for (const ref of batch) {
        try {
          const next = await cipher.rewrap(ref);
          if (!next) continue;
          if (await holder.replaceWrappedKey(ref, next)) counts.rewrapped += 1;
          else counts.changedMeanwhile += 1;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          counts.failed += 1;
          counts.failures[error.code] = (counts.failures[error.code] ?? 0) + 1;
        }
      }
      if (batch.length < batchSize) break;
      after = batch[batch.length - 1]!.id;
    }
  }
  return report;
}
