/** The one format written today; readers refuse any other so a future format is never misread. */
export const SEALED_FORMAT_VERSION = 1;

/** A data key as its master key wrapped it, and which master key that was. */
export interface WrappedKey {
  /** The master key's id (a key-ring entry id, or a Key Vault key URL with its version). */
  readonly keyId: string;
  readonly wrappedKey: Buffer;
}

/**
 * Everything needed to open a ciphertext except the ciphertext itself: stored next to it (a file's
 * chunks live elsewhere). Rotation rewrites `keyId` and `wrappedKey` only; `iv` and `tag` belong to
 * the ciphertext, which never changes.
 */
export interface KeyEnvelope extends WrappedKey {
  readonly v: typeof SEALED_FORMAT_VERSION;
  /** 12-byte AES-GCM nonce, fresh per seal. */
  readonly iv: Buffer;
  /** 16-byte AES-GCM authentication tag. */
  readonly tag: Buffer;
}

/** A sealed set of narrative fields: a plain object mongoose stores as a subdocument. */
export interface SealedNarrative extends KeyEnvelope {
  readonly ciphertext: Buffer;
}

/** Sealed file bytes: the envelope goes with the metadata, the ciphertext where the bytes went. */
export interface SealedBytes {
  readonly envelope: KeyEnvelope;
  readonly ciphertext: Buffer;
}

/**
 * A master key that wraps data keys. `keyId` is the active key, used for every new wrap; `unwrap`
 * accepts any key the source still holds (older keys stay readable until rotation moves every
 * record off them).
 */
export interface KeyWrapper {
  readonly keyId: string;
  wrap(dataKey: Buffer): Promise<WrappedKey>;
  unwrap(wrapped: Buffer, keyId: string): Promise<Buffer>;
}
