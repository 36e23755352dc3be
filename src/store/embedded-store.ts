import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';

/** A running embedded FerretDB server owned by this process. */
export interface EmbeddedStore {
  readonly uri: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after the timeout; resolves once the process has exited. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface EmbeddedStoreOptions {
  dataDir: string;
  port: number;
  logger: Logger;
  /** How long to wait for the server to print its URI (the first build can take minutes). */
  startTimeoutMs?: number;
  /** Tests only: no filter reaches SQLite (every query reads the whole table), as a reference. */
  disablePushdown?: boolean;
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const BUILD_SCRIPT = path.join(PROJECT_ROOT, 'tools', 'build-embedded-store.mjs');

/**
 * Builds (if its sources changed) and locates the Go wrapper. The build logic lives in one place,
 * tools/build-embedded-store.mjs, which npm's postinstall also runs.
 */
function locateEmbeddedStoreBinary(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BUILD_SCRIPT, '--print-path'],
      { cwd: PROJECT_ROOT, maxBuffer: 1 << 20, timeout: 15 * 60_000 },
      (error, stdout, stderr) => {
        if (error) {
          const goMissing = (error as { code?: unknown }).code === 3;
          reject(
            new AppError(
              goMissing ? 'STORE.GO_MISSING' : 'STORE.START_FAILED',
              goMissing
                ? 'No MONGODB_URI is set and Go is not installed: install Go >= 1.24 (for the embedded store) or set MONGODB_URI.'
                : `Building the embedded store failed: ${stderr.trim().split('\n').slice(-3).join(' / ')}`,
              { cause: error },
            ),
          );
          return;
        }
        resolve(stdout.trim());
      },
    );
  });
}

/**
 * Starts FerretDB (SQLite files in dataDir) and resolves with its URI. The child reads our stdin
 * pipe and exits when it closes, so it dies with us even after a SIGKILL.
 */
export async function startEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const binary = await locateEmbeddedStoreBinary();
  const child = spawn(
    binary,
    [
      '-data-dir',
      options.dataDir,
      '-host',
      '127.0.0.1',
      '-port',
      String(options.port),
      ...(options.disablePushdown ? ['-disable-pushdown'] : []),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const log = options.logger.child({ component: 'embedded-store' });
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    log.warn({ ferretdb: summariseStoreLogLine(line) }, 'embedded store says');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const uri = await readUri(child, options.startTimeoutMs ?? 30_000).catch(async (error) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  log.info({ pid: child.pid, dataDir: options.dataDir, uri }, 'embedded store started');

  let stopping: Promise<void> | undefined;
  return {
    uri,
    pid: child.pid!,
    stop(timeoutMs = 5_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
        log.info({ pid: child.pid }, 'embedded store stopped');
      })();
      return stopping;
    },
  };
}

function readUri(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(
      () =>
        reject(
          new AppError('STORE.START_FAILED', `Embedded store did not start in ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new AppError(
          'STORE.START_FAILED',
          `Embedded store exited early (code ${code}, signal ${signal})`,
        ),
      );
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      let uri: unknown;
      try {
        uri = (JSON.parse(line) as { uri?: unknown }).uri;
      } catch {
        uri = undefined;
      }
      if (typeof uri === 'string') resolve(uri);
      else reject(new AppError('STORE.START_FAILED', 'Embedded store printed no URI'));
    });
  });
}

/**
 * Keeps only FerretDB's short message from a log line: its wire-message dumps can hold document
 * contents (child-protection data), which must never reach our logs.
 */
export function summariseStoreLogLine(line: string): string {
  const msg = /msg="((?:[^"\\]|\\.){0,200})/.exec(line)?.[1] ?? /msg=(\S{0,200})/.exec(line)?.[1];
  return (msg ?? 'unparsed store log line').replace(/\\n.*$/s, '');
}
