import { parse } from 'csv-parse/sync';
import type { z } from 'zod';

/**
 * One problem in an import file. `line` is the line in the file as a spreadsheet or editor shows
 * it (the header is line 1). Reasons name the column and never repeat a cell's contents, except
 * ids, so the list can be printed and shared without copying pupils' names around.
 */
export interface CsvLineError {
  readonly line: number;
  readonly column?: string;
  readonly reason: string;
}

/** A checked row and the line it came from (later checks, such as against the store, cite it). */
export interface ParsedRow<T> {
  readonly line: number;
  readonly value: T;
}

/** Either every row, or every problem: an import never goes ahead with some lines bad. */
export type CsvResult<T> =
  | { readonly ok: true; readonly rows: readonly ParsedRow<T>[] }
  | { readonly ok: false; readonly errors: readonly CsvLineError[] };

/** The rows that passed so far and every problem found; later checks add to both. */
export interface CsvCheck<T> {
  readonly rows: readonly ParsedRow<T>[];
  readonly errors: readonly CsvLineError[];
}

/** All or nothing: the rows when there is no problem at all, else every problem in file order. */
export function toCsvResult<T>(check: CsvCheck<T>): CsvResult<T> {
  return check.errors.length > 0
    ? { ok: false, errors: sortErrors(check.errors) }
    : { ok: true, rows: check.rows };
}

/** The columns a file must have and may have. */
export interface CsvColumns {
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

/** One record as csv-parse reports it with `info: true`. */
interface InfoRecord {
  readonly record: readonly string[];
  readonly info: { readonly lines: number };
}

/** A row of trimmed cells by column name; an optional column missing from the file reads ''. */
interface CsvRow {
  readonly line: number;
  readonly cells: Readonly<Record<string, string>>;
  /** Columns whose cells already failed a generic check (not re-checked by the row schema). */
  readonly badColumns: ReadonlySet<string>;
}

// Control characters (a tab, a line break inside a cell) and bidirectional overrides, which can
// make a name display as something else.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// Spreadsheets run a cell starting with one of these as a formula when the data is exported and
// opened again (CSV injection).
const FORMULA_START = /^[=+\-@]/;

const QUOTE_PROBLEMS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell starting on or before this line is never closed (missing ")',
  INVALID_OPENING_QUOTE: 'a " inside a cell: quote the whole cell and double the inner quote ("")',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing ": quote the whole cell and double inner quotes',
};

/**
 * Reads a CSV import file and runs every row through a schema, collecting every problem rather
 * than stopping at the first: the header (unknown, repeated or missing columns, in one error on
 * line 1), the row count, cells that are unsafe whatever the column (control characters, formula
 * starts), then the row schema. Blank lines are skipped but still counted for line numbers.
 * Returns the rows that passed alongside every problem, so checks across rows (repeated ids,
 * pupils that do not exist) can report on every line too.
 */
export function checkCsvTable<T>(
  text: string,
  columns: CsvColumns,
  rowSchema: z.ZodType<T>,
  maxRows: number,
): CsvCheck<T> {
  const errors: CsvLineError[] = [];
  // With `info`, csv-parse returns { record, info } per line (its types do not say so).
  const records = (
    parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        const line = Number((error as { lines?: unknown } | undefined)?.lines) || 1;
        const code = String((error as { code?: unknown } | undefined)?.code);
        errors.push({ line, reason: QUOTE_PROBLEMS[code] ?? 'the line cannot be read as CSV' });
      },
    }) as unknown as InfoRecord[]
  ).filter(({ record }) => record.some((cell) => cell.trim() !== ''));

  const [headerRecord, ...dataRecords] = records;
  if (!headerRecord) return { rows: [], errors: [{ line: 1, reason: 'the file is empty' }] };
  const header = headerRecord.record.map((name) =>
    name
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
  const headerProblem = checkHeader(header, columns);
  if (headerProblem) {
    return { rows: [], errors: [{ line: startLine(headerRecord), reason: headerProblem }] };
  }
  if (dataRecords.length === 0) {
    const noRows = { line: 1, reason: 'the file has no rows under its header' };
    return { rows: [], errors: errors.length > 0 ? errors : [noRows] };
  }
  if (dataRecords.length > maxRows) {
    return {
      rows: [],
      errors: [{ line: 1, reason: `the file has more than ${maxRows} rows: split it` }],
    };
  }

  const rows: CsvRow[] = [];
  for (const entry of dataRecords) {
    const line = startLine(entry);
    if (entry.record.length !== header.length) {
      errors.push({
        line,
        reason: `the line has ${entry.record.length} cells but the header has ${header.length}`,
      });
      continue;
    }
    const cells: Record<string, string> = {};
    const badColumns = new Set<string>();
    header.forEach((column, i) => {
      const raw = entry.record[i] ?? '';
      const value = raw.trim();
      cells[column] = value;
      // Checked after trimming: stray spaces, tabs or line ends around a cell are dropped anyway.
      if (UNSAFE_CHARACTERS.test(value)) {
        badColumns.add(column);
        errors.push({
          line,
          column,
          reason: `${column} contains a control character (such as a line break or tab)`,
        });
      } else if (FORMULA_START.test(value)) {
        badColumns.add(column);
        errors.push({
          line,
          column,
          reason: `${column} starts with =, +, - or @, which a spreadsheet would run as a formula`,
        });
      }
    });
    for (const column of columns.optional) cells[column] ??= '';
    rows.push({ line, cells, badColumns });
  }

  const parsed: ParsedRow<T>[] = [];
  for (const row of rows) {
    const result = rowSchema.safeParse(row.cells);
    if (result.success) {
      if (row.badColumns.size === 0) parsed.push({ line: row.line, value: result.data });
      continue;
    }
    const reported = new Set<string>();
    for (const issue of result.error.issues) {
      const column = String(issue.path[0] ?? '');
      if (row.badColumns.has(column) || reported.has(column)) continue;
      reported.add(column);
      errors.push({ line: row.line, column, reason: issue.message });
    }
  }
  return { rows: parsed, errors };
}

