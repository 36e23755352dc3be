// Over 450 lines on purpose: this is the only reader of process.env (architecture rule 5), one
// zod schema with a line of doc per key, so every problem with a deployment's settings is reported
// together, in one place an IT admin can read top to bottom.
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { escalationConfigSchema, escalationLadderText, type EscalationConfig } from './alerts';
import {
  bankHolidaysText,
  ENGLAND_BANK_HOLIDAYS_2026_2027,
  schoolClosuresText,
  schoolDayConfigSchema,
  schoolDaysText,
  type SchoolDayConfig,
} from './clocks';
import type { KeySourceConfig } from './encryption';

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
  /** `development` or `production`; unset, production when anything looks like a deployment (resolveMode). */
  APP_MODE: z.enum(['development', 'production']).optional(),
  /** Node's convention, set by most hosts: any value but development or test means a deployment. */
  NODE_ENV: optionalText,
  /** Let development mode (authentication off) bind a non-loopback HOST or run on a hosting platform. */
  ALLOW_DEVELOPMENT_ON_NETWORK: booleanString.optional(),
  /** HTTP port the server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /** Interface to bind (default 127.0.0.1); development mode refuses anything but loopback. */
  HOST: optionalText,
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
  /** Where uploaded files live: `mongo` (chunks in the store) or `disk` (FILE_STORE_DIR). */
  FILE_STORE: z.enum(['mongo', 'disk']).default('mongo'),
  /** Directory for `disk` file storage. */
  FILE_STORE_DIR: z.string().default('./data/files'),
  /** How long downloading a file a user sent may take, in ms (under Teams' reply limit). */
  FILE_DOWNLOAD_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(14_000).default(10_000),
  /** Minutes of school time for the safeguarding team to acknowledge before escalating. */
  ALERT_ACK_MINUTES: z.coerce.number().int().optional(),
  /** The same wait counted out of hours. */
  ALERT_ACK_MINUTES_OUT_OF_HOURS: z.coerce.number().int().optional(),
  /** After the last ladder step: minutes of school time between reminders. */
  ALERT_REMIND_MINUTES: z.coerce.number().int().optional(),
  /** The same reminder interval out of hours. */
  ALERT_REMIND_MINUTES_OUT_OF_HOURS: z.coerce.number().int().optional(),
  /** Stop the escalation clock out of hours (default: carry on, at the out-of-hours pace). */
  ALERT_PAUSE_OUT_OF_HOURS: booleanString.optional(),
  /** Roles added at each step: `>` between steps, `+` within one, e.g. deputy-dsl>dsl>head. */
  ESCALATION_LADDER: escalationLadderText.optional(),
  /** Install the app through Microsoft Graph for alert recipients who do not have it. */
  GRAPH_INSTALL_APP: booleanString.optional(),
  /** The app's id in the tenant's Teams app catalog (needed to install it through Graph). */
  GRAPH_TEAMS_CATALOG_APP_ID: optionalText,
  /** Microsoft Graph's base URL (national clouds differ). */
  GRAPH_BASE_URL: z.string().url().default('https://graph.microsoft.com'),
  /**
   * Share of Teams' published send limits the alert worker uses, in (0, 1]. 0.95 leaves 28 of 30
   * sends a second: the limiter's windows are exact and evenly paced (src/alerts/rate-limiter.ts).
   */
  ALERT_SEND_MARGIN: z.coerce.number().gt(0).max(1).default(0.95),
  /** The school's IANA time zone. */
  SCHOOL_TIME_ZONE: z.string().optional(),
  /** School days, comma separated: mon,tue,wed,thu,fri. */
  SCHOOL_DAYS: schoolDaysText.optional(),
  /** When the school day starts and ends (HH:MM, 24-hour). */
  SCHOOL_DAY_START: z.string().optional(),
  SCHOOL_DAY_END: z.string().optional(),
  /** Closure days: comma-separated YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD ranges. */
  SCHOOL_CLOSURES: schoolClosuresText.optional(),
  /** Bank holidays (statutory clocks skip them): comma-separated YYYY-MM-DD; England 2026–27 by default. */
  BANK_HOLIDAYS: bankHolidaysText.optional(),
  /** Seconds between checks of task reminders and referral chase clocks. */
  ACTION_CLOCK_CHECK_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  /** Master keys for encryption at rest: `file` (a local key ring) or `keyvault` (Azure Key Vault); default file in development, keyvault in production. */
  ENCRYPTION_KEY_SOURCE: z.enum(['file', 'keyvault']).optional(),
  /** The local key ring (JSON, mode 0600, created on first start); default EMBEDDED_STORE_DIR/encryption-keys.json. */
  ENCRYPTION_KEY_FILE: optionalText,
  /** Accept a key file in production (self-hosting without Key Vault: the key sits on the app's disk). */
  ENCRYPTION_ALLOW_KEY_FILE_IN_PRODUCTION: booleanString.optional(),
  /** Key Vault RSA key with its version, https://<vault>.vault.azure.net/keys/<name>/<version>; the bot's app credentials fetch its tokens. */
  KEY_VAULT_KEY_ID: optionalText,
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest request body accepted, in bytes (Teams activities are small; files go elsewhere). */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(262_144),
  /**
   * Largest upload to the transfer import (`/api/tab/transfers/import*`), in bytes: a child's
   * file with scanned letters, base64 in JSON (a third larger than the file). 50 MB by default.
   */
  TRANSFER_IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(500_000_000).default(52_428_800),
  /** How long shutdown waits for in-flight requests before closing the store, in ms. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Seed the fictional demo school on start (development only). */
  DEMO_SEED: booleanString.optional(),
  /** Give the seeded demo school a past year of concerns, once per database (development only). */
  DEMO_HISTORY: booleanString.optional(),
  /** Entra tenant id the demo school belongs to (the Agents Playground's tenant). */
  DEMO_TENANT_ID: z.string().default('00000000-0000-0000-0000-0000000000d1'),
  /** Allow the tab's local development sign-in (refused in production). */
  DEV_SIGN_IN: booleanString.optional(),
  /** Entra Conditional Access authentication context that counts as step-up (the `acrs` value). */
  STEP_UP_AUTH_CONTEXT: z
    .string()
    .regex(/^c([1-9]|[1-9][0-9])$/)
    .default('c1'),
  /** How long a step-up in the tab lets the bot show team-level detail, in minutes. */
  STEP_UP_WINDOW_MINUTES: z.coerce.number().int().min(1).max(720).default(15),
  /** The tab blanks after this many minutes without input. */
  TAB_INACTIVITY_MINUTES: z.coerce.number().int().min(1).max(120).default(10),
  /** Tab API requests one person may make per minute (an address may make four times this). */
  TAB_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Start Microsoft's Agents Playground next to the bot (development only). */
  PLAYGROUND: booleanString.optional(),
  /** Port for the Agents Playground. */
  PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150),
});

