/**
 * The soak's own settings, read once from the environment (the app's settings stay in
 * src/config.ts; the soak passes each instance an explicit environment).
 */
export interface SoakEnv {
  /** SOAK_QUICK=1: the same scenarios at small sizes (a few minutes), as the test suite runs them. */
  readonly quick: boolean;
  /** A MongoDB to use instead of starting an embedded FerretDB. */
  readonly mongodbUri: string | undefined;
  /** Only run scenarios whose name contains this (rush, bad-input, kill). */
  readonly only: string | undefined;
  readonly rushStaff: number;
  readonly rushSeconds: number;
  readonly deskPollSeconds: number;
  readonly rushHistory: boolean;
  /** Times the hostile catalogue is replayed, all at once. */
  readonly badInputRounds: number;
  /** SIGKILLs of an instance during a submit. */
  readonly kills: number;
}

function positiveInt(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${key} must be an integer >= 1 (got "${raw}")`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, key: string, fallback: boolean): boolean {
  const raw = env[key]?.trim().toLowerCase();
  if (!raw) return fallback;
  return ['1', 'true', 'yes'].includes(raw);
}

/** Reads and checks the SOAK_* keys (and MONGODB_URI). */
export function readSoakEnv(env: NodeJS.ProcessEnv = process.env): SoakEnv {
  const quick = flag(env, 'SOAK_QUICK', false);
  return {
    quick,
    mongodbUri: env.MONGODB_URI?.trim() || undefined,
    only: env.SOAK_ONLY?.trim() || undefined,
    rushStaff: positiveInt(env, 'SOAK_STAFF', quick ? 20 : 200),
    rushSeconds: positiveInt(env, 'SOAK_SECONDS', quick ? 30 : 300),
    deskPollSeconds: positiveInt(env, 'SOAK_DESK_POLL_SECONDS', 5),
    rushHistory: flag(env, 'SOAK_HISTORY', !quick),
    badInputRounds: positiveInt(env, 'SOAK_BAD_INPUT_ROUNDS', quick ? 2 : 10),
    kills: positiveInt(env, 'SOAK_KILLS', quick ? 2 : 10),
  };
}
