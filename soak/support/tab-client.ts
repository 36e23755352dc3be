import { TENANT_ID } from './soak-school';

/** An answer from the tab API: status, parsed body (or text) and how long it took. */
export interface TabAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly ms: number;
}

/** A development sign-in token for someone in the directory (the tab's own DEVELOPMENT sign-in). */
export async function devToken(
  baseUrl: string,
  aadObjectId: string,
  stepUp = false,
  tenantId = TENANT_ID,
): Promise<string> {
  const answer = await tabRequest(baseUrl, 'POST', '/api/tab/dev/sign-in', undefined, {
    tenantId,
    aadObjectId,
    stepUp,
  });
  const token = (answer.body as { token?: unknown } | undefined)?.token;
  if (answer.status !== 200 || typeof token !== 'string') {
    throw new Error(`dev sign-in answered ${answer.status}`);
  }
  return token;
}

/** One call of the tab API, as the tab client makes it (a bearer token, JSON both ways). */
export async function tabRequest(
  baseUrl: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
  rawBody?: string,
): Promise<TabAnswer> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined || rawBody !== undefined
        ? { 'content-type': 'application/json' }
        : {}),
    },
    ...(rawBody !== undefined
      ? { body: rawBody }
      : body !== undefined
        ? { body: JSON.stringify(body) }
        : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // Not JSON: kept as text.
  }
  return { status: response.status, body: parsed, ms: performance.now() - started };
}
