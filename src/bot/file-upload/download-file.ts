import { AppError } from '../../shared/errors';

/** How the bot may fetch a file Teams offers it. */
export interface DownloadPolicy {
  /** Give up after this long, body included. */
  readonly timeoutMs: number;
  /** Stop reading beyond this many bytes (nothing is buffered past it). */
  readonly maxBytes: number;
  /**
   * Allow plain http to 127.0.0.1 / localhost (development and tests, where a local server plays
   * SharePoint). Everything else must be https.
   */
  readonly allowLocalHttp: boolean;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
// SharePoint answers the download URL directly; a few redirects are tolerated, each re-checked.
const MAX_REDIRECTS = 3;

/** Refuses URLs the policy does not allow (FILE.URL_NOT_ALLOWED); returns the parsed URL. */
function checkDownloadUrl(raw: string, policy: Pick<DownloadPolicy, 'allowLocalHttp'>): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('FILE.URL_NOT_ALLOWED', 'download URL is not a URL');
  }
  // Credentials in a URL are never part of a Teams download link.
  if (url.username || url.password) {
    throw new AppError('FILE.URL_NOT_ALLOWED', 'download URL carries credentials');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && policy.allowLocalHttp && LOCAL_HOSTS.has(url.hostname)) {
    return url;
  }
  throw new AppError('FILE.URL_NOT_ALLOWED', `download URL scheme ${url.protocol} refused`);
}

/**
 * Downloads a file Teams offers (its short-lived, pre-authorised downloadUrl) into memory, with a
 * time limit and a size cap enforced while reading: a response larger than `maxBytes` is aborted
 * as soon as it passes the cap (FILE.TOO_LARGE). Other failures are FILE.DOWNLOAD_FAILED.
 */
export async function downloadFile(rawUrl: string, policy: DownloadPolicy): Promise<Buffer> {
  const controller = new AbortController();
  const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(policy.timeoutMs)]);
  try {
    const response = await fetchFollowingRedirects(
      checkDownloadUrl(rawUrl, policy),
      policy,
      signal,
    );
    if (!response.ok || !response.body) {
      throw new AppError('FILE.DOWNLOAD_FAILED', `download answered ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > policy.maxBytes) {
      throw new AppError('FILE.TOO_LARGE', `download declares ${declared} bytes`);
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > policy.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new AppError('FILE.TOO_LARGE', `download passed ${policy.maxBytes} bytes`);
      }
      parts.push(value);
    }
    return Buffer.concat(parts, total);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const reason = signal.aborted ? 'timed out' : 'failed';
    throw new AppError('FILE.DOWNLOAD_FAILED', `download ${reason}`, { cause: error });
  } finally {
    // Whatever happened, nothing more is read from the connection.
    controller.abort();
  }
}

async function fetchFollowingRedirects(
  first: URL,
  policy: DownloadPolicy,
  signal: AbortSignal,
): Promise<Response> {
  let url = first;
  for (let hop = 0; ; hop++) {
    const response = await fetch(url, { redirect: 'manual', signal });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    await response.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) {
      throw new AppError('FILE.DOWNLOAD_FAILED', 'download redirected too many times');
    }
    url = checkDownloadUrl(new URL(location, url).toString(), policy);
  }
}