type AppMode = 'development' | 'production';
type Env = z.output<typeof envSchema>;

/**
 * Variables a hosting platform sets by itself in every instance, so, unlike a secret, they cannot
 * be forgotten: any of them means the app is deployed, and production rules apply unless APP_MODE
 * says otherwise (development there needs ALLOW_DEVELOPMENT_ON_NETWORK). Each is documented by its
 * platform as always present: Azure App Service's environment reference (WEBSITE_SITE_NAME,
 * WEBSITE_INSTANCE_ID), Azure Container Apps' built-in variables, the Kubernetes container
 * environment (every pod, so AKS too), Cloud Run's container contract, and the ECS task metadata
 * endpoint v4 (Fargate and EC2). Values are never printed, only names.
 */
const HOSTING_PLATFORM_VARIABLES: ReadonlyArray<readonly [name: string, platform: string]> = [
  ['WEBSITE_SITE_NAME', 'Azure App Service'],
  ['WEBSITE_INSTANCE_ID', 'Azure App Service'],
  ['CONTAINER_APP_NAME', 'Azure Container Apps'],
  ['KUBERNETES_SERVICE_HOST', 'Kubernetes'],
  ['K_SERVICE', 'Google Cloud Run'],
  ['ECS_CONTAINER_METADATA_URI_V4', 'Amazon ECS'],
];

