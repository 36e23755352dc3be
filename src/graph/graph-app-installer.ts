import type { AppInstaller, InstallResult } from '../alerts';
import type { Logger } from '../shared/logger';

/** Where Graph tokens come from (msal-node in production; tests give a fixed one). */
export interface GraphTokenSource {
  token(): Promise<string>;
}

export interface GraphAppInstallerOptions {
  /** https://graph.microsoft.com, or a stand-in in tests. */
  graphBaseUrl: string;
  /** The app's id in the tenant's app catalog (not the manifest id): Teams admin centre shows it. */
  catalogAppId: string;
  tokens: GraphTokenSource;
  logger: Logger;
  timeoutMs?: number;
}

/**
 * Installs the Teams app for a user through Microsoft Graph
 * (POST /users/{id}/teamwork/installedApps), so an alert can reach someone who never opened the
 * app. Needs the application permission TeamsAppInstallation.ReadWriteSelfForUser.All.
 */
export class GraphAppInstaller implements AppInstaller {
  constructor(private readonly options: GraphAppInstallerOptions) {}

  async installForUser(tenantId: string, aadObjectId: string): Promise<InstallResult> {
    const base = this.options.graphBaseUrl.replace(/\/+$/, '');
    const url = `${base}/v1.0/users/${encodeURIComponent(aadObjectId)}/teamwork/installedApps`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await this.options.tokens.token()}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          'teamsApp@odata.bind': `${base}/v1.0/appCatalogs/teamsApps/${encodeURIComponent(this.options.catalogAppId)}`,
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch {
      return { kind: 'retry-later' };
    }
    await response.arrayBuffer().catch(() => undefined);
    const facts = { event: 'graph.install', tenantId, status: response.status };
    if (response.status === 201 || response.status === 200) {
      this.options.logger.info(facts, 'app installed for user');
      return { kind: 'installed' };
    }
    // 409: already installed (the chat then failed for another reason; the caller retries once).
    if (response.status === 409) return { kind: 'installed' };
    if (response.status === 429 || response.status >= 500) {
      const retryAfter = response.headers.get('retry-after') ?? undefined;
      return { kind: 'retry-later', ...(retryAfter ? { retryAfterHeader: retryAfter } : {}) };
    }
    this.options.logger.warn(facts, 'app install refused');
    return {
      kind: 'not-permitted',
      reason: `Graph refused to install the app (${response.status})`,
    };
  }
}
