import os from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp, type StartOptions } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createNarrativeCipher, type NarrativeCipher } from '../../src/encryption';
import type { Logger } from '../../src/shared/logger';
import { testDatabaseName, testStoreUri } from './test-store';

// One key ring for test apps, outside the repository's ./data: created on first use (0600) and
// shared by runs and workers, so nothing piles up in the temporary directory.
const KEY_FILE = path.join(os.tmpdir(), 'safeguarding-test-keys', 'encryption-keys.json');

/** The cipher test apps use: a second service graph on a test app's store needs the same keys. */
export function testAppCipher(): Promise<NarrativeCipher> {
  return createNarrativeCipher({ source: 'file', keyFile: KEY_FILE });
}

/**
 * Starts the whole app in-process on a free port, on its own database of the run's store.
 * `env` adds or overrides keys (e.g. production credentials).
 */
export async function startTestApp(
  testFile: string,
  logger: Logger,
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<RunningApp> {
  const config = loadConfig({
    APP_MODE: 'development',
    PORT: '0',
    MONGODB_URI: testStoreUri(),
    MONGODB_DB_NAME: testDatabaseName(testFile),
    PLAYGROUND: 'false',
    SHUTDOWN_TIMEOUT_MS: '2000',
    ENCRYPTION_KEY_FILE: KEY_FILE,
    ...env,
  });
  return startApp(config, logger, options);
}

/** Stops the app after dropping its database (a no-op when start-up itself failed). */
export async function stopTestApp(app: RunningApp | undefined): Promise<void> {
  if (!app) return;
  await app.store.connection.dropDatabase().catch(() => undefined);
  await app.stop();
}
