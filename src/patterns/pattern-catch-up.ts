import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { PatternService } from './pattern.service';

/** How far back the catch-up looks for records never evaluated. */
const CATCH_UP_WINDOW_MS = 7 * 24 * 3_600_000;
/** How often each instance looks again (a failed evaluation without a crash is mended too). */
const CATCH_UP_EVERY_MS = 5 * 60_000;

/**
 * Evaluates the records of the last week that never finished their pattern evaluation (a crash
 * between storing a record and evaluating it): at once, then every few minutes until stopped.
 * Logs counts only.
 */
export function startPatternCatchUp(
  patterns: Pick<PatternService, 'catchUp'>,
  clock: Clock,
  logger: Pick<Logger, 'warn'>,
  everyMs = CATCH_UP_EVERY_MS,
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = running.then(async () => {
      try {
        const evaluated = await patterns.catchUp(
          new Date(clock.now().getTime() - CATCH_UP_WINDOW_MS),
        );
        if (evaluated > 0) {
          logger.warn({ event: 'patterns.caught_up', evaluated }, 'evaluated missed records');
        }
      } catch (error) {
        logger.warn(
          { event: 'patterns.catch_up_failed', code: (error as { code?: string }).code },
          'pattern catch-up failed',
        );
      }
    });
  };
  pass();
  const timer = setInterval(pass, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