/**
 * Keys only a deployment has a use for: any one of them without APP_MODE means production rules,
 * so a deployment that forgot the others is refused (naming them) instead of starting with
 * authentication off. MONGODB_URI counts only when it names another machine (checked apart): the
 * test run's store and a developer's own mongod are on loopback.
 */
const PRODUCTION_KEYS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppTenantId',
  'TAB_CLIENT_ID',
  'PUBLIC_BASE_URL',
  'KEY_VAULT_KEY_ID',
] as const satisfies ReadonlyArray<keyof Env>;

// NODE_ENV values that do not mean "deployed"; anything else (production, prod, staging…) does.
const UNDEPLOYED_NODE_ENVS = new Set(['development', 'dev', 'test']);

/** Resolved, validated and frozen configuration. */
export interface AppConfig {
  readonly mode: AppMode;
  /** Why this mode, for the start-up log: variable names (never secret values). */
  readonly modeReason: string;
  /** Development mode reachable beyond this machine because ALLOW_DEVELOPMENT_ON_NETWORK said so. */
  readonly developmentOnNetwork: boolean;
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
  readonly files: {
    readonly store: { readonly kind: 'mongo' | 'disk'; readonly dir: string };
    readonly downloadTimeoutMs: number;
  };
  readonly alerts: {
    readonly escalation: EscalationConfig;
    readonly schoolDay: SchoolDayConfig;
    readonly sendMargin: number;
    /** Set when the app should be installed through Graph for recipients without it. */
    readonly graphInstall: { readonly baseUrl: string; readonly catalogAppId: string } | undefined;
  };
  /** The statutory clocks' calendar beyond the school day (src/clocks). */
  readonly clocks: { readonly bankHolidays: readonly string[]; readonly checkEveryMs: number };
  /** Where master keys come from (src/encryption). */
  readonly encryption: KeySourceConfig;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly maxBodyBytes: number;
  /** The transfer import's own body limit (packages are megabytes; everything else is small). */
  readonly transferImportMaxBytes: number;
  readonly shutdownTimeoutMs: number;
  readonly demo: { readonly seed: boolean; readonly history: boolean; readonly tenantId: string };
  readonly devSignIn: boolean;
  readonly tab: {
    readonly stepUpAuthContext: string;
    readonly stepUpWindowMinutes: number;
    readonly inactivityMinutes: number;
    readonly rateLimitPerMinute: number;
  };
  readonly playground: { readonly enabled: boolean; readonly port: number };
}

