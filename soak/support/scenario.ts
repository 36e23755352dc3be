/** One scenario's outcome: figures to print, in order, and a one-line verdict. */
export interface ScenarioResult {
  readonly name: string;
  readonly figures: readonly (readonly [label: string, value: string])[];
  readonly passed: boolean;
  /** One line: PASS or FAIL and why. */
  readonly verdict: string;
}

/** What every scenario is given: the store, a database name of its own and its sizes. */
export interface ScenarioContext {
  readonly uri: string;
  readonly dbName: string;
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

/** "PASS" or "FAIL: <the first reasons>". */
export function verdictOf(failures: readonly string[]): { passed: boolean; verdict: string } {
  return failures.length === 0
    ? { passed: true, verdict: 'PASS' }
    : { passed: false, verdict: `FAIL: ${failures.join('; ')}` };
}

/** A number of ms, or "-". */
export function msText(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '-' : `${Math.round(value)} ms`;
}

/** A number of MB, or "-". */
export function mbText(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '-' : `${value.toFixed(0)} MB`;
}
