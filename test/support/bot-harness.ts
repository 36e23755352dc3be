import type { Connection } from 'mongoose';
import { createAppServices, type AppServices } from '../../src/app-services';
import { SafeguardingBot } from '../../src/bot/safeguarding-bot';
import { seedDemo } from '../../src/demo/seed-demo';
import type { Clock } from '../../src/shared/clock';
import { DEMO_TENANT } from './activities';
import { RecordingTestAdapter } from './recording-test-adapter';
import { capturingLogger } from './silent-logger';
import { openTestStore } from './test-store';

/** The bot on the real service graph and the demo school, driven through TestAdapter. */
export interface BotHarness {
  connection: Connection;
  services: AppServices;
  adapter: RecordingTestAdapter;
  /** Every log line the run wrote (for "no names in logs" checks). */
  logLines: string[];
}

/**
 * Opens a database for the test file, builds the same services the app builds, seeds the demo
 * school and puts the bot behind a RecordingTestAdapter. Alert card refreshes (proactive, not a
 * TestAdapter thing) go to a no-op of our own interface.
 */
export async function startBotHarness(testFile: string, clock: Clock): Promise<BotHarness> {
  const connection = await openTestStore(testFile);
  const services = await createAppServices(connection, clock);
  await seedDemo(connection, DEMO_TENANT);
  const { logger, lines } = capturingLogger();
  const bot = new SafeguardingBot({
    ...services,
    alertCards: { refresh: async () => undefined },
    clock,
    logger,
  });
  return {
    connection,
    services,
    adapter: new RecordingTestAdapter((context) => bot.run(context)),
    logLines: lines,
  };
}
