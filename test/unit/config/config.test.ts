import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../../../src/config';

const PRODUCTION = {
  APP_MODE: 'production',
  MicrosoftAppId: '6a3c8c1e-0d5f-4f7e-9a53-3f0b7c2d9e11',
  MicrosoftAppPassword: 'secret',
  MicrosoftAppTenantId: '2f4a1d7e-8b3c-4e5f-9a6b-7c8d9e0f1a2b',
  TAB_CLIENT_ID: '6a3c8c1e-0d5f-4f7e-9a53-3f0b7c2d9e11',
  MONGODB_URI: 'mongodb://db.example.org:27017',
  PUBLIC_BASE_URL: 'https://safeguarding.example.org',
  KEY_VAULT_KEY_ID:
    'https://school.vault.azure.net/keys/safeguarding-records/0123456789abcdef0123456789abcdef',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('when nothing is set, then the app runs in development mode with auth off and demo data', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('development');
    expect(config.bot.authEnabled).toBe(false);
    expect(config.demo.seed).toBe(true);
    expect(config.devSignIn).toBe(true);
    expect(config.playground.enabled).toBe(true);
    expect(config.store.uri).toBeUndefined();
    expect(path.isAbsolute(config.store.embeddedDir)).toBe(true);
    expect(config.port).toBe(3978);
  });

  it('when a bot app id is given and no mode, then production is assumed', () => {
    expect(problemsOf({ MicrosoftAppId: PRODUCTION.MicrosoftAppId })).toContain(
      'MicrosoftAppPassword is required in production',
    );
  });

  it('when production lacks every credential, then every missing key is named at once', () => {
    const problems = problemsOf({ APP_MODE: 'production' });
    for (const key of [
      'MicrosoftAppId',
      'MicrosoftAppPassword',
      'MicrosoftAppTenantId',
      'TAB_CLIENT_ID',
      'MONGODB_URI',
      'PUBLIC_BASE_URL',
    ]) {
      expect(problems.some((p) => p.startsWith(key))).toBe(true);
    }
  });

  it('when production asks for development conveniences, then each is refused', () => {
    const problems = problemsOf({
      ...PRODUCTION,
      DEV_SIGN_IN: 'true',
      DEMO_SEED: 'true',
      PLAYGROUND: 'true',
    });
    expect(problems).toEqual([
      'DEV_SIGN_IN cannot be enabled in production',
      'DEMO_SEED cannot be enabled in production',
      'PLAYGROUND cannot be enabled in production',
    ]);
  });

  it('when production is complete, then auth is on and development features are off', () => {
    const config = loadConfig(PRODUCTION);
    expect(config.mode).toBe('production');
    expect(config.bot.authEnabled).toBe(true);
    expect(config.devSignIn).toBe(false);
    expect(config.demo.seed).toBe(false);
    expect(config.playground.enabled).toBe(false);
  });

  it('when production is given an http base URL, then it is refused', () => {
    expect(problemsOf({ ...PRODUCTION, PUBLIC_BASE_URL: 'http://x.example.org' })).toEqual([
      'PUBLIC_BASE_URL must be https:// in production',
    ]);
  });

  it('when values are malformed, then every bad key is reported together', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', MONGODB_DB_NAME: 'a.b' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'MONGODB_DB_NAME', 'LOG_LEVEL']);
  });

  it('when configuration is loaded, then it is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.bot)).toBe(true);
  });

  it('when .env.example is read, then it documents exactly the keys config reads', () => {
    const example = fs.readFileSync(path.join(__dirname, '..', '..', '..', '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#?\s*([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]);
    expect([...new Set(documented)].sort()).toEqual([...CONFIG_KEYS].sort());
  });
});

