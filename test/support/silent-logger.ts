import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/shared/logger';

/** A real pino logger (with the app's redaction) whose lines are kept for assertions. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}
