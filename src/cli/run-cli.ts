import { ConfigError } from '../config';
import { AppError, type ErrorCode } from '../shared/errors';

/**
 * Runs a command-line tool's `main` and turns what it returns or throws into an exit code and a
 * message on stderr: 2 for configuration, usage and store problems, with the usage text when the
 * error is the tool's usage code. Messages carry codes and ids only, as everywhere else.
 */
export function runCli(
  main: () => Promise<number>,
  failure: { label: string; usageCode: ErrorCode; usage: string },
): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof ConfigError) {
        process.stderr.write(`${error.message}\nSee .env.example for every key.\n`);
      } else {
        const code = (error as { code?: unknown }).code;
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(
          `${failure.label} failed${typeof code === 'string' ? ` (${code})` : ''}: ${message}\n`,
        );
        if (error instanceof AppError && error.code === failure.usageCode) {
          process.stderr.write(`${failure.usage}\n`);
        }
      }
      process.exitCode = 2;
    },
  );
}
