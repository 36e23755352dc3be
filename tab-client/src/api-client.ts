import type { ChronologyFilter } from './api-types';

/** A refusal from the API: the server's stable code and its user-safe message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Base64 claims challenge, present when the code is ACCESS.STEP_UP_REQUIRED. */
    readonly claims?: string,
  ) {
    super(message);
  }

  get isStepUp(): boolean {
    return this.code === 'ACCESS.STEP_UP_REQUIRED';
  }
}

/** Where tokens come from: Teams SSO, or the development sign-in. Held in memory only. */
export interface TokenSource {
  /** A token for the API; `claims` asks for step-up (the server's challenge). */
  token(claims?: string): Promise<string>;
  /** Forgets every token (the screen was blanked). */
  forget(): void;
}

/** Calls the tab API with the current token; never caches an answer anywhere. */
export class ApiClient {
  constructor(private readonly tokens: TokenSource) {}

  async get<T>(path: string, params: Record<string, string | undefined> = {}): Promise<T> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
    return this.send<T>(`/api/tab/${path}${query.size ? `?${query}` : ''}`, { method: 'GET' });
  }

  /** Sends a JSON body (an amendment); answers as `get` does. */
  async post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>(`/api/tab/${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
  }

  /** Replaces a resource with a JSON body (a pupil's status); answers as `get` does. */
  async put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>(`/api/tab/${path}`, {
      method: 'PUT',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
  }

  private async send<T>(url: string, init: RequestInit): Promise<T> {
    const res = await fetch(url, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${await this.tokens.token()}` },
      cache: 'no-store',
      credentials: 'omit',
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) {
      throw new ApiError(
        res.status,
        String(body.code ?? 'HTTP'),
        String(body.message ?? 'Something went wrong.'),
        typeof body.claims === 'string' ? body.claims : undefined,
      );
    }
    return body as T;
  }

  /** Asks the token source for a stepped-up token (then calls retry as usual). */
  async stepUp(claims: string): Promise<void> {
    await this.tokens.token(claims);
  }
}

/** The chronology filter as the API's query parameters. */
export function filterParams(filter: ChronologyFilter): Record<string, string> {
  return {
    ...(filter.categoryId ? { categoryIds: filter.categoryId } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
    ...(filter.type ? { types: filter.type } : {}),
  };
}
