import { ApiError, type TokenSource } from './api-client';
import type { DevUser } from './api-types';
import { teamsSdk } from './teams-host';

/** Seconds left before a JWT expires (0 when it cannot be read). */
function secondsLeft(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    return Number(payload.exp ?? 0) - Date.now() / 1000;
  } catch {
    return 0;
  }
}

const fresh = (token: string | undefined): token is string =>
  token !== undefined && secondsLeft(token) > 120;

/** Teams SSO: the token Teams gives the tab; a claims challenge asks Entra for step-up. */
export class TeamsTokenSource implements TokenSource {
  private current: string | undefined;

  async token(claims?: string): Promise<string> {
    const { authentication } = await teamsSdk();
    if (claims) {
      // The server sends the challenge base64-encoded; Entra wants the JSON itself.
      this.current = await authentication.getAuthToken({ claims: [atob(claims)] });
      return this.current;
    }
    if (!fresh(this.current)) this.current = await authentication.getAuthToken();
    return this.current;
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
  private current: string | undefined;

  constructor(
    readonly user: DevUser,
    private readonly simulateStepUp: () => boolean,
  ) {}

  async token(claims?: string): Promise<string> {
    if (claims) {
      if (!this.simulateStepUp()) {
        throw new ApiError(401, 'DEV.STEP_UP_OFF', 'Turn on "Simulate step-up" to confirm.');
      }
      this.current = await devSignIn(this.user.aadObjectId, true);
      return this.current;
    }
    if (!fresh(this.current)) this.current = await devSignIn(this.user.aadObjectId, false);
    return this.current;
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
