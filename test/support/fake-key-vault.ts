import {
  constants,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface KeyVersion {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
  enabled: boolean;
}

/** One request the fake received (without its body: that is key material). */
export interface KeyVaultCall {
  readonly method: string;
  readonly path: string;
  readonly operation: string;
  readonly status: number;
}

/**
 * A stand-in for Azure Key Vault's keys API (wrapKey / unwrapKey, RSA-OAEP-256) over real HTTP,
 * answering as the service does: `POST /keys/{name}/{version}/{wrapkey|unwrapkey}?api-version=…`
 * with `{alg, value}` (base64url) → 200 `{kid, value}`; 401 with a WWW-Authenticate challenge
 * when the bearer token is missing or not one it issued; 400 BadParameter for a missing
 * api-version, an unsupported algorithm or a value that does not decrypt; 404 KeyNotFound for an
 * unknown key or version; 403 Forbidden for a disabled version; 429 Throttled with Retry-After
 * when told to throttle. Errors are `{error:{code,message}}`.
 */
export class FakeKeyVault {
  readonly calls: KeyVaultCall[] = [];
  /** Tokens it accepts; `issueToken` adds one. */
  private readonly tokens = new Set<string>();
  private readonly keys = new Map<string, Map<string, KeyVersion>>();
  private throttled = 0;
  private server: http.Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  issueToken(): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.add(token);
    return token;
  }

  /** Creates a new version of an RSA 2048 key (the key too, the first time); returns its URL. */
  createKeyVersion(name: string): string {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const version = randomBytes(16).toString('hex');
    const versions = this.keys.get(name) ?? new Map<string, KeyVersion>();
    versions.set(version, { publicKey, privateKey, enabled: true });
    this.keys.set(name, versions);
    return `${this.url}/keys/${name}/${version}`;
  }

  disable(keyUrl: string): void {
    const [name, version] = keyUrl.split('/').slice(-2);
    const key = this.keys.get(name!)?.get(version!);
    if (key) key.enabled = false;
  }

  /** The next `count` authorised requests are throttled (429, Retry-After: 0), as Key Vault does. */
  throttleNext(count: number): void {
    this.throttled = count;
  }

  /** Calls of one operation (`wrapkey` or `unwrapkey`). */
  count(operation: string): number {
    return this.calls.filter((c) => c.operation === operation).length;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const match = /^\/keys\/([^/]+)\/([^/]+)\/(wrapkey|unwrapkey)$/.exec(url.pathname);
    const operation = match?.[3] ?? 'unknown';
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.calls.push({ method: req.method ?? '', path: url.pathname, operation, status });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: string, message: string) =>
      answer(status, { error: { code, message } });

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !this.tokens.has(bearer)) {
      return answer(
        401,
        {
          error: {
            code: 'Unauthorized',
            message: bearer
              ? 'AKV10032: Invalid issuer.'
              : 'AKV10000: Request is missing a Bearer or PoP token.',
          },
        },
        {
          'www-authenticate':
            'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"',
        },
      );
    }
    if (this.throttled > 0) {
      this.throttled -= 1;
      return answer(
        429,
        {
          error: {
            code: 'Throttled',
            message: 'Request was not processed because too many requests were received.',
          },
        },
        { 'retry-after': '0' },
      );
    }
    if (!url.searchParams.get('api-version')) {
      return error(400, 'BadParameter', 'The api-version query parameter is missing.');
    }
    if (!match || req.method !== 'POST') {
      return error(400, 'BadParameter', 'The request URI is not valid.');
    }
    const [, name, version] = match;
    const key = this.keys.get(name!)?.get(version!);
    if (!key) {
      return error(
        404,
        'KeyNotFound',
        `A key with (name/id) ${name}/${version} was not found in this key vault.`,
      );
    }
    if (!key.enabled) {
      return error(403, 'Forbidden', `Operation ${operation} is not allowed on a disabled key.`);
    }
    let body: { alg?: unknown; value?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return error(400, 'BadParameter', 'The request body is not valid JSON.');
    }
    if (body.alg !== 'RSA-OAEP-256') {
      return error(400, 'BadParameter', `Invalid algorithm: ${String(body.alg)}.`);
    }
    if (typeof body.value !== 'string') {
      return error(400, 'BadParameter', 'Property value is required.');
    }
    const value = Buffer.from(body.value, 'base64url');
    const oaep = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' };
    const kid = `${this.url}/keys/${name}/${version}`;
    if (operation === 'wrapkey') {
      const wrapped = publicEncrypt({ key: key.publicKey, ...oaep }, value);
      return answer(200, { kid, value: wrapped.toString('base64url') });
    }
    try {
      const unwrapped = privateDecrypt({ key: key.privateKey, ...oaep }, value);
      return answer(200, { kid, value: unwrapped.toString('base64url') });
    } catch {
      return error(400, 'BadParameter', 'Error occurred while decrypting the value.');
    }
  }
}
