import { spawn, type ChildProcess } from 'node:child_process';
import { startBenchApp } from './app';

/** What the parent asks the app process to start (passed as one JSON argument). */
interface AppProcessOptions {
  readonly uri: string;
  readonly dbName: string;
  readonly logLevel: string;
  readonly env?: Record<string, string>;
}

/** The app started in a process of its own: its RSS is the app's alone. */
export interface AppProcess {
  readonly baseUrl: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const READY = 'bench-app-ready ';

/**
 * Starts the app as its own node process (this file is its entry point when run directly), so
 * the memory figure is the app's own RSS, without the bench's client, seeding and other apps.
 */
export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const child = spawn(process.execPath, [__filename, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const at = out.indexOf(READY);
      if (at >= 0 && out.includes('\n', at)) {
        resolve(out.slice(at + READY.length, out.indexOf('\n', at)).trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`the app process exited (${code})`)));
  });
  return { baseUrl, pid: child.pid!, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

async function runAsChild(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as AppProcessOptions;
  const app = await startBenchApp(options);
  process.stdout.write(`${READY}${app.baseUrl}\n`);
  process.once('SIGTERM', () => {
    void app.stop().finally(() => process.exit(0));
  });
}

if (require.main === module) {
  runAsChild().catch((error: unknown) => {
    process.stderr.write(
      `bench app process failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  });
}