describe('alert and school-day configuration', () => {
  it('when nothing is set, then alerts escalate deputies, DSL, head after 15 minutes of school time', () => {
    const { alerts } = loadConfig({});
    expect(alerts.escalation.ackWithinMinutes).toBe(15);
    expect(alerts.escalation.ladder).toEqual([['deputy-dsl'], ['dsl'], ['head']]);
    expect(alerts.schoolDay.days).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
  });

  it('when a ladder, school day and closures are given, then they are read', () => {
    const { alerts } = loadConfig({
      ESCALATION_LADDER: 'dsl>head+slt',
      SCHOOL_DAY_START: '08:30',
      SCHOOL_DAY_END: '15:30',
      SCHOOL_CLOSURES: '2026-12-21..2027-01-01, 2027-02-15',
    });
    expect(alerts.escalation.ladder).toEqual([['dsl'], ['head', 'slt']]);
    expect(alerts.schoolDay.start).toBe('08:30');
    expect(alerts.schoolDay.closures).toHaveLength(2);
  });

  it('when the ladder names an unknown role or the day ends before it starts, then each is named', () => {
    const problems = problemsOf({
      ESCALATION_LADDER: 'dsl>janitor',
      SCHOOL_DAY_START: '16:00',
      SCHOOL_DAY_END: '09:00',
    });
    expect(problems.join('\n')).toMatch(/ESCALATION_LADDER/);
    expect(problems.join('\n')).toMatch(/school day/);
  });
});

describe('configuration of encryption at rest', () => {
  it('when nothing is set, then development uses a key file next to the embedded store', () => {
    const config = loadConfig({ EMBEDDED_STORE_DIR: '/tmp/store' });
    expect(config.encryption).toEqual({
      source: 'file',
      keyFile: '/tmp/store/encryption-keys.json',
    });
  });

  it('when production is complete, then the Key Vault key is used with the bot app credentials', () => {
    expect(loadConfig(PRODUCTION).encryption).toEqual({
      source: 'keyvault',
      keyId: PRODUCTION.KEY_VAULT_KEY_ID,
      identity: {
        kind: 'secret',
        clientId: PRODUCTION.MicrosoftAppId,
        clientSecret: PRODUCTION.MicrosoftAppPassword,
        tenantId: PRODUCTION.MicrosoftAppTenantId,
      },
    });
  });

  it('when the bot runs as a user-assigned managed identity, then Key Vault is reached with it', () => {
    const { MicrosoftAppPassword: _secret, ...msi } = PRODUCTION;
    expect(loadConfig({ ...msi, MicrosoftAppType: 'UserAssignedMSI' }).encryption).toEqual({
      source: 'keyvault',
      keyId: PRODUCTION.KEY_VAULT_KEY_ID,
      identity: { kind: 'managed-identity', clientId: PRODUCTION.MicrosoftAppId },
    });
  });

  it('when production has no Key Vault key, then it refuses to start and names the key', () => {
    const { KEY_VAULT_KEY_ID: _omitted, ...withoutKey } = PRODUCTION;
    expect(problemsOf(withoutKey)).toContain(
      'KEY_VAULT_KEY_ID is required for keyvault encryption',
    );
  });

  it('when production asks for a key file, then it is refused unless explicitly allowed, with a path', () => {
    const file = { ...PRODUCTION, ENCRYPTION_KEY_SOURCE: 'file' };
    expect(problemsOf(file).join('\n')).toMatch(
      /ENCRYPTION_KEY_SOURCE=file is refused in production/,
    );
    const allowed = { ...file, ENCRYPTION_ALLOW_KEY_FILE_IN_PRODUCTION: 'true' };
    expect(problemsOf(allowed)).toContain(
      'ENCRYPTION_KEY_FILE is required for a key file in production',
    );
    expect(
      loadConfig({ ...allowed, ENCRYPTION_KEY_FILE: '/etc/safeguarding/keys.json' }).encryption,
    ).toEqual({ source: 'file', keyFile: '/etc/safeguarding/keys.json' });
  });

  it('when the Key Vault key id has no version or is plain http, then it is refused', () => {
    const base = 'school.vault.azure.net/keys/safeguarding-records';
    for (const id of [`https://${base}`, `http://${base}/0123456789abcdef0123456789abcdef`]) {
      expect(problemsOf({ ...PRODUCTION, KEY_VAULT_KEY_ID: id }).join('\n')).toMatch(
        /KEY_VAULT_KEY_ID must be/,
      );
    }
  });
});

/** The ConfigError itself (problems and the message main prints), or undefined when valid. */
function configErrorOf(env: Record<string, string>): ConfigError | undefined {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  return undefined;
}

const PRODUCTION_REQUIRED = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppTenantId',
  'TAB_CLIENT_ID',
  'MONGODB_URI',
  'PUBLIC_BASE_URL',
  'KEY_VAULT_KEY_ID',
];