/**
 * Thrown when configuration is invalid; lists every problem, not just the first, then (when
 * given) which mode's rules applied and why.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
  constructor(
    readonly problems: string[],
    context?: string,
  ) {
    super(
      `Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}${context ? `\n${context}` : ''}`,
    );
    this.name = 'ConfigError';
  }
}

// A fixed, obviously-fake GUID so a development manifest validates without real ids.
const DEVELOPMENT_TEAMS_APP_ID = '00000000-0000-0000-0000-00000000a001';

/** Reads, validates and freezes configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Each key is checked on its own so that one bad value does not hide the others.
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(envSchema.shape)) {
    const result = (schema as z.ZodType).safeParse(env[key]);
    if (result.success) values[key] = result.data;
    else
      problems.push(
        ...result.error.issues.map((i) => `${[key, ...i.path].join('.')}: ${i.message}`),
      );
  }
  const e = values as Env;
  const { mode, reason, onHostingPlatform } = resolveMode(env, e, problems);
  const host = e.HOST ?? '127.0.0.1';
  const hostIsLoopback = isLoopbackHost(host);
  if (mode === 'development' && !hostIsLoopback && !e.ALLOW_DEVELOPMENT_ON_NETWORK) {
    problems.push(
      `HOST=${host} is refused in development mode: Bot Framework authentication is off and local sign-in is on, so anyone on the network could act as any demo user. Bind 127.0.0.1 (the default), or set ALLOW_DEVELOPMENT_ON_NETWORK=true to accept that for a throwaway demo`,
    );
  }

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
    if (e.DEMO_HISTORY) problems.push('DEMO_HISTORY cannot be enabled in production');
    if (e.PLAYGROUND) problems.push('PLAYGROUND cannot be enabled in production');
  }
  const escalation = escalationConfigSchema.safeParse(
    dropUndefined({
      ackWithinMinutes: e.ALERT_ACK_MINUTES,
      outOfHoursAckWithinMinutes: e.ALERT_ACK_MINUTES_OUT_OF_HOURS,
      remindEveryMinutes: e.ALERT_REMIND_MINUTES,
      outOfHoursRemindEveryMinutes: e.ALERT_REMIND_MINUTES_OUT_OF_HOURS,
      pauseOutOfHours: e.ALERT_PAUSE_OUT_OF_HOURS,
      ladder: e.ESCALATION_LADDER,
    }),
  );
  if (!escalation.success) problems.push(...issuesOf('alert escalation', escalation.error));
  const schoolDay = schoolDayConfigSchema.safeParse(
    dropUndefined({
      timeZone: e.SCHOOL_TIME_ZONE,
      days: e.SCHOOL_DAYS,
      start: e.SCHOOL_DAY_START,
      end: e.SCHOOL_DAY_END,
      closures: e.SCHOOL_CLOSURES,
    }),
  );
  if (!schoolDay.success) problems.push(...issuesOf('school day', schoolDay.error));
  if (e.GRAPH_INSTALL_APP) {
    if (!e.GRAPH_TEAMS_CATALOG_APP_ID)
      problems.push('GRAPH_TEAMS_CATALOG_APP_ID is required when GRAPH_INSTALL_APP is on');
    if (!e.MicrosoftAppId || !e.MicrosoftAppPassword || !e.MicrosoftAppTenantId) {
      problems.push(
        'GRAPH_INSTALL_APP needs MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId',
      );
    }
  }
  const encryption = resolveEncryption(e, mode, problems);
  if (problems.length > 0 || !escalation.success || !schoolDay.success || !encryption) {
    throw new ConfigError(
      problems,
      mode === 'production'
        ? `Production rules apply because ${reason}.`
        : `Development mode because ${reason}.`,
    );
  }

  const development = mode === 'development';
  const config: AppConfig = {
    mode,
    modeReason: reason,
    developmentOnNetwork:
      development &&
      Boolean(e.ALLOW_DEVELOPMENT_ON_NETWORK) &&
      (!hostIsLoopback || onHostingPlatform),
    port: e.PORT,
    host,
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
    files: {
      store: { kind: e.FILE_STORE, dir: path.resolve(e.FILE_STORE_DIR) },
      downloadTimeoutMs: e.FILE_DOWNLOAD_TIMEOUT_MS,
    },
    alerts: {
      escalation: escalation.data,
      schoolDay: schoolDay.data,
      sendMargin: e.ALERT_SEND_MARGIN,
      graphInstall:
        e.GRAPH_INSTALL_APP && e.GRAPH_TEAMS_CATALOG_APP_ID
          ? { baseUrl: e.GRAPH_BASE_URL, catalogAppId: e.GRAPH_TEAMS_CATALOG_APP_ID }
          : undefined,
    },
    clocks: {
      // Empty means "not set": a school with no bank holidays at all is not a real calendar.
      bankHolidays: e.BANK_HOLIDAYS?.length ? e.BANK_HOLIDAYS : ENGLAND_BANK_HOLIDAYS_2026_2027,
      checkEveryMs: e.ACTION_CLOCK_CHECK_SECONDS * 1_000,
    },
    encryption,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    transferImportMaxBytes: e.TRANSFER_IMPORT_MAX_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    demo: {
      seed: development && (e.DEMO_SEED ?? true),
      // By default only where someone will look at it (`npm start`, with the Playground): tests
      // start the app with PLAYGROUND=false and so get the directory without a year of records.
      history: development && (e.DEMO_SEED ?? true) && (e.DEMO_HISTORY ?? e.PLAYGROUND ?? true),
      tenantId: e.DEMO_TENANT_ID,
    },
    devSignIn: development && (e.DEV_SIGN_IN ?? true),
    tab: {
      stepUpAuthContext: e.STEP_UP_AUTH_CONTEXT,
      stepUpWindowMinutes: e.STEP_UP_WINDOW_MINUTES,
      inactivityMinutes: e.TAB_INACTIVITY_MINUTES,
      rateLimitPerMinute: e.TAB_RATE_LIMIT_PER_MINUTE,
    },
    playground: { enabled: development && (e.PLAYGROUND ?? true), port: e.PLAYGROUND_PORT },
  };
  return deepFreeze(config);
}

/**
 * Development mode only when nothing says otherwise and nothing looks like a deployment: a
 * forgotten secret must never open the door. Explicit APP_MODE wins, with two refusals:
 * APP_MODE=development with a deployed NODE_ENV (two statements contradict and we cannot tell
 * which is the mistake, so we do not start; a developer unsets NODE_ENV, which the app needs for
 * nothing else), and APP_MODE=development on a hosting platform without ALLOW_DEVELOPMENT_ON_NETWORK
 * (a hosted instance is on a network by definition; the override is the same one HOST needs).
 */
