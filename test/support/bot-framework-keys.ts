import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Claims of a Bot Framework channel token; tests vary them to forge bad ones. */
export interface ChannelTokenClaims {
  iss?: string;
  aud?: string;
  serviceurl?: string;
  exp?: number;
  nbf?: number;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomUUID(), privateKey, publicKey };
}

const b64url = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * A local stand-in for Bot Framework's OpenID metadata and signing keys (login.botframework.com is
 * out of reach here), so the real CloudAdapter's token validation can be exercised end to end.
 */
export class LocalBotFrameworkKeys {
  /** The key the stand-in publishes; tokens signed with it are genuine. */
  private readonly trusted = newKey();
  /** A key nobody published: tokens signed with it are forged. */
  private readonly unknown = newKey();
  private server: http.Server | undefined;
  metadataUrl = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const origin = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/v1/.well-known/openidconfiguration')) {
        res.end(
          JSON.stringify({
            issuer: 'https://api.botframework.com',
            jwks_uri: `${origin}/v1/.well-known/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
          }),
        );
      } else if (req.url?.startsWith('/v1/.well-known/keys')) {
        const jwk = this.trusted.publicKey.export({ format: 'jwk' });
        res.end(
          JSON.stringify({
            keys: [
              { ...jwk, kid: this.trusted.kid, kty: 'RSA', use: 'sig', endorsements: ['msteams'] },
            ],
          }),
        );
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    this.metadataUrl = `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** A token signed by the published key (or, with `forged`, by a key nobody published). */
  token(claims: ChannelTokenClaims, options: { forged?: boolean } = {}): string {
    const key = options.forged ? this.unknown : this.trusted;
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: key.kid, x5t: key.kid };
    const payload = { nbf: now - 60, exp: now + 3600, iat: now - 60, ...claims };
    const signingInput = `${b64url(header)}.${b64url(payload)}`;
    const signature = sign('sha256', Buffer.from(signingInput), key.privateKey).toString(
      'base64url',
    );
    return `${signingInput}.${signature}`;
  }
}
