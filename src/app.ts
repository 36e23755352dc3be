import { randomUUID } from 'node:crypto';
import type { Server } from 'restify';
import type { AppConfig } from './config';
import { createAdapter } from './bot/adapter';
import { SafeguardingBot } from './bot/safeguarding-bot';
import { DeliveryWorker, SendRateLimiter } from './alerts';
import { createAppServices, type ServiceOptions } from './app-services';
import { TeamsAlertChannel } from './bot/alerts/teams-alert-channel';
import { GraphAppInstaller } from './graph/graph-app-installer';
import { MsalGraphTokenSource } from './graph/msal-token-source';
import { seedDemo } from './demo/seed-demo';
import { seedDemoHistory } from './demo/seed-demo-history';
import { createNarrativeCipher } from './encryption';
import { closeServer, createServer, listen } from './server';
import { registerRuntimeMetrics } from './server';
import { createTabRoutes, type TabOptions } from './tab';
import { systemClock, type Clock } from './shared/clock';
import type { Logger } from './shared/logger';
import { pingStore } from './store/connection';
import { RuntimeMetrics } from './shared/runtime-metrics';
import { openStore, type OpenStore } from './store/open-store';
import { startPatternCatchUp } from './patterns';

/** The Graph app installer when configured (config has checked its credentials). */
function graphInstaller(config: AppConfig, logger: Logger): GraphAppInstaller | undefined {
  const graph = config.alerts.graphInstall;
  if (!graph || !config.bot.appId || !config.bot.appPassword || !config.bot.tenantId)
    return undefined;
  return new GraphAppInstaller({
    graphBaseUrl: graph.baseUrl,
    catalogAppId: graph.catalogAppId,
    tokens: new MsalGraphTokenSource({
      clientId: config.bot.appId,
      clientSecret: config.bot.appPassword,
      tenantId: config.bot.tenantId,
    }),
    logger,
  });
}

/** A running app: what tests and main need to reach and to stop it. */
export interface RunningApp {
  readonly port: number;
  /** http://host:port of the bot's server. */
  readonly baseUrl: string;
  readonly store: OpenStore;
  readonly server: Server;
  stop(): Promise<void>;
}

/** What tests may vary; production passes nothing. */
export interface StartOptions {
  clock?: Clock;
  /** Points Bot Framework key discovery at a local stand-in (tests only). */
  botAuthOverrides?: Parameters<typeof createAdapter>[2];
  /** Entra key sets and the tab client's folder (tests only). */
  tab?: TabOptions;
}