function resolveMode(
  env: NodeJS.ProcessEnv,
  e: Env,
  problems: string[],
): { mode: AppMode; reason: string; onHostingPlatform: boolean } {
  const platforms = HOSTING_PLATFORM_VARIABLES.filter(([name]) => env[name]?.trim());
  const deployedNodeEnv =
    e.NODE_ENV !== undefined && !UNDEPLOYED_NODE_ENVS.has(e.NODE_ENV.toLowerCase())
      ? e.NODE_ENV
      : undefined;
  const onHostingPlatform = platforms.length > 0;
  const platformText = platforms.map(([name, platform]) => `${name} is set (${platform})`);

  if (e.APP_MODE === 'production') {
    return { mode: 'production', reason: 'APP_MODE=production', onHostingPlatform };
  }
  if (e.APP_MODE === 'development') {
    if (deployedNodeEnv !== undefined) {
      problems.push(
        `APP_MODE=development contradicts NODE_ENV=${deployedNodeEnv}: development mode turns authentication off, and NODE_ENV says this is a deployment. Remove APP_MODE to run with production rules, or unset NODE_ENV on a developer's machine`,
      );
    }
    if (onHostingPlatform && !e.ALLOW_DEVELOPMENT_ON_NETWORK) {
      problems.push(
        `APP_MODE=development is refused on a hosting platform (${platformText.join(', ')}): Bot Framework authentication is off, so anyone who can reach the app could act as any demo user. Remove APP_MODE to run with production rules, or set ALLOW_DEVELOPMENT_ON_NETWORK=true for a throwaway demo with no real pupils`,
      );
    }
    return { mode: 'development', reason: 'APP_MODE=development', onHostingPlatform };
  }

  const signals = [
    ...(deployedNodeEnv !== undefined ? [`NODE_ENV=${deployedNodeEnv}`] : []),
    ...platformText,
    ...PRODUCTION_KEYS.filter((key) => e[key] !== undefined).map((key) => `${key} is set`),
    ...(e.MONGODB_URI && !namesOnlyThisMachine(e.MONGODB_URI)
      ? ['MONGODB_URI names another machine']
      : []),
  ];
  if (signals.length > 0) {
    return { mode: 'production', reason: signals.join(', '), onHostingPlatform };
  }
  return {
    mode: 'development',
    reason:
      'nothing looks like a deployment (no APP_MODE, deployed NODE_ENV, hosting platform or production key)',
    onHostingPlatform,
  };
}

/** 127.0.0.0/8, ::1 (also as ::ffff:127.x.x.x) or localhost: reachable from this machine only. */
function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (!net.isIPv6(h)) return false;
  // The URL parser writes IPv6 in one canonical form (compressed, hex), which is easy to compare.
  const canonical = new URL(`http://[${h}]/`).hostname;
  if (canonical === '[::1]') return true;
  const mapped = /^\[::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}\]$/.exec(canonical);
  return mapped !== null && parseInt(mapped[1]!, 16) >> 8 === 127;
}

/**
 * True when every host a mongodb:// connection string names is this machine (loopback or a Unix
 * socket). mongodb+srv:// never is (its hosts come from DNS), nor is anything unparseable.
 */
