import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalKeyRing, NarrativeCipher } from '../../../src/encryption';
import { AppError } from '../../../src/shared/errors';

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('LocalKeyRing: the development key file', () => {
  let dir: string;
  const keyFile = () => path.join(dir, 'nested', 'encryption-keys.json');
  const readRing = () =>
    JSON.parse(fs.readFileSync(keyFile(), 'utf8')) as {
      activeKeyId: string;
      keys: { id: string; key: string }[];
    };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'key-ring-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when there is no key file, then one is created with mode 0600 holding one active key', async () => {
    const ring = await LocalKeyRing.openOrCreate(keyFile());
    expect(fs.statSync(keyFile()).mode & 0o777).toBe(0o600);
    const stored = readRing();
    expect(stored.keys).toHaveLength(1);
    expect(stored.activeKeyId).toBe(ring.keyId);
    expect(Buffer.from(stored.keys[0]!.key, 'base64')).toHaveLength(32);
  });

  it('when the app starts again, then it finds the same key and opens what it sealed before', async () => {
    const before = new NarrativeCipher(await LocalKeyRing.openOrCreate(keyFile()));
    const sealed = await before.seal({ facts: 'seen at the gate' }, 'incident:1');
    const after = new NarrativeCipher(await LocalKeyRing.openOrCreate(keyFile()));
    expect(after.activeKeyId).toBe(before.activeKeyId);
    expect(await after.open(sealed, 'incident:1')).toEqual({ facts: 'seen at the gate' });
  });

  it('when two processes start at once, then both use the one ring that was written', async () => {
    const [a, b] = await Promise.all([
      LocalKeyRing.openOrCreate(keyFile()),
      LocalKeyRing.openOrCreate(keyFile()),
    ]);
    expect(a.keyId).toBe(b.keyId);
    expect(readRing().keys).toHaveLength(1);
  });

  it('when a key is added, then it becomes active and the older key still unwraps', async () => {
    const old = new NarrativeCipher(await LocalKeyRing.openOrCreate(keyFile()));
    const sealed = await old.seal({ facts: 'x' }, 'incident:2');
    const { keyId, previousKeyId } = await LocalKeyRing.addActiveKey(keyFile());
    expect(previousKeyId).toBe(old.activeKeyId);
    const ring = await LocalKeyRing.openOrCreate(keyFile());
    expect(ring.keyId).toBe(keyId);
    expect(ring.keyIds).toEqual([previousKeyId, keyId]);
    expect(fs.statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect((await ring.wrap(Buffer.alloc(32, 1))).keyId).toBe(keyId);
    expect(await new NarrativeCipher(ring).open(sealed, 'incident:2')).toEqual({ facts: 'x' });
  });

  it('when a running ring meets a key added by a rotation elsewhere, then it reloads the file to unwrap it', async () => {
    const running = await LocalKeyRing.openOrCreate(keyFile());
    await LocalKeyRing.addActiveKey(keyFile());
    const rotated = await LocalKeyRing.openOrCreate(keyFile());
    const wrapped = await rotated.wrap(Buffer.alloc(32, 9));
    expect(await running.unwrap(wrapped.wrappedKey, wrapped.keyId)).toEqual(Buffer.alloc(32, 9));
    // New wraps stay on the key it started with until a restart.
    expect(running.keyId).not.toBe(rotated.keyId);
  });

  it('when other users can read the key file, then it is refused', async () => {
    await LocalKeyRing.openOrCreate(keyFile());
    fs.chmodSync(keyFile(), 0o644);
    const error = await errorOf(LocalKeyRing.openOrCreate(keyFile()));
    expect(error.code).toBe('ENCRYPTION.KEY_FILE');
    expect(error.message).toMatch(/chmod 600/);
  });

  it('when the key file is malformed, then it is refused without quoting any key', async () => {
    await LocalKeyRing.openOrCreate(keyFile());
    const ring = readRing();
    const broken = { ...ring, keys: [{ ...ring.keys[0], key: ring.keys[0]!.key.slice(4) }] };
    fs.writeFileSync(keyFile(), JSON.stringify(broken), { mode: 0o600 });
    const error = await errorOf(LocalKeyRing.openOrCreate(keyFile()));
    expect(error.code).toBe('ENCRYPTION.KEY_FILE');
    expect(error.message).not.toContain(broken.keys[0]!.key!);
  });

  it('when a key file holds the same key id with other key material, then data keys do not unwrap', async () => {
    const original = await LocalKeyRing.openOrCreate(keyFile());
    const wrapped = await original.wrap(Buffer.alloc(32, 3));
    const ring = readRing();
    ring.keys[0]!.key = Buffer.alloc(32, 4).toString('base64');
    fs.writeFileSync(keyFile(), JSON.stringify({ format: 'safeguarding-key-ring/1', ...ring }), {
      mode: 0o600,
    });
    const impostor = await LocalKeyRing.openOrCreate(keyFile());
    const error = await errorOf(impostor.unwrap(wrapped.wrappedKey, wrapped.keyId));
    expect(error.code).toBe('ENCRYPTION.UNWRAP_FAILED');
  });
});