function expectEveryRequiredKeyNamed(problems: string[]): void {
  for (const key of PRODUCTION_REQUIRED) {
    expect(problems.filter((p) => p.includes(key)).length).toBeGreaterThan(0);
  }
}

describe('choosing the mode: development only when nothing looks like a deployment', () => {
  it('when NODE_ENV=production and nothing else is set, then production rules refuse and name every missing key', () => {
    const error = configErrorOf({ NODE_ENV: 'production' });
    expect(error).toBeDefined();
    expectEveryRequiredKeyNamed(error!.problems);
    expect(error!.message).toContain('Production rules apply because NODE_ENV=production.');
  });

  it('when NODE_ENV says staging, then that is a deployment too; development and test are not', () => {
    expect(configErrorOf({ NODE_ENV: 'staging' })?.message).toContain(
      'Production rules apply because NODE_ENV=staging.',
    );
    for (const value of ['development', 'test', 'Test', '']) {
      expect(loadConfig({ NODE_ENV: value }).mode).toBe('development');
    }
  });

  it.each([
    ['WEBSITE_SITE_NAME', 'Azure App Service'],
    ['WEBSITE_INSTANCE_ID', 'Azure App Service'],
    ['CONTAINER_APP_NAME', 'Azure Container Apps'],
    ['KUBERNETES_SERVICE_HOST', 'Kubernetes'],
    ['K_SERVICE', 'Google Cloud Run'],
    ['ECS_CONTAINER_METADATA_URI_V4', 'Amazon ECS'],
  ])(
    'when only the hosting platform variable %s is present, then production rules refuse and name every missing key',
    (name, platform) => {
      const error = configErrorOf({ [name]: 'safeguarding-school-7' });
      expectEveryRequiredKeyNamed(error!.problems);
      expect(error!.message).toContain(
        `Production rules apply because ${name} is set (${platform}).`,
      );
      // The platform's value is not ours to print.
      expect(error!.message).not.toContain('safeguarding-school-7');
    },
  );

  it.each([
    ['MicrosoftAppId', PRODUCTION.MicrosoftAppId],
    ['MicrosoftAppPassword', 'a-forgotten-secret-value'],
    ['MicrosoftAppTenantId', PRODUCTION.MicrosoftAppTenantId],
    ['TAB_CLIENT_ID', PRODUCTION.TAB_CLIENT_ID],
    ['PUBLIC_BASE_URL', PRODUCTION.PUBLIC_BASE_URL],
    ['KEY_VAULT_KEY_ID', PRODUCTION.KEY_VAULT_KEY_ID],
  ])(
    'when only the production key %s is set, then production rules apply and the other keys are named',
    (key, value) => {
      const error = configErrorOf({ [key]: value });
      expect(error!.message).toContain(`Production rules apply because ${key} is set.`);
      for (const other of PRODUCTION_REQUIRED.filter((k) => k !== key)) {
        expect(error!.problems.some((p) => p.includes(other))).toBe(true);
      }
    },
  );

  it('when a secret is among the settings, then no problem or message carries its value', () => {
    const error = configErrorOf({
      MicrosoftAppPassword: 'a-forgotten-secret-value',
      MONGODB_URI: 'mongodb://records:db-password-value@db.example.org:27017/safeguarding',
    });
    expect(error!.message).toContain('MicrosoftAppPassword is set');
    expect(error!.message).toContain('MONGODB_URI names another machine');
    expect(error!.message).not.toContain('a-forgotten-secret-value');
    expect(error!.message).not.toContain('db-password-value');
  });

  it.each([
    'mongodb://127.0.0.1:27017',
    'mongodb://localhost/safeguarding',
    'mongodb://user:p%40ss@[::1]:27017,127.0.0.2:27018/db?replicaSet=rs0',
    'mongodb://%2Ftmp%2Fmongodb-27017.sock',
  ])(
    'when MONGODB_URI is %s (this machine: the test store, a local mongod), then development stays',
    (uri) => {
      expect(loadConfig({ MONGODB_URI: uri }).mode).toBe('development');
    },
  );

  it.each([
    'mongodb://db.example.org:27017',
    'mongodb+srv://cluster0.abcde.mongodb.net/safeguarding',
    'mongodb://localhost:27017,db.example.org:27017/?replicaSet=rs0',
    'mongodb://10.0.0.5',
    'not a connection string',
  ])('when MONGODB_URI is %s (another machine), then production rules apply', (uri) => {
    expect(configErrorOf({ MONGODB_URI: uri })?.message).toContain(
      'Production rules apply because MONGODB_URI names another machine.',
    );
  });

  it('when nothing looks like a deployment, then development says why', () => {
    expect(loadConfig({}).modeReason).toMatch(/^nothing looks like a deployment/);
  });

  it('when APP_MODE=development is explicit, then production keys do not change it (as before)', () => {
    const config = loadConfig({
      APP_MODE: 'development',
      MicrosoftAppId: PRODUCTION.MicrosoftAppId,
      MONGODB_URI: 'mongodb://db.example.org:27017',
    });
    expect(config.mode).toBe('development');
    expect(config.modeReason).toBe('APP_MODE=development');
    // With an app id, Bot Framework tokens are still checked in development.
    expect(config.bot.authEnabled).toBe(true);
  });

  it('when APP_MODE=development meets NODE_ENV=production, then it refuses, even with the override', () => {
    const overrides: Record<string, string>[] = [{}, { ALLOW_DEVELOPMENT_ON_NETWORK: 'true' }];
    for (const override of overrides) {
      const problems = problemsOf({ APP_MODE: 'development', NODE_ENV: 'production', ...override });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^APP_MODE=development contradicts NODE_ENV=production/);
      expect(problems[0]).toContain('unset NODE_ENV');
    }
  });

  it('when APP_MODE=development runs on a hosting platform, then it refuses unless the override is set', () => {
    const problems = problemsOf({ APP_MODE: 'development', WEBSITE_SITE_NAME: 'demo' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('WEBSITE_SITE_NAME is set (Azure App Service)');
    expect(problems[0]).toContain('ALLOW_DEVELOPMENT_ON_NETWORK=true');

    const config = loadConfig({
      APP_MODE: 'development',
      WEBSITE_SITE_NAME: 'demo',
      ALLOW_DEVELOPMENT_ON_NETWORK: 'true',
    });
    expect(config.mode).toBe('development');
    expect(config.developmentOnNetwork).toBe(true);
  });

  it('when APP_MODE=production is explicit, then it says so', () => {
    expect(configErrorOf({ APP_MODE: 'production' })?.message).toContain(
      'Production rules apply because APP_MODE=production.',
    );
  });
});

describe('development mode stays on this machine', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20', '128.0.0.1', 'example.org', '127.0.0.1.example.org'])(
    'when development binds HOST=%s, then it refuses, says why and names the override',
    (host) => {
      const problems = problemsOf({ HOST: host });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^HOST=${host.replace(/\./g, '\\.')} is refused`));
      expect(problems[0]).toContain('authentication is off');
      expect(problems[0]).toContain('could act as any demo user');
      expect(problems[0]).toContain('ALLOW_DEVELOPMENT_ON_NETWORK=true');
    },
  );

  it.each(['127.0.0.1', '127.10.0.3', '::1', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1'])(
    'when development binds the loopback HOST=%s, then it starts',
    (host) => {
      const config = loadConfig({ HOST: host });
      expect(config.host).toBe(host);
      expect(config.developmentOnNetwork).toBe(false);
    },
  );

  it('when HOST is empty, then the loopback default is used (never every interface)', () => {
    expect(loadConfig({ HOST: '' }).host).toBe('127.0.0.1');
  });

  it('when development binds 0.0.0.0 with ALLOW_DEVELOPMENT_ON_NETWORK=true, then it starts and flags it', () => {
    const config = loadConfig({ HOST: '0.0.0.0', ALLOW_DEVELOPMENT_ON_NETWORK: 'true' });
    expect(config.mode).toBe('development');
    expect(config.host).toBe('0.0.0.0');
    expect(config.developmentOnNetwork).toBe(true);
  });

  it('when production binds 0.0.0.0 (a container), then that is accepted', () => {
    expect(loadConfig({ ...PRODUCTION, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('when the override is not a boolean, then it is refused like any malformed value', () => {
    expect(problemsOf({ ALLOW_DEVELOPMENT_ON_NETWORK: 'sure' })[0]).toMatch(
      /^ALLOW_DEVELOPMENT_ON_NETWORK/,
    );
  });
});
