import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from 'jose';
import { entraIssuers, type TenantKeySets } from './entra-token-verifier';

/**
 * Development sign-in: signs tokens shaped like Entra's (v2 issuer of the tenant, the tab's
 * audience, `access_as_user`, `oid`, `tid`, `acrs` when step-up is simulated) with a key made at
 * start-up, so they pass through the same verifier as real tokens. Never built in production.
 */
export class DevTokenIssuer {
  private constructor(
    private readonly privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'],
    private readonly kid: string,
    /** The development key set, for the verifier. */
    readonly keySet: JWTVerifyGetKey,
    private readonly audience: string,
    private readonly stepUpContext: string,
  ) {}

  static async create(audience: string, stepUpContext: string): Promise<DevTokenIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = `dev-${randomUUID()}`;
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new DevTokenIssuer(
      privateKey,
      kid,
      createLocalJWKSet({ keys: [jwk] }),
      audience,
      stepUpContext,
    );
  }

  /** A one-hour token for someone in the directory (the API still resolves their roles). */
  async issue(tenantId: string, aadObjectId: string, stepUp: boolean): Promise<string> {
    return new SignJWT({
      oid: aadObjectId,
      tid: tenantId,
      scp: 'access_as_user',
      ...(stepUp ? { acrs: [this.stepUpContext] } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(entraIssuers(tenantId)[1] ?? '')
      .setAudience(this.audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(this.privateKey);
  }

  /** Entra's keys with the development key in front: a dev token is checked only against it. */
  withDevelopmentKey(entra: TenantKeySets | undefined): TenantKeySets {
    return (tenantId) => async (header, token) => {
      if (header.kid === this.kid || !entra) return this.keySet(header, token);
      return entra(tenantId)(header, token);
    };
  }
}
