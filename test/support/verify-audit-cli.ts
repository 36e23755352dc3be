import { execFile } from 'node:child_process';
import path from 'node:path';
import { testStoreUri } from './test-store';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli', 'verify-audit-cli.js');

/**
 * Runs the built `audit:verify` command as an operator would, against a test's own database, in a
 * working directory of the test's (development mode: its key file lives there). Resolves with
 * the exit code and what it printed; never rejects.
 */
export function runVerifyAudit(options: {
  readonly dbName: string;
  readonly cwd: string;
  readonly args?: readonly string[];
}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...(options.args ?? [])],
      {
        cwd: options.cwd,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          APP_MODE: 'development',
          MONGODB_URI: testStoreUri(),
          MONGODB_DB_NAME: options.dbName,
          LOG_LEVEL: 'warn',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          stdout,
          stderr,
        }),
    );
  });
}
