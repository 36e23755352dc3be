import { KeyVaultKeyWrapper } from './key-vault-key-wrapper';
import { MsalKeyVaultTokenSource, type KeyVaultIdentity } from './key-vault-token-source';
import { LocalKeyRing } from './local-key-ring';
import { NarrativeCipher } from './narrative-cipher';

/** Where master keys come from (config.ts resolves and checks this). */
export type KeySourceConfig =
  | { readonly source: 'file'; readonly keyFile: string }
  | { readonly source: 'keyvault'; readonly keyId: string; readonly identity: KeyVaultIdentity };

/** The app's cipher: the key file (created on first start) or the Key Vault key. */
export async function createNarrativeCipher(config: KeySourceConfig): Promise<NarrativeCipher> {
  if (config.source === 'file') {
    return new NarrativeCipher(await LocalKeyRing.openOrCreate(config.keyFile));
  }
  const tokens = new MsalKeyVaultTokenSource(config.identity);
  return new NarrativeCipher(new KeyVaultKeyWrapper({ keyId: config.keyId, tokens }));
}

let throwaway: NarrativeCipher | undefined;

/**
 * One cipher per process over an in-memory key ring: what createAppServices uses when a test
 * passes none. Real AES-GCM and real wrapping, but the key dies with the process, so the app and
 * the CLIs always pass the configured cipher instead.
 */
export function throwawayCipher(): NarrativeCipher {
  throwaway ??= new NarrativeCipher(LocalKeyRing.inMemory());
  return throwaway;
}
