/** Writes one line of the bench's report (stdout: the report is the product). */
export function line(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** A benchmark's block starts with its name, underlined. */
export function heading(title: string): void {
  line();
  line(title);
  line('='.repeat(title.length));
}

/** A number of milliseconds, e.g. "12.3 ms". */
export function ms(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ms`;
}

/** A number with a fixed number of decimals, or "-". */
export function num(value: number | undefined, decimals = 1): string {
  return value === undefined || Number.isNaN(value) ? '-' : value.toFixed(decimals);
}

/** A count in short form for headings: 950, 5k, 100k, 1M. */
export function shortCount(n: number): string {
  if (n >= 1_000_000 && n % 100_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 100 === 0) return `${n / 1_000}k`;
  return String(n);
}

/**
 * A benchmark's verdict on its speed targets: PASS or FAIL, or in quick mode (small sizes, where
 * the figures say little about the targets) met or missed, reported and not enforced.
 */
export function verdict(met: boolean, quick: boolean): string {
  if (!quick) return met ? 'PASS' : 'FAIL';
  return `target ${met ? 'met' : 'missed'} (quick mode: small sizes, not enforced)`;
}

/** A table with a header row; the first column left-aligned, the others right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  line(format(header));
  line(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) line(format(row));
}
