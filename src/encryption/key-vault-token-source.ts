import { msal } from '../shared/lazy-modules';
import { AppError } from '../shared/errors';
import type { AccessTokenSource } from './key-vault-key-wrapper';

const KEY_VAULT_RESOURCE = 'https://vault.azure.net';

/** Who the app is to Key Vault: the bot's Entra app (client secret) or its managed identity. */
export type KeyVaultIdentity =
  | {
      readonly kind: 'secret';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly tenantId: string;
    }
  | { readonly kind: 'managed-identity'; readonly clientId: string };

/** App-only Key Vault tokens through msal, which caches them until shortly before expiry. */
export class MsalKeyVaultTokenSource implements AccessTokenSource {
  private readonly acquire: () => Promise<{ accessToken?: string } | null>;

  constructor(identity: KeyVaultIdentity) {
    const { ConfidentialClientApplication, ManagedIdentityApplication } = msal();
    if (identity.kind === 'managed-identity') {
      const client = new ManagedIdentityApplication({
        managedIdentityIdParams: { userAssignedClientId: identity.clientId },
      });
      this.acquire = () => client.acquireToken({ resource: KEY_VAULT_RESOURCE });
    } else {
      const client = new ConfidentialClientApplication({
        auth: {
          clientId: identity.clientId,
          clientSecret: identity.clientSecret,
          authority: `https://login.microsoftonline.com/${identity.tenantId}`,
        },
      });
      this.acquire = () =>
        client.acquireTokenByClientCredential({ scopes: [`${KEY_VAULT_RESOURCE}/.default`] });
    }
  }

  async token(): Promise<string> {
    const result = await this.acquire().catch((cause: unknown) => {
      throw new AppError('ENCRYPTION.KEY_SERVICE', 'no Key Vault token (sign-in failed)', {
        cause,
      });
    });
    if (!result?.accessToken) throw new AppError('ENCRYPTION.KEY_SERVICE', 'no Key Vault token');
    return result.accessToken;
  }
}
