import pino from 'pino';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/shared/logger';

/**
 * Starts the whole app in-process as `npm start` would in development mode (no Bot Framework
 * auth, demo school seeded, no Playground), on a free port and a database of the bench's own.
 * Log lines, when a level is asked for, go to /dev/null: their cost counts, their bytes don't.
 */
export async function startBenchApp(options: {
  uri: string;
  dbName: string;
  logLevel: string;
  /** More of the app's settings (e.g. DEMO_HISTORY), over the bench's defaults. */
  env?: Record<string, string>;
}): Promise<RunningApp> {
  const config = loadConfig({
    APP_MODE: 'development',
    PORT: '0',
    MONGODB_URI: options.uri,
    MONGODB_DB_NAME: options.dbName,
    DEMO_SEED: 'true',
    PLAYGROUND: 'false',
    LOG_LEVEL: options.logLevel,
    SHUTDOWN_TIMEOUT_MS: '2000',
    ...options.env,
  });
  const logger = createLogger(
    config.logLevel,
    config.logLevel === 'silent' ? undefined : pino.destination({ dest: '/dev/null', sync: true }),
  );
  return startApp(config, logger);
}
