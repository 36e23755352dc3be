import { ApiError, type TokenSource } from './api-client';
import type { DevUser } from './api-types';
import { teamsSdk } from './teams-host';

/**
 * A token and when it stops being usable, on this browser's clock. Its lifetime is read from the
 * token itself (exp − iat) and counted from when it arrived, never by comparing its `exp` with
 * this browser's clock: the issuer's clock and the browser's need not agree (a PC hours out would
 * otherwise fetch a new token for every request, and lose a step-up as soon as it got one).
 */
interface HeldToken {
  readonly value: string;
  readonly usableUntil: number;
}

function hold(token: string): HeldToken {
  let lifetimeSeconds = 0;
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    const exp = Number(payload.exp);
    const iat = Number(payload.iat ?? payload.nbf);
    if (Number.isFinite(exp) && Number.isFinite(iat)) lifetimeSeconds = exp - iat;
  } catch {
    // Unreadable: treated as already stale, so the next request asks for a new one.
  }
  return { value: token, usableUntil: Date.now() + lifetimeSeconds * 1000 };
}

/** Usable for at least two more minutes (a request started now will not meet an expiry). */
const fresh = (held: HeldToken | undefined): held is HeldToken =>
  held !== undefined && held.usableUntil - Date.now() > 120_000;

/** Teams SSO: the token Teams gives the tab; a claims challenge asks Entra for step-up. */
export class TeamsTokenSource implements TokenSource {
  private current: HeldToken | undefined;

  async token(claims?: string): Promise<string> {
    const { authentication } = await teamsSdk();
    if (claims) {
      // The server sends the challenge base64-encoded; Entra wants the JSON itself.
      this.current = hold(await authentication.getAuthToken({ claims: [atob(claims)] }));
      return this.current.value;
    }
    if (!fresh(this.current)) this.current = hold(await authentication.getAuthToken());
    return this.current.value;
  }

  forget(): void {
    this.current = undefined;
  }
}

/**
 * Development sign-in (outside Teams, when the server offers it): tokens for a demo user, signed by
 * the server's development key. Step-up succeeds only while "Simulate step-up" is on.
 */
export class DevTokenSource implements TokenSource {
  private current: HeldToken | undefined;

  constructor(
    readonly user: DevUser,
    private readonly simulateStepUp: () => boolean,
  ) {}

  async token(claims?: string): Promise<string> {
    if (claims) {
      if (!this.simulateStepUp()) {
        throw new ApiError(401, 'DEV.STEP_UP_OFF', 'Turn on "Simulate step-up" to confirm.');
      }
      this.current = hold(await devSignIn(this.user.aadObjectId, true));
      return this.current.value;
    }
    if (!fresh(this.current)) this.current = hold(await devSignIn(this.user.aadObjectId, false));
    return this.current.value;
  }

  forget(): void {
    this.current = undefined;
  }
}

async function devSignIn(aadObjectId: string, stepUp: boolean): Promise<string> {
  const res = await fetch('/api/tab/dev/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ aadObjectId, stepUp }),
    cache: 'no-store',
  });
  const body = (await res.json().catch(() => ({}))) as { token?: string; code?: string };
  if (!res.ok || !body.token) {
    throw new ApiError(res.status, body.code ?? 'DEV.SIGN_IN', 'Development sign-in failed.');
  }
  return body.token;
}

/** The demo users, or undefined when the server has no development sign-in (production). */
export async function listDevUsers(): Promise<DevUser[] | undefined> {
  try {
    const res = await fetch('/api/tab/dev/users', { cache: 'no-store' });
    if (!res.ok) return undefined;
    return ((await res.json()) as { users: DevUser[] }).users;
  } catch {
    return undefined;
  }
}
