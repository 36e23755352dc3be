import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AppError } from '../shared/errors';

/** Who a verified token says is signed in; roles come from our directory, never from here. */
export interface VerifiedIdentity {
  readonly tenantId: string;
  readonly aadObjectId: string;
  /** Conditional Access authentication contexts satisfied (Entra `acrs`), e.g. ["c1"]. */
  readonly authContexts: readonly string[];
  /** When the token was issued: a step-up is dated from here. */
  readonly issuedAt: Date;
}

/** Verifies bearer tokens for the tab API. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedIdentity>;
}

/** Where a tenant's signing keys come from: Entra in production, a local set in tests. */
export type TenantKeySets = (tenantId: string) => JWTVerifyGetKey;

export interface EntraVerifierOptions {
  readonly keys: TenantKeySets;
  /** Accepted `aud` values: the tab's client id and its `api://<host>/<client id>` URI. */
  readonly audiences: readonly string[];
  /** The delegated scope the tab asks for. */
  readonly requiredScope: string;
  /** Tolerated clock difference with Entra, in seconds. */
  readonly clockToleranceSeconds: number;
  /** Tenants we serve; keys are never fetched for others. */
  readonly isKnownTenant: (tenantId: string) => Promise<boolean>;
  readonly now?: () => Date;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The issuers Entra uses for a tenant: v1 and v2 access tokens. */
export function entraIssuers(tenantId: string): string[] {
  return [
    `https://sts.windows.net/${tenantId}/`,
    `https://login.microsoftonline.com/${tenantId}/v2.0`,
  ];
}

/**
 * Verifies Entra access tokens (and development tokens, which the dev sign-in signs the same way
 * with a key of its own): RS256 signature from the tenant's key set, issuer v1 or v2 of the
 * token's own tenant, audience, expiry with a small skew, the `access_as_user` scope, `oid` and
 * `tid`. Every failure is the same 401 to the client; the reason is logged by code only.
 */
export class EntraTokenVerifier implements TokenVerifier {
  constructor(private readonly options: EntraVerifierOptions) {}

  async verify(token: string): Promise<VerifiedIdentity> {
    const tenantId = await this.tenantOf(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.options.keys(tenantId), {
        algorithms: ['RS256'],
        issuer: entraIssuers(tenantId),
        audience: [...this.options.audiences],
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['exp', 'iat', 'oid', 'tid'],
        ...(this.options.now ? { currentDate: this.options.now() } : {}),
      }));
    } catch (error) {
      throw unauthenticated('token-rejected', error);
    }
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(this.options.requiredScope)) throw unauthenticated('scope-missing');
    const oid = payload.oid;
    if (typeof oid !== 'string' || !GUID.test(oid)) throw unauthenticated('oid-invalid');
    const acrs = Array.isArray(payload.acrs)
      ? payload.acrs.filter((a): a is string => typeof a === 'string')
      : [];
    return {
      tenantId,
      aadObjectId: oid.toLowerCase(),
      authContexts: acrs,
      issuedAt: new Date((payload.iat ?? 0) * 1000),
    };
  }

  // The tenant is read before the signature is checked only to choose its issuers and keys; the
  // signature then covers it. Unknown tenants are refused before any key is fetched.
  private async tenantOf(token: string): Promise<string> {
    let tid: unknown;
    try {
      decodeProtectedHeader(token);
      tid = decodeJwt(token).tid;
    } catch (error) {
      throw unauthenticated('not-a-jwt', error);
    }
    if (typeof tid !== 'string' || !GUID.test(tid)) throw unauthenticated('tenant-invalid');
    const tenantId = tid.toLowerCase();
    if (!(await this.options.isKnownTenant(tenantId))) throw unauthenticated('tenant-unknown');
    return tenantId;
  }
}

function unauthenticated(reason: string, cause?: unknown): AppError {
  return new AppError('TAB.UNAUTHENTICATED', `token not accepted: ${reason}`, { cause });
}

/**
 * Entra's signing keys per tenant, found through the tenant's OpenID configuration and cached
 * (jose keeps the key set and refetches it, with a cool-down, when a token names a new key).
 */
export function entraKeySets(
  authorityHost = 'https://login.microsoftonline.com',
  fetchJson: (url: string) => Promise<unknown> = async (url) => (await fetch(url)).json(),
): TenantKeySets {
  const byTenant = new Map<string, JWTVerifyGetKey>();
  return (tenantId) => {
    const cached = byTenant.get(tenantId);
    if (cached) return cached;
    let remote: Promise<JWTVerifyGetKey> | undefined;
    const getKey: JWTVerifyGetKey = async (header, token) => {
      remote ??= (async () => {
        const config = await fetchJson(
          `${authorityHost}/${tenantId}/v2.0/.well-known/openid-configuration`,
        );
        const jwksUri = (config as { jwks_uri?: unknown }).jwks_uri;
        if (typeof jwksUri !== 'string' || !jwksUri.startsWith('https://')) {
          throw new AppError('TAB.UNAUTHENTICATED', 'tenant OpenID configuration has no jwks_uri');
        }
        return createRemoteJWKSet(new URL(jwksUri));
      })().catch((error: unknown) => {
        remote = undefined; // try again on the next token rather than caching a failure
        throw error;
      });
      return (await remote)(header, token);
    };
    byTenant.set(tenantId, getKey);
    return getKey;
  };
}
