import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { TenantKeySets } from '../../src/tab';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/**
 * A stand-in for Entra's signing keys: a key set the tab's verifier is given (as Entra's would be
 * fetched), and a signer that makes tokens shaped like Entra's v1/v2 access tokens.
 */
export class EntraStandIn {
  private constructor(
    private readonly pair: KeyPair,
    private readonly stranger: KeyPair,
    readonly keys: TenantKeySets,
  ) {}

  static async create(): Promise<EntraStandIn> {
    const pair = await generateKeyPair('RS256');
    const stranger = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'entra-1', alg: 'RS256', use: 'sig' };
    const set = createLocalJWKSet({ keys: [jwk] });
    return new EntraStandIn(pair, stranger, () => set);
  }

  /** A valid v2 token for this person unless `claims` or `options` say otherwise. */
  async token(
    tenantId: string,
    aadObjectId: string,
    audience: string,
    claims: JWTPayload = {},
    options: { unknownKey?: boolean; expiresIn?: string | number; issuer?: string } = {},
  ): Promise<string> {
    const jwt = new SignJWT({ oid: aadObjectId, tid: tenantId, scp: 'access_as_user', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'entra-1', typ: 'JWT' })
      .setIssuer(options.issuer ?? `https://login.microsoftonline.com/${tenantId}/v2.0`)
      .setAudience(audience)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 5)
      .setExpirationTime(options.expiresIn ?? '1h');
    return jwt.sign(options.unknownKey ? this.stranger.privateKey : this.pair.privateKey);
  }
}
