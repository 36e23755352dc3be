/**
 * The bench's own settings, read once from the environment (the app's settings stay in
 * src/config.ts; the bench passes the app an explicit environment of its own).
 */
export interface BenchEnv {
  /** A MongoDB to use instead of starting an embedded FerretDB. */
  readonly mongodbUri: string | undefined;
  /** Submissions each simulated member of staff makes in the measured phase. */
  readonly submissions: number;
  /** Simulated members of staff working at once. */
  readonly users: number;
  /** App and floor take turns this many times (each round a share of the submissions). */
  readonly rounds: number;
  /** Unmeasured submissions per member of staff before measuring. */
  readonly warmup: number;
  /** Exit non-zero when a target is missed. */
  readonly strict: boolean;
  /** Only run benchmarks whose name contains this. */
  readonly only: string | undefined;
  /** The app's log level during the bench (silent by default; lines go to /dev/null). */
  readonly appLogLevel: string;
  /**
   * Records (each with its submitted draft) already in the store before measuring, in the app's
   * collections and the floor's alike: FerretDB scans whole collections, so size matters there.
   */
  readonly history: number;
  /** Record a CPU profile of the measured app phase into this file (.cpuprofile). */
  readonly cpuProfile: string | undefined;
}

function positiveInt(env: NodeJS.ProcessEnv, key: string, fallback: number, min = 1): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${key} must be an integer >= ${min} (got "${raw}")`);
  }
  return value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks the BENCH_* keys (and MONGODB_URI). */
export function readBenchEnv(env: NodeJS.ProcessEnv = process.env): BenchEnv {
  const appLogLevel = env.BENCH_APP_LOG_LEVEL?.trim() || 'silent';
  if (!LOG_LEVELS.includes(appLogLevel)) {
    throw new RangeError(`BENCH_APP_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    mongodbUri: env.MONGODB_URI?.trim() || undefined,
    submissions: positiveInt(env, 'BENCH_SUBMISSIONS', 10),
    users: positiveInt(env, 'BENCH_USERS', 20),
    rounds: positiveInt(env, 'BENCH_ROUNDS', 5),
    warmup: positiveInt(env, 'BENCH_WARMUP', 1, 0),
    strict: ['1', 'true', 'yes'].includes(env.BENCH_STRICT?.trim().toLowerCase() ?? ''),
    only: env.BENCH_ONLY?.trim() || undefined,
    appLogLevel,
    history: positiveInt(env, 'BENCH_HISTORY', 0, 0),
    cpuProfile: env.BENCH_CPU_PROFILE?.trim() || undefined,
  };
}
