import { AppError } from '../shared/errors';
import type { KeyWrapper, WrappedKey } from './sealed.types';

const API_VERSION = '7.4';
const ALGORITHM = 'RSA-OAEP-256';
// Key Vault's documented key URL: https://{vault}/keys/{name}/{version}.
const KEY_URL = /^(https?:\/\/[^/]+)\/keys\/([A-Za-z0-9-]{1,127})\/([A-Za-z0-9]{1,64})$/;

/** Where Key Vault access tokens come from (msal client credentials in the app). */
export interface AccessTokenSource {
  token(): Promise<string>;
}

export interface KeyVaultKeyWrapperOptions {
  /** The active key: its full URL with version, e.g. https://v.vault.azure.net/keys/records/0123…. */
  readonly keyId: string;
  readonly tokens: AccessTokenSource;
  /** Per request; a slow vault must not hold a Teams reply past its limit. */
  readonly timeoutMs?: number;
}

/**
 * Wraps data keys with an RSA key held in Azure Key Vault (wrapKey / unwrapKey, RSA-OAEP-256): the
 * master key never leaves the vault. The key id stored with each record is the key's URL with its
 * version, so a rotation (a new version) leaves older records unwrappable by their own version.
 * Only versions of the configured key are ever called: a key id read from the store cannot send our
 * token to another host.
 */
export class KeyVaultKeyWrapper implements KeyWrapper {
  readonly keyId: string;
  private readonly vault: string;
  private readonly keyName: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: KeyVaultKeyWrapperOptions) {
    const parsed = parseKeyUrl(options.keyId);
    if (!parsed) {
      throw new AppError(
        'ENCRYPTION.KEY_SERVICE',
        'the Key Vault key id must be https://<vault>/keys/<name>/<version>',
      );
    }
    this.keyId = options.keyId;
    this.vault = parsed.vault;
    this.keyName = parsed.name;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async wrap(dataKey: Buffer): Promise<WrappedKey> {
    const result = await this.call(this.keyId, 'wrapkey', dataKey, 'wrap');
    // Key Vault answers with the version it used; it is the configured one, as we name a version.
    const keyId =
      typeof result.kid === 'string' && this.isOurKey(result.kid) ? result.kid : this.keyId;
    return { keyId, wrappedKey: result.value };
  }

  async unwrap(wrapped: Buffer, keyId: string): Promise<Buffer> {
    if (!this.isOurKey(keyId)) {
      throw new AppError('ENCRYPTION.UNKNOWN_KEY', 'key id is not a version of the configured key');
    }
    const result = await this.call(keyId, 'unwrapkey', wrapped, 'unwrap');
    return result.value;
  }

  private isOurKey(keyId: string): boolean {
    const parsed = parseKeyUrl(keyId);
    return parsed?.vault === this.vault && parsed.name === this.keyName;
  }

  /**
   * One operation, retried a little when Key Vault is throttling (429) or briefly unwell (5xx, no
   * answer): a reader is waiting, so at most two retries within a couple of seconds.
   */
  private async call(
    keyUrl: string,
    operation: 'wrapkey' | 'unwrapkey',
    value: Buffer,
    what: 'wrap' | 'unwrap',
  ): Promise<{ kid: unknown; value: Buffer }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.callOnce(keyUrl, operation, value, what);
      } catch (error) {
        const retryAfterMs = (error as { retryAfterMs?: unknown }).retryAfterMs;
        if (attempt > MAX_RETRIES || typeof retryAfterMs !== 'number') throw error;
        await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
      }
    }
  }

  private async callOnce(
    keyUrl: string,
    operation: 'wrapkey' | 'unwrapkey',
    value: Buffer,
    what: 'wrap' | 'unwrap',
  ): Promise<{ kid: unknown; value: Buffer }> {
    const token = await this.options.tokens.token();
    let response: Response;
    try {
      response = await fetch(`${keyUrl}/${operation}?api-version=${API_VERSION}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ alg: ALGORITHM, value: value.toString('base64url') }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw retryable(
        new AppError('ENCRYPTION.KEY_SERVICE', `Key Vault ${what} failed: unreachable`, { cause }),
        RETRY_DEFAULT_MS,
      );
    }
    const body = (await response.json().catch(() => undefined)) as
      { kid?: unknown; value?: unknown; error?: { code?: unknown } } | undefined;
    if (!response.ok) {
      const error = failure(response.status, body?.error?.code, what);
      if (response.status === 429 || response.status >= 500) {
        throw retryable(error, retryAfterMs(response.headers.get('retry-after')));
      }
      throw error;
    }
    if (typeof body?.value !== 'string') {
      throw new AppError('ENCRYPTION.KEY_SERVICE', `Key Vault ${what} answered without a value`);
    }
    return { kid: body.kid, value: Buffer.from(body.value, 'base64url') };
  }
}

const MAX_RETRIES = 2;
const RETRY_DEFAULT_MS = 250;
const RETRY_AT_MOST_MS = 2_000;

/** Marks an error as worth one more try after a pause. */
function retryable(error: AppError, afterMs: number): AppError {
  return Object.assign(error, { retryAfterMs: afterMs });
}

/** Key Vault's Retry-After (seconds), bounded: a waiting reader cannot sit out a long throttle. */
function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  if (!header || !Number.isFinite(seconds) || seconds < 0) return RETRY_DEFAULT_MS;
  return Math.min(seconds * 1000, RETRY_AT_MOST_MS);
}

function parseKeyUrl(keyId: string): { vault: string; name: string } | undefined {
  const match = KEY_URL.exec(keyId);
  return match ? { vault: match[1]!.toLowerCase(), name: match[2]!.toLowerCase() } : undefined;
}

/** Key Vault's status and error code (never its message, which may quote the request). */
function failure(status: number, code: unknown, what: 'wrap' | 'unwrap'): AppError {
  const detail = `Key Vault ${what} failed: HTTP ${status}${typeof code === 'string' ? ` ${code.slice(0, 60)}` : ''}`;
  if (status === 404) return new AppError('ENCRYPTION.UNKNOWN_KEY', detail);
  if (status === 400 && what === 'unwrap') return new AppError('ENCRYPTION.UNWRAP_FAILED', detail);
  return new AppError('ENCRYPTION.KEY_SERVICE', detail);
}
