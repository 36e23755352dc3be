import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Every key is documented here (one line each) and in
 * .env.example; a test keeps the two in step.
 */
const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const envSchema = z.object({
  /** `development` or `production`; defaults to production when MicrosoftAppId is set. */
  APP_MODE: z.enum(['development', 'production']).optional(),
  /** HTTP port the server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /** Interface to bind; 127.0.0.1 keeps a development server off the network. */
  HOST: z.string().default('127.0.0.1'),
  /** Public https origin of this app (tab pages, manifest validDomains). */
  PUBLIC_BASE_URL: optionalText,
  /** Azure Bot app (client) id; empty turns Bot Framework auth off (development only). */
  MicrosoftAppId: optionalText,
  /** Azure Bot client secret. */
  MicrosoftAppPassword: optionalText,
  /** SingleTenant (new bots), MultiTenant or UserAssignedMSI. */
  MicrosoftAppType: z
    .enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI'])
    .default('SingleTenant'),
  /** Entra tenant id of the school or trust that owns the bot. */
  MicrosoftAppTenantId: optionalText,
  /** Entra app (client) id the tab's SSO tokens are issued for (often the bot's app id). */
  TAB_CLIENT_ID: optionalText,
  /** Teams app id (a GUID) used in the manifest; defaults to MicrosoftAppId. */
  TEAMS_APP_ID: optionalText,
  /** MongoDB / Atlas / Cosmos DB for MongoDB (vCore) connection string; empty starts the embedded store. */
  MONGODB_URI: optionalText,
  /** Database name inside MONGODB_URI or the embedded store. */
  MONGODB_DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,38}$/)
    .default('safeguarding'),
  /** Directory for the embedded store's SQLite files. */
  EMBEDDED_STORE_DIR: z.string().default('./data'),
  /** TCP port for the embedded store; 0 picks a free one. */
  EMBEDDED_STORE_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest request body accepted, in bytes (Teams activities are small; files go elsewhere). */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(262_144),
  /** How long shutdown waits for in-flight requests before closing the store, in ms. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Seed the fictional demo school on start (development only). */
  DEMO_SEED: booleanString.optional(),
  /** Entra tenant id the demo school belongs to (the Agents Playground's tenant). */
  DEMO_TENANT_ID: z.string().default('00000000-0000-0000-0000-0000000000d1'),
  /** Allow the tab's local development sign-in (refused in production). */
  DEV_SIGN_IN: booleanString.optional(),
  /** Start Microsoft's Agents Playground next to the bot (development only). */
  PLAYGROUND: booleanString.optional(),
  /** Port for the Agents Playground. */
  PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150),
});

type AppMode = 'development' | 'production';

/** Resolved, validated and frozen configuration. */
export interface AppConfig {
  readonly mode: AppMode;
  readonly port: number;
  readonly host: string;
  readonly publicBaseUrl: string;
  readonly bot: {
    readonly appId: string | undefined;
    readonly appPassword: string | undefined;
    readonly appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
    readonly tenantId: string | undefined;
    /** False only in development with no app id: Bot Framework JWTs are not checked. */
    readonly authEnabled: boolean;
  };
  readonly teamsAppId: string;
  readonly tabClientId: string | undefined;
  readonly store: {
    readonly uri: string | undefined;
    readonly dbName: string;
    readonly embeddedDir: string;
    readonly embeddedPort: number;
  };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly maxBodyBytes: number;
  readonly shutdownTimeoutMs: number;
  readonly demo: { readonly seed: boolean; readonly tenantId: string };
  readonly devSignIn: boolean;
  readonly playground: { readonly enabled: boolean; readonly port: number };
}

/** Thrown when configuration is invalid; lists every problem, not just the first. */
export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// A fixed, obviously-fake GUID so a development manifest validates without real ids.
const DEVELOPMENT_TEAMS_APP_ID = '00000000-0000-0000-0000-00000000a001';

/** Reads, validates and freezes configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const mode: AppMode = e.APP_MODE ?? (e.MicrosoftAppId ? 'production' : 'development');
  const problems: string[] = [];

  if (mode === 'production') {
    if (!e.MicrosoftAppId) problems.push('MicrosoftAppId is required in production');
    if (!e.MicrosoftAppPassword && e.MicrosoftAppType !== 'UserAssignedMSI') {
      problems.push('MicrosoftAppPassword is required in production');
    }
    if (!e.MicrosoftAppTenantId) problems.push('MicrosoftAppTenantId is required in production');
    if (!e.TAB_CLIENT_ID) problems.push('TAB_CLIENT_ID is required in production');
    if (!e.MONGODB_URI) {
      problems.push(
        'MONGODB_URI is required in production (the embedded store is for development)',
      );
    }
    if (!e.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL is required in production');
    else if (!e.PUBLIC_BASE_URL.startsWith('https://')) {
      problems.push('PUBLIC_BASE_URL must be https:// in production');
    }
    if (e.DEV_SIGN_IN) problems.push('DEV_SIGN_IN cannot be enabled in production');
    if (e.DEMO_SEED) problems.push('DEMO_SEED cannot be enabled in production');
    if (e.PLAYGROUND) problems.push('PLAYGROUND cannot be enabled in production');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const development = mode === 'development';
  const config: AppConfig = {
    mode,
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    bot: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appType: e.MicrosoftAppType,
      tenantId: e.MicrosoftAppTenantId,
      authEnabled: !development || Boolean(e.MicrosoftAppId),
    },
    teamsAppId: e.TEAMS_APP_ID ?? e.MicrosoftAppId ?? DEVELOPMENT_TEAMS_APP_ID,
    tabClientId: e.TAB_CLIENT_ID,
    store: {
      uri: e.MONGODB_URI,
      dbName: e.MONGODB_DB_NAME,
      embeddedDir: path.resolve(e.EMBEDDED_STORE_DIR),
      embeddedPort: e.EMBEDDED_STORE_PORT,
    },
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    demo: { seed: development && (e.DEMO_SEED ?? true), tenantId: e.DEMO_TENANT_ID },
    devSignIn: development && (e.DEV_SIGN_IN ?? true),
    playground: { enabled: development && (e.PLAYGROUND ?? true), port: e.PLAYGROUND_PORT },
  };
  return deepFreeze(config);
}

/** The env keys this module reads, for the .env.example consistency test. */
export const CONFIG_KEYS = Object.keys(envSchema.shape);

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) {
    if (v && typeof v === 'object') deepFreeze(v as object);
  }
  return Object.freeze(value);
}
