import {
  LocalKeyRing,
  NarrativeCipher,
  rewrapAll,
  type WrappedKey,
  type WrappedKeyHolder,
  type WrappedKeyRef,
} from '../../../src/encryption';

/** An in-memory holder of our own interface: records by id, each with its wrapped data key. */
function memoryHolder(records: Map<string, WrappedKey>, onReplace?: (id: string) => void) {
  const holder: WrappedKeyHolder & { listCalls: number } = {
    name: 'memory',
    listCalls: 0,
    async listWrappedByOtherKeys(activeKeyId, after, limit) {
      holder.listCalls += 1;
      return [...records.entries()]
        .filter(([id, k]) => k.keyId !== activeKeyId && (after === undefined || id > after))
        .sort(([a], [b]) => a.localeCompare(b))
        .slice(0, limit)
        .map(([id, k]): WrappedKeyRef => ({ id, ...k }));
    },
    async replaceWrappedKey(ref, next) {
      onReplace?.(ref.id);
      const current = records.get(ref.id);
      if (!current?.wrappedKey.equals(ref.wrappedKey)) return false;
      records.set(ref.id, next);
      return true;
    },
  };
  return holder;
}

describe('rewrapAll: moving every data key onto the active master key', () => {
  it('when some keys cannot be unwrapped or change meanwhile, then they are counted, skipped, and the run ends', async () => {
    const ring = LocalKeyRing.inMemory();
    const old = new NarrativeCipher(ring);
    const records = new Map<string, WrappedKey>();
    for (let i = 0; i < 7; i++) {
      const { keyId, wrappedKey } = await old.seal({ n: i }, `incident:${i}`);
      records.set(`id-${i}`, { keyId, wrappedKey });
    }
    // One record names a key nobody has; another is re-sealed by the app while the run is on it.
    records.set('id-3', { keyId: 'local-20200101-deadbeef', wrappedKey: Buffer.alloc(60) });
    const other = LocalKeyRing.inMemory();
    const active = new NarrativeCipher({
      keyId: other.keyId,
      wrap: (k) => other.wrap(k),
      unwrap: (w, id) => (id === other.keyId ? other.unwrap(w, id) : ring.unwrap(w, id)),
    });
    const holder = memoryHolder(records, (id) => {
      if (id === 'id-5')
        records.set('id-5', { keyId: other.keyId, wrappedKey: Buffer.alloc(60, 1) });
    });

    const [counts] = await rewrapAll([holder], active, 3);
    expect(counts).toEqual({
      name: 'memory',
      rewrapped: 5,
      changedMeanwhile: 1,
      failed: 1,
      failures: { 'ENCRYPTION.UNKNOWN_KEY': 1 },
    });
    expect(holder.listCalls).toBe(3); // batches of 3, 3, 1: paging moves past the failure
    const again = await rewrapAll([holder], active, 3);
    expect(again[0]).toMatchObject({ rewrapped: 0, failed: 1 });
  });
});
