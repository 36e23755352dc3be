import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../shared/errors';
import { asBuffer } from './binary';
import { DataKeyCache } from './data-key-cache';
import {
  SEALED_FORMAT_VERSION,
  type KeyEnvelope,
  type KeyWrapper,
  type SealedBytes,
  type SealedNarrative,
  type WrappedKey,
} from './sealed.types';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Tunables; the defaults suit the app (tests shorten the TTL to watch expiry). */
export interface NarrativeCipherOptions {
  /** How long an unwrapped data key stays in memory, in ms (0 turns the cache off). */
  readonly keyCacheTtlMs?: number;
  /** How many unwrapped data keys at most. */
  readonly keyCacheEntries?: number;
  readonly now?: () => number;
}

/**
 * Envelope encryption of narrative fields and file bytes: AES-256-GCM under a fresh random data
 * key per seal, the data key wrapped by the master key (`KeyWrapper`) and stored with the
 * ciphertext. The caller's context (`incident:<id>`, `file:<id>`) is authenticated with the
 * ciphertext, so a ciphertext copied onto another record does not open. Every failure to open is
 * an AppError (`ENCRYPTION.*`) whose message holds no key or plaintext.
 */
export class NarrativeCipher {
  private readonly dataKeys: DataKeyCache;

  constructor(
    private readonly keys: KeyWrapper,
    options: NarrativeCipherOptions = {},
  ) {
    this.dataKeys = new DataKeyCache(
      options.keyCacheTtlMs ?? 120_000,
      options.keyCacheEntries ?? 1_000,
      options.now,
    );
  }

  /** The master key new seals are wrapped with. */
  get activeKeyId(): string {
    return this.keys.keyId;
  }

  /** Seals a plain object (JSON) for the record named by `context`. */
  async seal(plain: Record<string, unknown>, context: string): Promise<SealedNarrative> {
    const json = Buffer.from(JSON.stringify(plain), 'utf8');
    const { envelope, ciphertext } = await this.sealWithPurpose(json, 'narrative', context);
    return { ...envelope, ciphertext };
  }

  /** Opens what `seal` made for the same context; throws ENCRYPTION.* if anything was altered. */
  async open(sealed: SealedNarrative, context: string): Promise<Record<string, unknown>> {
    const envelope = checkEnvelope(sealed);
    const ciphertext = asBuffer(sealed.ciphertext, 'ciphertext');
    const decipher = await this.decipherFor(envelope, 'narrative', context);
    const json = finish(decipher, [decipher.update(ciphertext)]);
    let value: unknown;
    try {
      value = JSON.parse(json.toString('utf8'));
    } catch {
      value = undefined;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new AppError('ENCRYPTION.UNSUPPORTED_FORMAT', 'sealed narrative is not an object');
    }
    return value as Record<string, unknown>;
  }

  /** Seals file bytes (whole: files are at most a few MB). The ciphertext is as long as the bytes. */
  sealBytes(bytes: Uint8Array, context: string): Promise<SealedBytes> {
    return this.sealWithPurpose(bytes, 'bytes', context);
  }

  /** Opens sealed file bytes whole. */
  async openBytes(envelope: KeyEnvelope, ciphertext: Uint8Array, context: string): Promise<Buffer> {
    const decipher = await this.decipherFor(checkEnvelope(envelope), 'bytes', context);
    return finish(decipher, [decipher.update(ciphertext)]);
  }

  /**
   * Opens sealed file bytes as they stream in. GCM can only authenticate at the end, so bytes are
   * passed on before they are verified and the stream fails with ENCRYPTION.OPEN_FAILED at its end
   * if anything was altered: as with the file stores' checksums, treat a stream error as failure.
   */
  async *openStream(
    envelope: KeyEnvelope,
    ciphertext: AsyncIterable<Uint8Array>,
    context: string,
  ): AsyncGenerator<Buffer> {
    const decipher = await this.decipherFor(checkEnvelope(envelope), 'bytes', context);
    for await (const chunk of ciphertext) {
      const plain = decipher.update(chunk);
      if (plain.byteLength > 0) yield plain;
    }
    const last = finish(decipher, []);
    if (last.byteLength > 0) yield last;
  }

