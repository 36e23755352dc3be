import { ConfidentialClientApplication } from '@azure/msal-node';
import { AppError } from '../shared/errors';
import type { AccessTokenSource } from './key-vault-key-wrapper';

/** App-only Key Vault tokens for the bot's own Entra app (client credentials; msal caches them). */
export class MsalKeyVaultTokenSource implements AccessTokenSource {
  private readonly client: ConfidentialClientApplication;

  constructor(options: { clientId: string; clientSecret: string; tenantId: string }) {
    this.client = new ConfidentialClientApplication({
      auth: {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        authority: `https://login.microsoftonline.com/${options.tenantId}`,
      },
    });
  }

  async token(): Promise<string> {
    const result = await this.client.acquireTokenByClientCredential({
      scopes: ['https://vault.azure.net/.default'],
    });
    if (!result?.accessToken) throw new AppError('ENCRYPTION.KEY_SERVICE', 'no Key Vault token');
    return result.accessToken;
  }
}
