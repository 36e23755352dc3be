import { z } from 'zod';
import { isValidNhsNumber, normaliseNhsNumber, type ImportedStatus } from '../pupil-status';
import { misId, optionalText } from './cell-schemas';
import { checkCsvTable, toCsvResult, type CsvResult } from './csv-table';
import { FLAG_COLUMNS, PUPIL_COLUMNS } from './pupil-columns';

const TRUE_WORDS = new Set(['yes', 'y', 'true', '1']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0']);

/** yes/no like the other columns, or blank for "not said". */
function optionalYesNo(column: string) {
  return z.string().transform((v, ctx) => {
    const word = v.toLowerCase();
    if (word === '') return undefined;
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    ctx.addIssue({ code: 'custom', message: `${column} must be yes or no, or blank` });
    return z.NEVER;
  });
}

const LOOKED_AFTER_WORDS: Record<string, ImportedStatus['lookedAfter']> = {
  no: 'no',
  n: 'no',
  yes: 'looked-after',
  y: 'looked-after',
  'looked after': 'looked-after',
  cla: 'looked-after',
  lac: 'looked-after',
  previously: 'previously-looked-after',
  'previously looked after': 'previously-looked-after',
  pla: 'previously-looked-after',
  plac: 'previously-looked-after',
};

/** One line's statuses, by MIS id. */
export interface StatusLine {
  readonly pupilId: string;
  readonly status: ImportedStatus;
}

/**
 * Reads the status columns of a pupils file (checked with the same all-or-nothing rules as the
 * rest of it); lines whose status cells are all blank are left out.
 */
export function parseStatusColumns(text: string): CsvResult<StatusLine> {
  const flagCells = Object.fromEntries(
    Object.keys(FLAG_COLUMNS).map((column) => [column, optionalYesNo(column)]),
  );
  const rowSchema = z
    .object({
      mis_id: misId('mis_id'),
      ...flagCells,
      looked_after: z.string().transform((v, ctx) => {
        const word = v.toLowerCase().replace(/[\s_-]+/g, ' ');
        if (word === '') return undefined;
        const value = LOOKED_AFTER_WORDS[word];
        if (value) return value;
        ctx.addIssue({
          code: 'custom',
          message: 'looked_after must be no, yes (looked after) or previously, or blank',
        });
        return z.NEVER;
      }),
      nhs_number: z.string().transform((v, ctx) => {
        const digits = normaliseNhsNumber(v);
        if (digits === '') return undefined;
        if (isValidNhsNumber(digits)) return digits;
        ctx.addIssue({ code: 'custom', message: 'nhs_number is not a valid NHS number' });
        return z.NEVER;
      }),
      nhs_number_missing_reason: optionalText('nhs_number_missing_reason', 500),
    })
    .passthrough()
    .transform((row): StatusLine => {
      const status: Record<string, unknown> = {};
      for (const [column, field] of Object.entries(FLAG_COLUMNS)) {
        const value = (row as Record<string, unknown>)[column];
        if (value !== undefined) status[field] = value;
      }
      if (row.looked_after !== undefined) status.lookedAfter = row.looked_after;
      if (row.nhs_number !== undefined) status.nhsNumber = row.nhs_number;
      if (row.nhs_number_missing_reason !== undefined) {
        status.nhsNumberMissingReason = row.nhs_number_missing_reason;
      }
      return { pupilId: row.mis_id, status: status as ImportedStatus };
    });
  const table = checkCsvTable(
    text,
    {
      required: ['mis_id'],
      optional: [...PUPIL_COLUMNS.required, ...PUPIL_COLUMNS.optional].filter(
        (c) => c !== 'mis_id',
      ),
    },
    rowSchema,
    Number.MAX_SAFE_INTEGER,
  );
  return toCsvResult({
    rows: table.rows.filter((r) => Object.keys(r.value.status).length > 0),
    errors: table.errors,
  });
}
