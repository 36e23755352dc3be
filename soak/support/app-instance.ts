import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { rssMbOf } from '../../bench/support/process-stats';
import { projectRoot } from './project-root';

/** One second of an instance's life as /devz/runtime reports it (src/shared/runtime-metrics.ts). */
interface RuntimeSecond {
  readonly at: number;
  readonly loopMaxMs: number;
  readonly rssMb: number;
  readonly heapTotalMb: number;
  readonly externalMb: number;
}

/** The figures /devz/runtime answers with (process figures only). */
interface RuntimeSnapshot {
  readonly memoryMb: Record<'rss' | 'heapUsed' | 'heapTotal' | 'external' | 'arrayBuffers', number>;
  readonly eventLoop: { readonly maxMs: number; readonly p99Ms: number };
  readonly seconds: readonly RuntimeSecond[];
}

/** `node dist/main.js` in development mode, as Teams (and the process tests) see it. */
export interface AppInstance {
  readonly name: string;
  readonly baseUrl: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Lines the app wrote to stderr (start-up failures, crashes). */
  readonly stderr: string[];
  /** Resident set size now, MB (Linux /proc). */
  rssMb(): number | undefined;
  /** The highest RSS the process ever had, MB (VmHWM). */
  peakRssMb(): number | undefined;
  runtime(): Promise<RuntimeSnapshot>;
  /** True while the process has not exited. */
  alive(): boolean;
  /** SIGTERM and wait (the app stops cleanly). */
  stop(): Promise<void>;
  /** SIGKILL and wait: a crash, nothing flushed. */
  kill9(): Promise<void>;
}

/**
 * Where instances run: a directory of the soak's own (never the project root, whose .env the app
 * would read). Every instance of a run shares it, and so the development key ring: two instances
 * on one store must read each other's sealed narratives.
 */
const CHILD_CWD = path.join(os.tmpdir(), 'safeguarding-soak-app');

/**
 * The node flags of `npm start` (package.json): V8 sizes its young generation from the heap limit
 * (4 GB here), up to 3 x 32 MB, and kept it full under load: 299 MB RSS per instance in a rush of
 * 40 staff, 216 and 184 MB with 8 MB semi-spaces at the same latency (issue 18 part 7).
 */
const START_NODE_ARGS = '--max-semi-space-size=8';

/** Instances still running: killed when the soak itself exits, however it exits. */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/**
 * Starts the built app with exactly this environment plus PATH and HOME, and resolves once it
 * prints its bot endpoint. stdout is drained (pino lines at LOG_LEVEL), never kept whole.
 */
export async function startAppInstance(
  name: string,
  env: Record<string, string>,
  timeoutMs = 600_000,
): Promise<AppInstance> {
  fs.mkdirSync(CHILD_CWD, { recursive: true, mode: 0o700 });
  // SOAK_CPU_PROF_DIR: each instance writes a V8 CPU profile there when it stops (where time went).
  const profileDir = process.env.SOAK_CPU_PROF_DIR?.trim();
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  // The flags `npm start` runs the app with, unless SOAK_APP_NODE_ARGS says otherwise ("" for none).
  const nodeArgs = (process.env.SOAK_APP_NODE_ARGS ?? START_NODE_ARGS).split(/\s+/).filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, ...profile, path.join(projectRoot(), 'dist', 'main.js')],
    {
      cwd: CHILD_CWD,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    if (stderr.length < 200) stderr.push(line);
  });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start in ${timeoutMs} ms: ${stderr.join('\n')}`)),
      timeoutMs,
    );
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = /Bot endpoint:\s+(http:\/\/\S+)\/api\/messages/.exec(line)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited at start-up: ${stderr.join('\n')}`));
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  const end = async (signal: NodeJS.Signals) => {
    if (!alive()) return;
    child.kill(signal);
    await exited;
  };
  return {
    name,
    baseUrl,
    pid: child.pid!,
    child,
    stderr,
    rssMb: () => rssMbOf(child.pid),
    peakRssMb: () => peakRssMbOf(child.pid),
    async runtime() {
      const response = await fetch(`${baseUrl}/devz/runtime`);
      if (!response.ok) throw new Error(`${name} /devz/runtime answered ${response.status}`);
      return (await response.json()) as RuntimeSnapshot;
    },
    alive,
    stop: () => end('SIGTERM'),
    kill9: () => end('SIGKILL'),
  };
}

function peakRssMbOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** The development-mode environment every soak instance gets; the caller adds the rest. */
export function instanceEnv(
  uri: string,
  dbName: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    APP_MODE: 'development',
    PORT: '0',
    PLAYGROUND: 'false',
    MONGODB_URI: uri,
    MONGODB_DB_NAME: dbName,
    LOG_LEVEL: 'warn',
    DEMO_SEED: 'false',
    DEMO_HISTORY: 'false',
    SHUTDOWN_TIMEOUT_MS: '2000',
    // The soak measures the app's work, not the tab's per-address limiter (every soak client is
    // 127.0.0.1); the limiter's own tests are in test/integration/tab.
    TAB_RATE_LIMIT_PER_MINUTE: '100000',
    ...extra,
  };
}
