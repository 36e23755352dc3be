/** One scenario's outcome: figures to print, in order, and a one-line verdict. */
export interface ScenarioResult {
  readonly name: string;
  readonly figures: readonly (readonly [label: string, value: string])[];
  readonly passed: boolean;
  /** Correctness failed (a record lost or twice, an alert missing, bad input stored): always fails. */
  readonly checksFailed: boolean;
  /** One line: PASS or FAIL and why. */
  readonly verdict: string;
}

/** What every scenario is given: the store, a database name of its own and its sizes. */
export interface ScenarioContext {
  readonly uri: string;
  readonly dbName: string;
  /** Small sizes: speed and memory targets are reported, not enforced. */
  readonly quick: boolean;
}

/** Prints a scenario's block: its title, its figures aligned, then the verdict. */
export function formatResult(result: ScenarioResult): string {
  const width = Math.max(...result.figures.map(([label]) => label.length), 0);
  return [
    '',
    result.name,
    '-'.repeat(result.name.length),
    ...result.figures.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    `  verdict: ${result.verdict}`,
  ].join('\n');
}

/**
 * The one-line verdict. `checks` are correctness (nothing lost, twice or stored): they fail every
 * run. `targets` are speed and memory: they fail a full run, but a quick run (small sizes, the test
 * suite on a shared machine) only reports them, as the bench does.
 */
export function verdictOf(
  checks: readonly string[],
  targets: readonly string[],
  quick: boolean,
): { passed: boolean; checksFailed: boolean; verdict: string } {
  const checksFailed = checks.length > 0;
  const passed = !checksFailed && (quick || targets.length === 0);
  const reasons = [...checks, ...targets].join('; ');
  if (passed && targets.length === 0) return { passed, checksFailed, verdict: 'PASS' };
  if (passed)
    return {
      passed,
      checksFailed,
      verdict: `PASS (quick mode: targets reported, not enforced: ${reasons})`,
    };
  return { passed, checksFailed, verdict: `FAIL: ${reasons}` };
}

/** A number of ms, or "-". */
export function msText(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '-' : `${Math.round(value)} ms`;
}

/** A number of MB, or "-". */
export function mbText(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '-' : `${value.toFixed(0)} MB`;
}
