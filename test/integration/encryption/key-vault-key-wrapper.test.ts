import { KeyVaultKeyWrapper, NarrativeCipher } from '../../../src/encryption';
import { AppError } from '../../../src/shared/errors';
import { FakeKeyVault } from '../../support/fake-key-vault';
import { codeOf } from '../../support/error-code';

describe('KeyVaultKeyWrapper against a Key Vault stand-in over HTTP', () => {
  const vault = new FakeKeyVault();
  let keyId: string;
  let token: string;
  const wrapper = (id = keyId, tokenValue = token) =>
    new KeyVaultKeyWrapper({ keyId: id, tokens: { token: async () => tokenValue } });

  beforeAll(async () => {
    await vault.start();
    keyId = vault.createKeyVersion('safeguarding-records');
    token = vault.issueToken();
  });
  afterAll(() => vault.stop());

  it('when a data key is wrapped and unwrapped, then it comes back and the key id names the version', async () => {
    const dataKey = Buffer.alloc(32, 5);
    const wrapped = await wrapper().wrap(dataKey);
    expect(wrapped.keyId).toBe(keyId);
    expect(wrapped.wrappedKey).toHaveLength(256); // RSA 2048, OAEP
    expect(await wrapper().unwrap(wrapped.wrappedKey, wrapped.keyId)).toEqual(dataKey);
  });

  it('when narratives are sealed through Key Vault, then reads within the TTL reuse the data key', async () => {
    let now = 0;
    const cipher = new NarrativeCipher(wrapper(), { keyCacheTtlMs: 60_000, now: () => now });
    const sealed = await cipher.seal({ facts: 'told a teacher at lunch' }, 'incident:kv-1');
    const before = vault.count('unwrapkey');
    const fresh = new NarrativeCipher(wrapper(), { keyCacheTtlMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(await fresh.open(sealed, 'incident:kv-1')).toEqual({
        facts: 'told a teacher at lunch',
      });
    }
    expect(vault.count('unwrapkey') - before).toBe(1);
    now = 60_001;
    await fresh.open(sealed, 'incident:kv-1');
    expect(vault.count('unwrapkey') - before).toBe(2);
  });

  it('when no bearer token is sent, then the stand-in answers 401 with a challenge, as Key Vault does', async () => {
    const response = await fetch(`${keyId}/wrapkey?api-version=7.4`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ alg: 'RSA-OAEP-256', value: 'AAAA' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer authorization=/);
    expect(await response.json()).toEqual({
      error: { code: 'Unauthorized', message: expect.stringContaining('AKV10000') },
    });
  });

  it('when the token is not accepted, then wrapping fails with ENCRYPTION.KEY_SERVICE naming the status', async () => {
    const error = (await wrapper(keyId, 'not-a-token')
      .wrap(Buffer.alloc(32))
      .catch((e: unknown) => e)) as AppError;
    expect(error).toMatchObject({ code: 'ENCRYPTION.KEY_SERVICE' });
    expect(error.message).toContain('HTTP 401 Unauthorized');
    expect(error.message).not.toContain('not-a-token');
  });

  it('when the key version does not exist, then unwrapping fails with ENCRYPTION.UNKNOWN_KEY (404)', async () => {
    const wrapped = await wrapper().wrap(Buffer.alloc(32, 1));
    const missing = keyId.replace(/\/[0-9a-f]{32}$/, '/00000000000000000000000000000000');
    expect(await codeOf(wrapper().unwrap(wrapped.wrappedKey, missing))).toBe(
      'ENCRYPTION.UNKNOWN_KEY',
    );
    expect(vault.calls.at(-1)).toMatchObject({ operation: 'unwrapkey', status: 404 });
  });

  it('when a stored key id points at another vault or key, then no request is sent there', async () => {
    const calls = vault.calls.length;
    const elsewhere =
      'https://attacker.example.org/keys/safeguarding-records/0123456789abcdef0123456789abcdef';
    const otherKey = keyId.replace('/safeguarding-records/', '/other-key/');
    for (const id of [elsewhere, otherKey]) {
      expect(await codeOf(wrapper().unwrap(Buffer.alloc(256), id))).toBe('ENCRYPTION.UNKNOWN_KEY');
    }
    expect(vault.calls.length).toBe(calls);
  });

  it('when the wrapped key was altered, then Key Vault refuses it (400) and unwrapping fails typed', async () => {
    const wrapped = await wrapper().wrap(Buffer.alloc(32, 2));
    wrapped.wrappedKey[10] = wrapped.wrappedKey[10]! ^ 0xff;
    expect(await codeOf(wrapper().unwrap(wrapped.wrappedKey, wrapped.keyId))).toBe(
      'ENCRYPTION.UNWRAP_FAILED',
    );
  });

  it('when a version is disabled, then operations on it are forbidden (403)', async () => {
    const disabled = vault.createKeyVersion('safeguarding-records');
    vault.disable(disabled);
    expect(await codeOf(wrapper(disabled).wrap(Buffer.alloc(32)))).toBe('ENCRYPTION.KEY_SERVICE');
    expect(vault.calls.at(-1)).toMatchObject({ status: 403 });
  });

  it('when a new key version is configured, then it wraps new keys and still unwraps the old version', async () => {
    const old = await wrapper().wrap(Buffer.alloc(32, 8));
    const next = vault.createKeyVersion('safeguarding-records');
    const rotated = new NarrativeCipher(wrapper(next));
    expect(rotated.activeKeyId).toBe(next);
    const rewrapped = await rotated.rewrap(old);
    expect(rewrapped?.keyId).toBe(next);
    expect(await wrapper(next).unwrap(rewrapped!.wrappedKey, next)).toEqual(Buffer.alloc(32, 8));
  });

  it('when Key Vault throttles briefly, then the call is retried; when it keeps throttling, it fails typed', async () => {
    vault.throttleNext(2);
    const wrapped = await wrapper().wrap(Buffer.alloc(32, 6));
    expect(vault.calls.slice(-3).map((c) => c.status)).toEqual([429, 429, 200]);
    vault.throttleNext(3);
    expect(await codeOf(wrapper().unwrap(wrapped.wrappedKey, wrapped.keyId))).toBe(
      'ENCRYPTION.KEY_SERVICE',
    );
    expect(vault.calls.slice(-3).map((c) => c.status)).toEqual([429, 429, 429]);
  });

  it('when Key Vault cannot be reached, then the error is ENCRYPTION.KEY_SERVICE', async () => {
    const down = new FakeKeyVault();
    await down.start();
    const id = down.createKeyVersion('k');
    await down.stop();
    const unreachable = new KeyVaultKeyWrapper({ keyId: id, tokens: { token: async () => 't' } });
    expect(await codeOf(unreachable.wrap(Buffer.alloc(32)))).toBe('ENCRYPTION.KEY_SERVICE');
  });

  it('when the configured key id has no version, then the wrapper refuses to be built', () => {
    expect(() => wrapper(`${vault.url}/keys/safeguarding-records`)).toThrow(
      expect.objectContaining({ code: 'ENCRYPTION.KEY_SERVICE' }),
    );
  });
});