/**
 * Flags ids repeated within the file (the second and later lines, citing the first): two rows for
 * one pupil would otherwise silently overwrite each other.
 */
export function findRepeats<T>(
  rows: readonly ParsedRow<T>[],
  column: string,
  keyOf: (value: T) => string | undefined,
): CsvLineError[] {
  const firstLine = new Map<string, number>();
  const errors: CsvLineError[] = [];
  for (const row of rows) {
    const key = keyOf(row.value);
    if (key === undefined) continue;
    const first = firstLine.get(key.toLowerCase());
    if (first === undefined) firstLine.set(key.toLowerCase(), row.line);
    else
      errors.push({
        line: row.line,
        column,
        reason: `${column} ${key} is already on line ${first}`,
      });
  }
  return errors;
}

/** Errors in file order: by line, then column. */
function sortErrors(errors: readonly CsvLineError[]): CsvLineError[] {
  return [...errors].sort(
    (a, b) => a.line - b.line || (a.column ?? '').localeCompare(b.column ?? ''),
  );
}

function checkHeader(header: readonly string[], columns: CsvColumns): string | undefined {
  const known = new Set([...columns.required, ...columns.optional]);
  const unknown = header.filter((c) => !known.has(c));
  const repeated = header.filter((c, i) => header.indexOf(c) !== i);
  const missing = columns.required.filter((c) => !header.includes(c));
  const problems = [
    unknown.length > 0 ? `unknown columns: ${unknown.map(describeColumn).join(', ')}` : '',
    repeated.length > 0 ? `repeated columns: ${[...new Set(repeated)].join(', ')}` : '',
    missing.length > 0 ? `missing required columns: ${missing.join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length === 0) return undefined;
  return `${problems.join('; ')} (expected: ${columns.required.join(', ')}; optional: ${columns.optional.join(', ')})`;
}

/** A header cell as it can be shown safely (headers are ours, but a stray cell may be anything). */
function describeColumn(name: string): string {
  if (name === '') return '(blank)';
  // eslint-disable-next-line no-control-regex
  const printable = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

/** The line a record starts on: csv-parse counts to its end, and a quoted cell may span lines. */
function startLine(entry: InfoRecord): number {
  const breaks = entry.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
  return entry.info.lines - breaks;
}