  /**
   * Forgets the unwrapped data keys of envelopes being destroyed (disposal by crypto-shredding):
   * once their wrapped keys are deleted from the store, no cached copy may still open them.
   */
  forget(envelopes: readonly WrappedKey[]): void {
    for (const e of envelopes) this.dataKeys.forget(e.keyId, asBuffer(e.wrappedKey, 'wrapped key'));
  }

  /** How many unwrapped data keys are in memory now (a disposal test checks its own are gone). */
  get cachedKeyCount(): number {
    return this.dataKeys.size;
  }

  /**
   * The data key re-wrapped with the active master key, or undefined when it already is (rotation).
   * Only the wrapping changes: the ciphertext, IV and tag stay as they are.
   */
  async rewrap(current: WrappedKey): Promise<WrappedKey | undefined> {
    if (current.keyId === this.keys.keyId) return undefined;
    const wrappedKey = asBuffer(current.wrappedKey, 'wrapped key');
    const dataKey = await this.keys.unwrap(wrappedKey, current.keyId);
    return this.keys.wrap(dataKey);
  }

  private async sealWithPurpose(
    bytes: Uint8Array,
    purpose: Purpose,
    context: string,
  ): Promise<SealedBytes> {
    const dataKey = randomBytes(KEY_BYTES);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, dataKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(purpose, context));
    const ciphertext = Buffer.concat([cipher.update(bytes), cipher.final()]);
    const tag = cipher.getAuthTag();
    const { keyId, wrappedKey } = await this.keys.wrap(dataKey);
    this.dataKeys.remember(keyId, wrappedKey, dataKey);
    return { envelope: { v: SEALED_FORMAT_VERSION, keyId, wrappedKey, iv, tag }, ciphertext };
  }

  private async decipherFor(envelope: KeyEnvelope, purpose: Purpose, context: string) {
    const dataKey = await this.dataKeys.get(envelope.keyId, envelope.wrappedKey, () =>
      this.keys.unwrap(envelope.wrappedKey, envelope.keyId),
    );
    if (dataKey.byteLength !== KEY_BYTES) {
      throw new AppError('ENCRYPTION.UNWRAP_FAILED', 'unwrapped data key has the wrong length');
    }
    const decipher = createDecipheriv(ALGORITHM, dataKey, envelope.iv, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(additionalData(purpose, context));
    decipher.setAuthTag(envelope.tag);
    return decipher;
  }
}

type Purpose = 'narrative' | 'bytes';

// The purpose keeps a file's ciphertext from being accepted as a narrative and the other way round.
function additionalData(purpose: Purpose, context: string): Buffer {
  return Buffer.from(`safeguarding/v${SEALED_FORMAT_VERSION}/${purpose}/${context}`, 'utf8');
}

function finish(decipher: ReturnType<typeof createDecipheriv>, parts: Buffer[]): Buffer {
  try {
    return Buffer.concat([...parts, decipher.final()]);
  } catch (cause) {
    throw new AppError(
      'ENCRYPTION.OPEN_FAILED',
      'sealed data does not authenticate (altered, or moved from another record)',
      { cause },
    );
  }
}

/** A stored envelope read back as unknown: checked before any byte of it is used. */
function checkEnvelope(value: KeyEnvelope): KeyEnvelope {
  const raw = value as unknown as Record<string, unknown> | null;
  if (!raw || raw.v !== SEALED_FORMAT_VERSION) {
    throw new AppError('ENCRYPTION.UNSUPPORTED_FORMAT', `sealed format ${String(raw?.v)} unknown`);
  }
  if (typeof raw.keyId !== 'string' || raw.keyId === '') {
    throw new AppError('ENCRYPTION.UNSUPPORTED_FORMAT', 'sealed data names no key');
  }
  const iv = asBuffer(raw.iv, 'iv');
  const tag = asBuffer(raw.tag, 'tag');
  if (iv.byteLength !== IV_BYTES || tag.byteLength !== TAG_BYTES) {
    throw new AppError('ENCRYPTION.UNSUPPORTED_FORMAT', 'sealed data has a malformed iv or tag');
  }
  return {
    v: SEALED_FORMAT_VERSION,
    keyId: raw.keyId,
    wrappedKey: asBuffer(raw.wrappedKey, 'wrapped key'),
    iv,
    tag,
  };
}
