import path from 'node:path';
import type { Server } from 'restify';
import type { AuditTrail } from '../audit';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { TtlCache } from '../shared/ttl-cache';
import { DevTokenIssuer } from './dev-sign-in';
import { EntraTokenVerifier, entraKeySets, type TenantKeySets } from './entra-token-verifier';
import { WindowRateLimiter } from './rate-limit';
import { registerStaticTab } from './static-tab';
import type { TabApiDependencies } from './tab-api.types';
import { registerTabApi } from './tab-routes';
import { registerTransferDownload } from './transfer-download-routes';

/** The services the tab API calls (the app's service graph provides them). */
type TabServices = Pick<
  TabApiDependencies,
  | 'staff'
  | 'schools'
  | 'pupils'
  | 'chronology'
  | 'records'
  | 'stepUp'
  | 'cases'
  | 'amendments'
  | 'recordAudit'
  | 'pupilStatus'
  | 'reviews'
  | 'desk'
  | 'adultConcerns'
  | 'reports'
  | 'sars'
  | 'sarBundles'
  | 'sharing'
  | 'transfers'
  | 'transferDelivery'
  | 'transferImport'
  | 'transferredInView'
  | 'patterns'
  | 'retention'
  | 'legalHolds'
> & { audit: AuditTrail; clock: { now(): Date } };

/**
 * The slice of the app's config the tab reads (the app passes its whole config; the tab layer
 * defines the slice so it never imports config).
 */
interface TabConfig {
  readonly mode: 'development' | 'production';
  readonly publicBaseUrl: string;
  /** The Entra app registration of the tab; none means development's audience only. */
  readonly tabClientId: string | undefined;
  readonly devSignIn: boolean;
  readonly demo: { readonly tenantId: string };
  readonly tab: {
    readonly stepUpAuthContext: string;
    readonly inactivityMinutes: number;
    readonly rateLimitPerMinute: number;
  };
}

/** What tests may vary: Entra's key sets (a local stand-in) and the built client's folder. */
export interface TabOptions {
  keys?: TenantKeySets;
  clientDir?: string;
}

const CLOCK_SKEW_SECONDS = 120;

/** The audiences a tab token may carry: the client id and its Application ID URI. */
function tabAudiences(config: TabConfig): string[] {
  if (!config.tabClientId) return ['api://localhost/safeguarding-development-tab'];
  const host = new URL(config.publicBaseUrl).host;
  return [config.tabClientId, `api://${host}/${config.tabClientId}`];
}

/**
 * Builds the tab's token verifier (Entra's keys, plus the development key when dev sign-in is
 * on) and returns the function that adds the tab API and the static client to the server.
 */
export async function createTabRoutes(
  config: TabConfig,
  services: TabServices,
  logger: Logger,
  options: TabOptions = {},
): Promise<(server: Server) => void> {
  const audiences = tabAudiences(config);
  const entra = options.keys ?? (config.tabClientId ? entraKeySets() : undefined);
  const devIssuer =
    config.mode === 'development' && config.devSignIn
      ? await DevTokenIssuer.create(audiences[0] ?? '', config.tab.stepUpAuthContext)
      : undefined;
  const keys: TenantKeySets =
    devIssuer?.withDevelopmentKey(entra) ??
    entra ??
    (() => () =>
      Promise.reject(new AppError('TAB.UNAUTHENTICATED', 'no key set configured for tab tokens')));
  const tenants = new TtlCache<boolean>(60_000);
  const verifier = new EntraTokenVerifier({
    keys,
    audiences,
    requiredScope: 'access_as_user',
    clockToleranceSeconds: CLOCK_SKEW_SECONDS,
    isKnownTenant: (tenantId) =>
      tenants.get(
        tenantId,
        async () => (await services.schools.listForTenant(tenantId)).length > 0,
      ),
  });
  const perMinute = config.tab.rateLimitPerMinute;
  const deps: TabApiDependencies = {
    ...services,
    verifier,
    limits: {
      perUser: new WindowRateLimiter(perMinute, 60_000),
      perAddress: new WindowRateLimiter(perMinute * 4, 60_000),
    },
    stepUpContext: config.tab.stepUpAuthContext,
    inactivityMinutes: config.tab.inactivityMinutes,
    development: config.mode === 'development',
    ...(devIssuer ? { devSignIn: { issuer: devIssuer, demoTenantId: config.demo.tenantId } } : {}),
    publicBaseUrl: config.publicBaseUrl,
    logger,
  };
  const clientDir = options.clientDir ?? path.resolve(__dirname, '..', '..', 'dist', 'tab-client');
  return (server) => {
    registerTabApi(server, deps);
    if (deps.transferDelivery) {
      registerTransferDownload(server, {
        delivery: deps.transferDelivery,
        perAddress: deps.limits.perAddress,
        logger,
      });
    }
    registerStaticTab(server, clientDir, config.mode === 'production');
  };
}