/** Composition root: config → store → services → transport → listen. */
export async function startApp(
  config: AppConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningApp> {
  const clock = options.clock ?? systemClock;
  // Before the store: a missing or unreadable master key stops start-up before anything is written.
  const cipher = await createNarrativeCipher(config.encryption);
  const store = await openStore(config, logger);
  try {
    const serviceOptions: ServiceOptions = {
      cipher,
      alerts: { escalation: config.alerts.escalation, schoolDay: config.alerts.schoolDay },
      clocks: config.clocks,
      files: {
        store: config.files.store,
        upload: {
          // Plain http to localhost only in development: tests and the Playground serve files so.
          download: {
            timeoutMs: config.files.downloadTimeoutMs,
            allowLocalHttp: config.mode === 'development',
          },
          logger,
        },
      },
      stepUpWindowMinutes: config.tab.stepUpWindowMinutes,
      logger,
      teamsAppId: config.teamsAppId,
    };
    const services = await createAppServices(store.connection, clock, serviceOptions);
    if (config.demo.seed) await seedDemo(store.connection, config.demo.tenantId);
    // A past year for the demo school, once per database: through the same services (built on a
    // clock of its own that walks through that year), before the delivery worker starts.
    if (config.demo.history) {
      await seedDemoHistory({
        connection: store.connection,
        tenantId: config.demo.tenantId,
        clock,
        services: (historyClock) =>
          createAppServices(store.connection, historyClock, serviceOptions),
        logger,
      });
    }

    const adapter = createAdapter(config, logger, options.botAuthOverrides);
    const alertChannel = new TeamsAlertChannel(
      adapter,
      config.bot.appId ?? '',
      services.references,
      services.alerts,
      logger,
      undefined,
      config.teamsAppId,
    );
    const worker = new DeliveryWorker({
      repository: services.alertRepository,
      alerts: services.alerts,
      channel: alertChannel,
      leases: services.leases,
      limiter: new SendRateLimiter({ margin: config.alerts.sendMargin }),
      installer: graphInstaller(config, logger),
      // alerts/ rings it when it queues alerts (a new record, an action, a task's clock).
      bell: services.deliveryBell,
      clock,
      logger,
    });
    // The worker's first pass also re-queues alerts of records whose queueing a crash cut short.
    worker.start();
    // Task reminders and referral chases: durable jobs, each run claimed by a lease.
    const actionJobs = services.actionJobs(`app-${randomUUID()}`, logger);
    actionJobs.start(config.clocks.checkEveryMs);
    // Concerns about adults climb their own ladder (deputy, then chair) until acknowledged.
    const adultConcernEscalation = services.adultConcernEscalation(`app-${randomUUID()}`, logger);
    adultConcernEscalation.start(config.clocks.checkEveryMs);

    const bot = new SafeguardingBot({
      staff: services.staff,
      schools: services.schools,
      references: services.references,
      report: services.report,
      files: services.files,
      actionFlow: services.actionFlow,
      history: services.history,
      adultConcernFlow: services.adultConcernFlow,
      desk: services.desk,
      alerts: services.alerts,
      alertCards: alertChannel,
      alertCopies: services.alertCopies,
      wakeAlerts: () => worker.poke(),
      audit: services.audit,
      teamsAppId: config.teamsAppId,
      clock,
      logger,
    });
    const tabRoutes = await createTabRoutes(
      config,
      {
        staff: services.staff,
        schools: services.schools,
        pupils: services.pupils,
        chronology: services.chronology,
        records: services.recordView,
        stepUp: services.stepUp,
        amendments: services.amendments,
        recordAudit: services.recordAudit,
        pupilStatus: services.pupilStatus,
        adultConcerns: { concerns: services.adultConcerns, cases: services.adultConcernCases },
        reviews: services.reviews,
        desk: services.desk,
        reports: services.reports,
        sars: services.sars,
        sarBundles: services.sarBundles,
        sharing: services.sharing,
        transfers: services.transfers,
        transferDelivery: services.transferDelivery,
        transferImport: services.transferImport,
        transferredInView: services.transferredInView,
        patterns: services.patterns,
        retention: services.retention,
        legalHolds: services.legalHolds,
        cases: services.cases,
        audit: services.audit,
        clock,
      },
      logger,
      options.tab,
    );
    // Records of the last week the chronology index may have missed (a crash mid-submit), and
    // any a crash left without their create event.
    const lastWeek = new Date(clock.now().getTime() - 7 * 24 * 3_600_000);
    void services
      .reindexRecent(lastWeek)
      .catch(() => logger.warn({ event: 'chronology.reindex_failed' }, 'reindex failed'));
    void services
      .recoverRecordAudit(lastWeek)
      .then((recovered) => {
        if (recovered > 0) {
          logger.warn({ event: 'audit.recovered', recovered }, 'records audited after a crash');
        }
      })
      .catch(() => logger.warn({ event: 'audit.recover_failed' }, 'audit recovery failed'));
    // Amendments, actions and acknowledgements a crash left without their event, likewise.
    void services
      .recoverChangeAudit(lastWeek)
      .then((recovered) => {
        if (recovered > 0) {
          logger.warn({ event: 'audit.recovered_changes', recovered }, 'changes audited late');
        }
      })
      .catch(() => logger.warn({ event: 'audit.recover_failed' }, 'audit recovery failed'));
    // Records stored before retention existed (or missed by a crash) join its schedule.
    void services
      .scheduleExistingRecords()
      .catch(() => logger.warn({ event: 'retention.schedule_failed' }, 'retention sweep failed'));
    // Records of the last week the summaries (open cases, report months) may have missed.
    void services.summaries
      .catchUp(lastWeek)
      .catch(() =>
        logger.warn({ event: 'summaries.catch_up_failed' }, 'summaries catch-up failed'),
      );
    // Records of the last week whose pattern evaluation a crash (or a failure) cut short: now,
    // then every few minutes on each instance (idempotent: the flags' keys refuse a repeat).
    const patternCatchUp = startPatternCatchUp(services.patterns, clock, logger);
    const server = createServer({
      extraRoutes: tabRoutes,
      adapter,
      bot,
      isReady: () => pingStore(store.connection),
      logger,
      maxBodyBytes: config.maxBodyBytes,
      // A package from another school is megabytes: its import has a limit of its own.
      largeBodies: [
        { pathPrefix: '/api/tab/transfers/import', maxBytes: config.transferImportMaxBytes },
      ],
    });
    // Event-loop delay and memory per second, for the soak to read (development only).
    const runtime = config.mode === 'development' ? new RuntimeMetrics().start() : undefined;
    if (runtime) registerRuntimeMetrics(server, runtime);
    const port = await listen(server, config.port, config.host);
    const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
    logger.info({ event: 'app.listening', port, mode: config.mode }, 'listening');

    let stopping: Promise<void> | undefined;
    return {
      port,
      baseUrl: `http://${host}:${port}`,
      store,
      server,
      stop() {
        stopping ??= (async () => {
          await closeServer(server, config.shutdownTimeoutMs);
          await patternCatchUp.stop();
          await actionJobs.stop();
          await adultConcernEscalation.stop();
          await worker.stop();
          await store.close();
          runtime?.stop();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