function namesOnlyThisMachine(uri: string): boolean {
  const authority = /^mongodb:\/\/([^/?#]*)/i.exec(uri.trim())?.[1];
  if (!authority) return false;
  const hosts = authority.slice(authority.lastIndexOf('@') + 1).split(',');
  return hosts.every((entry) => {
    if (/^%2f/i.test(entry)) return true; // a Unix domain socket's path, percent-encoded
    const host = entry.startsWith('[')
      ? entry.slice(0, entry.indexOf(']') + 1)
      : entry.split(':')[0]!;
    return host !== '' && isLoopbackHost(host);
  });
}

// Key Vault's key URL with a version: records store it, so it must name one exact key version.
const KEY_VAULT_KEY_URL = /^(https?):\/\/([^/]+)\/keys\/[A-Za-z0-9-]{1,127}\/[A-Za-z0-9]{1,64}$/;

/**
 * The master key source, or undefined with problems added. Production refuses a key file unless
 * explicitly allowed: a key on the same machine (or backup) as the data protects far less than a
 * key that never leaves Key Vault.
 */
function resolveEncryption(e: Env, mode: AppMode, problems: string[]): KeySourceConfig | undefined {
  const source = e.ENCRYPTION_KEY_SOURCE ?? (mode === 'production' ? 'keyvault' : 'file');
  if (source === 'file') {
    if (mode === 'production') {
      if (!e.ENCRYPTION_ALLOW_KEY_FILE_IN_PRODUCTION) {
        problems.push(
          'ENCRYPTION_KEY_SOURCE=file is refused in production: set KEY_VAULT_KEY_ID (keyvault), or ENCRYPTION_ALLOW_KEY_FILE_IN_PRODUCTION=true to accept a key on local disk',
        );
        return undefined;
      }
      if (!e.ENCRYPTION_KEY_FILE) {
        problems.push('ENCRYPTION_KEY_FILE is required for a key file in production');
        return undefined;
      }
    }
    const keyFile =
      e.ENCRYPTION_KEY_FILE ?? path.join(e.EMBEDDED_STORE_DIR ?? './data', 'encryption-keys.json');
    return { source: 'file', keyFile: path.resolve(keyFile) };
  }
  const match = e.KEY_VAULT_KEY_ID ? KEY_VAULT_KEY_URL.exec(e.KEY_VAULT_KEY_ID) : null;
  if (!e.KEY_VAULT_KEY_ID) problems.push('KEY_VAULT_KEY_ID is required for keyvault encryption');
  else if (!match) {
    problems.push('KEY_VAULT_KEY_ID must be https://<vault>/keys/<name>/<version>');
  } else if (
    match[1] !== 'https' &&
    !(mode === 'development' && /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(match[2]!))
  ) {
    problems.push('KEY_VAULT_KEY_ID must be https (plain http only to localhost in development)');
  }
  // The bot's own identity reaches Key Vault: its managed identity, or its app id and secret.
  if (e.MicrosoftAppType === 'UserAssignedMSI') {
    if (!e.MicrosoftAppId) problems.push('keyvault encryption needs MicrosoftAppId');
    if (!match || !e.MicrosoftAppId) return undefined;
    return {
      source: 'keyvault',
      keyId: e.KEY_VAULT_KEY_ID!,
      identity: { kind: 'managed-identity', clientId: e.MicrosoftAppId },
    };
  }
  if (!e.MicrosoftAppId || !e.MicrosoftAppPassword || !e.MicrosoftAppTenantId) {
    problems.push(
      'keyvault encryption needs MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId',
    );
  }
  if (!match || !e.MicrosoftAppId || !e.MicrosoftAppPassword || !e.MicrosoftAppTenantId) {
    return undefined;
  }
  return {
    source: 'keyvault',
    keyId: e.KEY_VAULT_KEY_ID!,
    identity: {
      kind: 'secret',
      clientId: e.MicrosoftAppId,
      clientSecret: e.MicrosoftAppPassword,
      tenantId: e.MicrosoftAppTenantId,
    },
  };
}

/** The env keys this module reads, for the .env.example consistency test. */
export const CONFIG_KEYS = Object.keys(envSchema.shape);

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

function issuesOf(what: string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${what} (${i.path.join('.') || 'value'}): ${i.message}`);
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) {
    if (v && typeof v === 'object') deepFreeze(v as object);
  }
  return Object.freeze(value);
}
