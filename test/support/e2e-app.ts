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

/** The Playground config of Priya Shah, the DSL: a second person in front of the same bot. */
const DSL_PLAYGROUND_CONFIG = 'test/e2e/playground-dsl.m365agentsplayground.yml';

/** The app with two people in front of it: Sam (staff, the first Playground) and Priya (DSL). */
export interface TwoPlaygroundApp extends E2eApp {
  sam: PlaygroundClient;
  priya: PlaygroundClient;
  priyaPlayground: RunningPlayground;
}

/**
 * The app, Sam's Playground and a second Playground for Priya on its own free port against the
 * same bot. Each client connects before anyone acts: a Playground streams its events to the first
 * client only. `stop` stops the app before the Playgrounds and drops the test's database.
 */
export async function startTwoPlaygroundApp(
  testFile: string,
  options: Parameters<typeof startE2eApp>[2] = {},
  /** Who the second person is (Priya, the DSL, unless a test needs someone else). */
  secondConfigFile = DSL_PLAYGROUND_CONFIG,
): Promise<TwoPlaygroundApp> {
  const e2e = await startE2eApp(testFile, undefined, options);
  let dslPlayground: RunningPlayground | undefined;
  let priya: PlaygroundClient;
  try {
    dslPlayground = await startPlayground({
      botEndpoint: `${e2e.app.baseUrl}/api/messages`,
      port: 0,
      logger: createLogger('silent'),
      configFile: secondConfigFile,
    });
    priya = await PlaygroundClient.connect(dslPlayground.url);
  } catch (error) {
    await dslPlayground?.stop();
    await e2e.stop();
    throw error;
  }
  const dsl = dslPlayground;
  return {
    ...e2e,
    sam: e2e.client,
    priya,
    priyaPlayground: dsl,
    async stop() {
      const dbName = e2e.app.store.connection.name;
      e2e.client.close();
      priya.close();
      // The app first: its delivery worker keeps retrying alerts to people with no Playground
      // (a lease document per attempt) and must not write after the database is dropped.
      await e2e.app.stop();
      await Promise.all([e2e.playground.stop(), dsl.stop()]);
      await dropTestStore(await connectStore(testStoreUri(), dbName));
    },
  };
}
