import fs from 'node:fs';
import { startApp } from './app';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { DEMO_DSL_NAME, demoRoleLabel } from './demo/demo-staff';
import { startPlaygrounds, type RunningPlayground } from './dev/playground';
import { createLogger, type Logger } from './shared/logger';

/** Process entry: read config once, start the app (and the Playground in development), stop cleanly. */
async function main(): Promise<void> {
  // A local .env is a convenience for development; real deployments set the environment.
  if (fs.existsSync('.env')) process.loadEnvFile('.env');

  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${error.message}\nThe app did not start. See .env.example for every key.\n`,
      );
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);
  logger.info({ event: 'app.mode', mode: config.mode, reason: config.modeReason }, 'mode chosen');
  if (config.mode === 'development') warnDevelopmentMode(logger, config.developmentOnNetwork);

  const app = await startApp(config, logger);
  let stopping = false;
  let playgrounds: RunningPlayground[] = [];
  try {
    // One Playground per person (messages typed in one always come from its current user): you
    // as Sam, the teacher, and next door as the DSL, where alerts, acknowledgements and receipts
    // happen. Proactive sends find each one by the serviceUrl saved with the person's reference.
    playgrounds = config.playground.enabled
      ? await startPlaygrounds({ botEndpoint: `${app.baseUrl}/api/messages`, logger }, [
          { port: config.playground.port },
          { port: config.playground.port + 1, as: DEMO_DSL_NAME },
        ])
      : [];
  } catch (error) {
    // Stop the store cleanly before reporting, rather than leaving it to notice our exit.
    await app.stop();
    throw error;
  }

  process.stdout.write(
    [
      '',
      `  Safeguarding records is running (${config.mode} mode).`,
      `  Bot endpoint:  ${app.baseUrl}/api/messages`,
      `  Health:        ${app.baseUrl}/healthz   Ready: ${app.baseUrl}/readyz`,
      ...(playgrounds.length > 0 ? ['  Open Teams (Agents Playground):'] : []),
      ...playgrounds.map((p) => {
        const role = demoRoleLabel(p.currentUser);
        return `    As ${p.currentUser}${role ? ` (${role})` : ''}: ${p.url}`;
      }),
      '  Press Ctrl-C to stop.',
      '',
    ].join('\n') + '\n',
  );

  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'app.stopping', signal }, 'stopping');
    await Promise.all(playgrounds.map((p) => p.stop()));
    await app.stop();
    logger.info({ event: 'app.stopped' }, 'stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

function warnDevelopmentMode(logger: Logger, onNetwork: boolean): void {
  for (const line of [
    '*****************************************************************',
    '*  DEVELOPMENT MODE: Bot Framework authentication is OFF,        *',
    '*  demo data is seeded and local sign-in is allowed.             *',
    '*  Never use this mode with real pupils or on a public address.  *',
    ...(onNetwork
      ? [
          '*  ALLOW_DEVELOPMENT_ON_NETWORK=true: this server is reachable   *',
          '*  beyond this machine, and anyone who reaches it can act as     *',
          '*  any demo user.                                                *',
        ]
      : []),
    '*****************************************************************',
  ]) {
    logger.warn({ event: 'app.development_mode' }, line);
  }
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(
    `Start-up failed${typeof code === 'string' ? ` (${code})` : ''}: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
