/**
 * The bench's own settings, read once from the environment (the app's settings stay in
 * src/config.ts; the bench passes the app an explicit environment of its own).
 */
export interface BenchEnv {
  /**
   * BENCH_QUICK=1: the same benchmarks at small sizes (a minute or two; CI runs it). Figures and
   * ratios are printed, speed targets are reported but never change the exit code; a benchmark's
   * own correctness checks still do. Any BENCH_* size set explicitly wins over the quick default.
   */
  readonly quick: boolean;
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
  /** Sequential submissions of one member of staff alone, after the measured rounds. */
  readonly aloneSubmissions: number;
  /** Alerts in the delivery benchmark's backlog. */
  readonly alertBacklog: number;
  /** School sizes (records) at which the chronology's first page is read, ascending. */
  readonly chronologySizes: readonly number[];
  /** The most time spent reading pages at one chronology size (at least 5 reads are made). */
  readonly chronologyBudgetMs: number;
}

/** The smallest chronology size: the measured pupil's own records must fit. */
export const CHRONOLOGY_PUPIL_RECORDS = 60;

function positiveInt(env: NodeJS.ProcessEnv, key: string, fallback: number, min = 1): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${key} must be an integer >= ${min} (got "${raw}")`);
  }
  return value;
}

function sizeList(env: NodeJS.ProcessEnv, key: string, fallback: number[], min: number): number[] {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const sizes = raw.split(',').map((s) => Number(s.trim()));
  if (sizes.some((s) => !Number.isInteger(s) || s < min)) {
    throw new RangeError(`${key} must be integers >= ${min} (got "${raw}")`);
  }
  return [...sizes].sort((a, b) => a - b);
}

function flag(env: NodeJS.ProcessEnv, key: string): boolean {
  return ['1', 'true', 'yes'].includes(env[key]?.trim().toLowerCase() ?? '');
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks the BENCH_* keys (and MONGODB_URI). */
export function readBenchEnv(env: NodeJS.ProcessEnv = process.env): BenchEnv {
  const appLogLevel = env.BENCH_APP_LOG_LEVEL?.trim() || 'silent';
  if (!LOG_LEVELS.includes(appLogLevel)) {
    throw new RangeError(`BENCH_APP_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const quick = flag(env, 'BENCH_QUICK');
  return {
    quick,
    mongodbUri: env.MONGODB_URI?.trim() || undefined,
    submissions: positiveInt(env, 'BENCH_SUBMISSIONS', quick ? 2 : 10),
    users: positiveInt(env, 'BENCH_USERS', 20),
    rounds: positiveInt(env, 'BENCH_ROUNDS', quick ? 2 : 5),
    warmup: positiveInt(env, 'BENCH_WARMUP', 1, 0),
    strict: flag(env, 'BENCH_STRICT'),
    only: env.BENCH_ONLY?.trim() || undefined,
    appLogLevel,
    history: positiveInt(env, 'BENCH_HISTORY', 0, 0),
    cpuProfile: env.BENCH_CPU_PROFILE?.trim() || undefined,
    aloneSubmissions: quick ? 3 : 10,
    alertBacklog: quick ? 150 : 1_000,
    chronologySizes: sizeList(
      env,
      'BENCH_CHRONOLOGY_SIZES',
      quick ? [1_000, 5_000] : [10_000, 100_000, 1_000_000],
      CHRONOLOGY_PUPIL_RECORDS,
    ),
    chronologyBudgetMs: quick ? 10_000 : 120_000,
  };
}
