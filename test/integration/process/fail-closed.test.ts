import { connectStore } from '../../../src/store/connection';
import { spawnApp, type AppProcess } from '../../support/app-process';
import { testDatabaseName, testStoreUri } from '../../support/test-store';

/**
 * Fail closed (issue 11): a deployment that forgot a secret must refuse to start, never fall back
 * to development mode (Bot Framework authentication off, demo data, local sign-in). Each case
 * runs the real `node dist/main.js` with a clean environment (spawnApp: only what is given here,
 * plus PATH and HOME, in a directory without a .env).
 */

/** Keys production needs that none of these environments provides. */
const PRODUCTION_KEYS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppTenantId',
  'TAB_CLIENT_ID',
  'MONGODB_URI',
  'PUBLIC_BASE_URL',
  'KEY_VAULT_KEY_ID',
];

/** Waits for the child to exit and returns its exit code and everything it wrote. */
async function outcomeOf(
  app: AppProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const code = await app.exited;
  return { code, stdout: app.stdout.join('\n'), stderr: app.stderr.join('\n') };
}

function expectRefusedNaming(
  outcome: { code: number | null; stdout: string; stderr: string },
  keys: string[],
): void {
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('The app did not start.');
  for (const key of keys) expect(outcome.stderr).toContain(key);
  // Nothing listened, nothing was seeded.
  expect(outcome.stdout).not.toContain('Bot endpoint:');
  expect(outcome.stdout).not.toContain('DEVELOPMENT MODE');
}

describe('fail closed: the app as a process (node dist/main.js)', () => {
  it('when NODE_ENV=production is set without credentials, then it refuses to start and names each missing key', async () => {
    const outcome = await outcomeOf(spawnApp({ NODE_ENV: 'production', PORT: '0' }));
    expectRefusedNaming(outcome, PRODUCTION_KEYS);
    expect(outcome.stderr).toContain('Production rules apply because NODE_ENV=production.');
  });

  it('when only Azure App Service’s WEBSITE_SITE_NAME is present, then it refuses to start and names each missing key', async () => {
    const outcome = await outcomeOf(
      spawnApp({ WEBSITE_SITE_NAME: 'elm-park-safeguarding', PORT: '0' }),
    );
    expectRefusedNaming(outcome, PRODUCTION_KEYS);
    expect(outcome.stderr).toContain('WEBSITE_SITE_NAME is set (Azure App Service)');
    expect(outcome.stderr).not.toContain('elm-park-safeguarding');
  });

  it('when only a production key (the bot secret) is set, then production rules apply and its value is never printed', async () => {
    const secret = 'not-a-real-secret-but-secret-shaped';
    const outcome = await outcomeOf(spawnApp({ MicrosoftAppPassword: secret, PORT: '0' }));
    expectRefusedNaming(
      outcome,
      PRODUCTION_KEYS.filter((k) => k !== 'MicrosoftAppPassword'),
    );
    expect(outcome.stderr).toContain('Production rules apply because MicrosoftAppPassword is set.');
    expect(outcome.stderr).not.toContain(secret);
  });

  it('when APP_MODE=development meets NODE_ENV=production, then it refuses and says which to unset', async () => {
    const outcome = await outcomeOf(
      spawnApp({ APP_MODE: 'development', NODE_ENV: 'production', PORT: '0' }),
    );
    expectRefusedNaming(outcome, ['APP_MODE=development contradicts NODE_ENV=production']);
    expect(outcome.stderr).toContain('unset NODE_ENV');
  });

  it('when development mode is asked to bind HOST=0.0.0.0, then it refuses, says why and names the override', async () => {
    const outcome = await outcomeOf(spawnApp({ HOST: '0.0.0.0', PORT: '0' }));
    expectRefusedNaming(outcome, ['HOST=0.0.0.0']);
    expect(outcome.stderr).toContain('authentication is off');
    expect(outcome.stderr).toContain('could act as any demo user');
    expect(outcome.stderr).toContain('ALLOW_DEVELOPMENT_ON_NETWORK=true');
  });

  describe('with the override', () => {
    const dbName = testDatabaseName(__filename);
    afterAll(async () => {
      const connection = await connectStore(testStoreUri(), dbName);
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    });

    it('when development binds HOST=0.0.0.0 with ALLOW_DEVELOPMENT_ON_NETWORK=true, then it starts, says so loudly, and stops on Ctrl-C', async () => {
      const app = spawnApp({
        APP_MODE: 'development',
        HOST: '0.0.0.0',
        ALLOW_DEVELOPMENT_ON_NETWORK: 'true',
        PORT: '0',
        MONGODB_URI: testStoreUri(),
        MONGODB_DB_NAME: dbName,
        DEMO_SEED: 'false',
        PLAYGROUND: 'false',
        SHUTDOWN_TIMEOUT_MS: '2000',
      });
      try {
        const endpoint = await app.waitForLine((l) => l.includes('Bot endpoint:'));
        const baseUrl = /(http:\/\/\S+)\/api\/messages/.exec(endpoint)![1]!;
        expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
        const stdout = app.stdout.join('\n');
        expect(stdout).toContain('DEVELOPMENT MODE');
        expect(stdout).toContain('ALLOW_DEVELOPMENT_ON_NETWORK=true: this server is reachable');
      } finally {
        app.child.kill('SIGINT');
      }
      expect(await app.exited).toBe(0);
    });
  });
});
