import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  LocalKeyRing,
  NarrativeCipher,
  type KeyWrapper,
  type SealedNarrative,
} from '../../../src/encryption';
import { codeOf } from '../../support/error-code';

const NARRATIVE = {
  facts: 'Ella said her uncle shouts at night',
  childsWords: 'HE SAID NOT TO TELL',
  bodyMapDescriptions: ['bruise, 3 cm, yellowing'],
};

/** Counts unwraps on the way to a real key ring (to see the data-key cache work). */
function countingRing(ring: KeyWrapper): KeyWrapper & { unwraps: number } {
  return {
    unwraps: 0,
    get keyId() {
      return ring.keyId;
    },
    wrap: (dataKey) => ring.wrap(dataKey),
    unwrap(wrapped, keyId) {
      this.unwraps += 1;
      return ring.unwrap(wrapped, keyId);
    },
  };
}

function flipped(buffer: Buffer, at = 0): Buffer {
  const copy = Buffer.from(buffer);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('NarrativeCipher: envelope encryption of narrative fields', () => {
  const ring = LocalKeyRing.inMemory();
  const cipher = new NarrativeCipher(ring);
  const context = 'incident:7c1f0a52';

  it('when a narrative is sealed and opened for the same record, then it comes back exactly', async () => {
    const sealed = await cipher.seal(NARRATIVE, context);
    expect(await cipher.open(sealed, context)).toEqual(NARRATIVE);
    expect(sealed).toMatchObject({ v: 1, keyId: ring.keyId });
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.tag).toHaveLength(16);
    expect(sealed.ciphertext.toString('utf8')).not.toContain('uncle');
  });

  it('when the same narrative is sealed twice, then data key, iv and ciphertext all differ', async () => {
    const a = await cipher.seal(NARRATIVE, context);
    const b = await cipher.seal(NARRATIVE, context);
    expect(a.wrappedKey.equals(b.wrappedKey)).toBe(false);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it.each<[string, (s: SealedNarrative) => SealedNarrative, string]>([
    ['ciphertext', (s) => ({ ...s, ciphertext: flipped(s.ciphertext) }), 'ENCRYPTION.OPEN_FAILED'],
    ['tag', (s) => ({ ...s, tag: flipped(s.tag) }), 'ENCRYPTION.OPEN_FAILED'],
    ['iv', (s) => ({ ...s, iv: flipped(s.iv) }), 'ENCRYPTION.OPEN_FAILED'],
    [
      'wrapped key',
      (s) => ({ ...s, wrappedKey: flipped(s.wrappedKey, 40) }),
      'ENCRYPTION.UNWRAP_FAILED',
    ],
    ['key id', (s) => ({ ...s, keyId: 'local-20260101-00000000' }), 'ENCRYPTION.UNKNOWN_KEY'],
    ['version', (s) => ({ ...s, v: 2 as never }), 'ENCRYPTION.UNSUPPORTED_FORMAT'],
    ['tag length', (s) => ({ ...s, tag: s.tag.subarray(0, 8) }), 'ENCRYPTION.UNSUPPORTED_FORMAT'],
  ])(
    'when the %s is altered, then opening fails with a typed error',
    async (_what, alter, code) => {
      // A cipher without a data-key cache, so each open really unwraps.
      const uncached = new NarrativeCipher(ring, { keyCacheTtlMs: 0 });
      const sealed = await uncached.seal(NARRATIVE, context);
      expect(await codeOf(uncached.open(alter(sealed), context))).toBe(code);
    },
  );

  it('when a sealed narrative is moved to another record, then it does not open there', async () => {
    const sealed = await cipher.seal(NARRATIVE, context);
    expect(await codeOf(cipher.open(sealed, 'incident:another'))).toBe('ENCRYPTION.OPEN_FAILED');
  });

  it('when a key id is changed to another key of the same ring, then the data key does not unwrap', async () => {
    const file = await tempRingWithTwoKeys();
    const sealed = await file.first.seal(NARRATIVE, context);
    const relabelled = { ...sealed, keyId: file.secondKeyId };
    expect(await codeOf(file.second.open(relabelled, context))).toBe('ENCRYPTION.UNWRAP_FAILED');
  });

  it('when another key ring opens the record, then it is refused (its keys are not ours)', async () => {
    const sealed = await cipher.seal(NARRATIVE, context);
    const stranger = new NarrativeCipher(LocalKeyRing.inMemory());
    expect(await codeOf(stranger.open(sealed, context))).toBe('ENCRYPTION.UNKNOWN_KEY');
  });

  it('when file bytes are sealed, then they open whole or streamed, and not as a narrative', async () => {
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    const { envelope, ciphertext } = await cipher.sealBytes(bytes, 'file:f1');
    expect(ciphertext).toHaveLength(bytes.length);
    expect((await cipher.openBytes(envelope, ciphertext, 'file:f1')).equals(bytes)).toBe(true);

    const pieces = [
      ciphertext.subarray(0, 1000),
      ciphertext.subarray(1000, 99_999),
      ciphertext.subarray(99_999),
    ];
    const streamed: Buffer[] = [];
    for await (const part of cipher.openStream(envelope, Readable.from(pieces), 'file:f1')) {
      streamed.push(part);
    }
    expect(Buffer.concat(streamed).equals(bytes)).toBe(true);

    const asNarrative = { ...envelope, ciphertext };
    expect(await codeOf(cipher.open(asNarrative, 'file:f1'))).toBe('ENCRYPTION.OPEN_FAILED');
  });

  it('when streamed bytes were altered, then the stream fails at its end with a typed error', async () => {
    const { envelope, ciphertext } = await cipher.sealBytes(Buffer.alloc(5000, 7), 'file:f2');
    const read = async () => {
      for await (const _ of cipher.openStream(
        envelope,
        Readable.from([flipped(ciphertext, 4000)]),
        'file:f2',
      )) {
        // drain
      }
    };
    expect(await codeOf(read())).toBe('ENCRYPTION.OPEN_FAILED');
  });

  it('when a record is read again within the cache TTL, then its data key is not unwrapped again', async () => {
    let now = 0;
    const counting = countingRing(LocalKeyRing.inMemory());
    const cached = new NarrativeCipher(counting, { keyCacheTtlMs: 1000, now: () => now });
    const sealed = await cached.seal(NARRATIVE, context);
    await cached.open(sealed, context);
    await cached.open(sealed, context);
    expect(counting.unwraps).toBe(0); // the seal remembered the key it made
    now = 1001;
    await cached.open(sealed, context);
    await cached.open(sealed, context);
    expect(counting.unwraps).toBe(1);
  });

  it('when more records are read than the cache holds, then it stays bounded', async () => {
    const counting = countingRing(LocalKeyRing.inMemory());
    const small = new NarrativeCipher(counting, { keyCacheEntries: 3 });
    const sealed = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => small.seal({ n }, `incident:${n}`)),
    );
    // The three most recent keys are in memory; the two oldest were pushed out.
    for (const n of [5, 4, 3]) await small.open(sealed[n - 1]!, `incident:${n}`);
    expect(counting.unwraps).toBe(0);
    for (const n of [1, 2]) await small.open(sealed[n - 1]!, `incident:${n}`);
    expect(counting.unwraps).toBe(2);
  });

  it('when a disposal forgets a data key, then the next read has to unwrap it again (no cached copy is left)', async () => {
    const counting = countingRing(LocalKeyRing.inMemory());
    const cached = new NarrativeCipher(counting, { keyCacheTtlMs: 60_000 });
    const kept = await cached.seal({ n: 1 }, 'incident:kept');
    const disposed = await cached.seal({ n: 2 }, 'incident:disposed');
    expect(cached.cachedKeyCount).toBe(2);
    cached.forget([disposed]);
    expect(cached.cachedKeyCount).toBe(1);
    await cached.open(kept, 'incident:kept');
    expect(counting.unwraps).toBe(0);
    await cached.open(disposed, 'incident:disposed');
    expect(counting.unwraps).toBe(1);
  });

  it('when a data key is re-wrapped for rotation, then only the wrapping changes', async () => {
    const file = await tempRingWithTwoKeys();
    const sealed = await file.first.seal(NARRATIVE, context);
    expect(await file.first.rewrap(sealed)).toBeUndefined(); // already on the active key
    const next = await file.second.rewrap(sealed);
    expect(next?.keyId).toBe(file.secondKeyId);
    const rewrapped = { ...sealed, ...next! };
    expect(await file.second.open(rewrapped, context)).toEqual(NARRATIVE);
  });
});

/** Two ciphers over one key file: before (`first`) and after (`second`) a key was added. */
async function tempRingWithTwoKeys() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyring-'));
  const file = path.join(dir, 'keys.json');
  const first = new NarrativeCipher(await LocalKeyRing.openOrCreate(file));
  const { keyId: secondKeyId } = await LocalKeyRing.addActiveKey(file);
  const second = new NarrativeCipher(await LocalKeyRing.openOrCreate(file), { keyCacheTtlMs: 0 });
  fs.rmSync(dir, { recursive: true, force: true });
  return { first, second, secondKeyId };
}
