import type { BenchEnv } from './bench-env';
import type { BenchStore } from './store';

/** What the runner gives each benchmark. */
export interface BenchContext {
  readonly env: BenchEnv;
  readonly store: BenchStore;
}

/** What a benchmark reports back: its targets met (true), missed (false), or none set. */
export interface BenchOutcome {
  readonly passed: boolean | undefined;
  /**
   * True when the benchmark's own correctness checks failed (records lost or duplicated, alerts
   * not delivered): the figures measured something broken. Fails a quick run too.
   */
  readonly checksFailed?: boolean;
}

/**
 * One benchmark: a file in bench/ the runner calls in turn. It starts what it needs on the shared
 * store (in a database of its own), prints a block of figures and stops what it started.
 */
export interface Benchmark {
  /** Short, kebab-case; BENCH_ONLY matches against it. */
  readonly name: string;
  readonly title: string;
  run(context: BenchContext): Promise<BenchOutcome>;
}
