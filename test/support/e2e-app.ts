import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { startPlayground, type RunningPlayground } from '../../src/dev/playground';
import type { Clock } from '../../src/shared/clock';
import { createLogger, type Logger } from '../../src/shared/logger';
import { PlaygroundClient } from './playground-client';
import { connectStore } from '../../src/store/connection';
import { dropTestStore, testDatabaseName, testStoreUri } from './test-store';

/** The whole app in development mode with one Agents Playground (one emulated person) in front. */
export interface E2eApp {
  app: RunningApp;
  playground: RunningPlayground;
  client: PlaygroundClient;
  stop(): Promise<void>;
}

/**
 * Starts the app in-process on the run's store (a database of its own, demo school seeded) and a
 * Playground on a free port against it; `configFile` picks who the Playground's user is.
 */
export async function startE2eApp(
  testFile: string,
  configFile?: string,
  options: { appLogger?: Logger; clock?: Clock; env?: Record<string, string> } = {},
): Promise<E2eApp> {
  const logger = createLogger('silent');
  const app = await startApp(
    loadConfig({
      APP_MODE: 'development',
      PORT: '0',
      MONGODB_URI: testStoreUri(),
      MONGODB_DB_NAME: testDatabaseName(testFile),
      LOG_LEVEL: options.appLogger ? 'debug' : 'silent',
      PLAYGROUND: 'false',
      ...options.env,
    }),
    options.appLogger ?? logger,
    options.clock ? { clock: options.clock } : {},
  );
  const playground = await startPlayground({
    botEndpoint: `${app.baseUrl}/api/messages`,
    port: 0,
    logger,
    ...(configFile ? { configFile } : {}),
  });
  const client = await PlaygroundClient.connect(playground.url);
  return {
    app,
    playground,
    client,
    async stop() {
      client.close();
      await playground.stop();
      // Stop the app (and its alert worker) first: a running worker would recreate the database.
      const dbName = app.store.connection.name;
      await app.stop();
      const connection = await connectStore(testStoreUri(), dbName);
      await dropTestStore(connection);
    },
  };
}
