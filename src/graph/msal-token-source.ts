import type { ConfidentialClientApplication } from '@azure/msal-node';
import { msal } from '../shared/lazy-modules';
import { AppError } from '../shared/errors';
import type { GraphTokenSource } from './graph-app-installer';

/** App-only Graph tokens for the bot's own Entra app (client credentials; msal caches them). */
export class MsalGraphTokenSource implements GraphTokenSource {
  private readonly client: ConfidentialClientApplication;

  constructor(options: { clientId: string; clientSecret: string; tenantId: string }) {
    this.client = new (msal().ConfidentialClientApplication)({
      auth: {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        authority: `https://login.microsoftonline.com/${options.tenantId}`,
      },
    });
  }

  async token(): Promise<string> {
    const result = await this.client.acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    if (!result?.accessToken) throw new AppError('ALERT.UNREACHABLE', 'no Graph token');
    return result.accessToken;
  }
}
