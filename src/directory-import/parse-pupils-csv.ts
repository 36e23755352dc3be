import { z } from 'zod';
import type { Pupil } from '../pupils';
import type { SchoolScope } from '../shared/school-scope';
import { misId, optionalText, requiredText, yesNo } from './cell-schemas';
import { PUPIL_COLUMNS } from './pupil-columns';
import { checkCsvTable, findRepeats, toCsvResult, type CsvResult } from './csv-table';

/** A pupil as one line of the import file describes them (the school comes from the command). */
export type PupilImportRow = Omit<Pupil, keyof SchoolScope>;

/** Far more pupils than any one school has: a bigger file is a mistake (or a whole trust). */
const MAX_PUPIL_ROWS = 20_000;

/**
 * Checks a whole pupils file (exported from the school's MIS) and returns either every pupil or
 * every problem, by line. `now` decides what "a past date" means (injected for tests).
 */
export function parsePupilsCsv(
  text: string,
  options: { now?: Date } = {},
): CsvResult<PupilImportRow> {
  const today = londonDate(options.now ?? new Date());
  const rowSchema = z
    .object({
      mis_id: misId('mis_id'),
      upn: optionalText('upn', 13).pipe(
        z
          .string()
          .toUpperCase()
          .regex(/^[A-Z]\d{11}[0-9A-Z]$/, 'upn must be a letter, 11 digits, then a digit or letter')
          .optional(),
      ),
      legal_first_name: requiredText('legal_first_name', 200),
      legal_last_name: requiredText('legal_last_name', 200),
      preferred_first_name: optionalText('preferred_first_name', 200),
      preferred_last_name: optionalText('preferred_last_name', 200),
      date_of_birth: z.string().transform((v, ctx) => {
        const iso = readDate(v);
        if (!iso) {
          ctx.addIssue({
            code: 'custom',
            message: 'date_of_birth must be a real date as YYYY-MM-DD or DD/MM/YYYY',
          });
          return z.NEVER;
        }
        if (iso >= today || iso < '1900-01-01') {
          ctx.addIssue({ code: 'custom', message: 'date_of_birth must be in the past' });
          return z.NEVER;
        }
        return iso;
      }),
      year_group: z.string().transform((v, ctx) => {
        const year = readYearGroup(v);
        if (year) return year;
        ctx.addIssue({
          code: 'custom',
          message: 'year_group must be Nursery, Reception or Year 1 to Year 14 (1, Y1 and R work)',
        });
        return z.NEVER;
      }),
      form: optionalText('form', 20),
      on_roll: yesNo('on_roll'),
    })
    .transform((r): PupilImportRow => ({
      pupilId: r.mis_id,
      upn: r.upn,
      legalFirstName: r.legal_first_name,
      legalLastName: r.legal_last_name,
      preferredFirstName: r.preferred_first_name,
      preferredLastName: r.preferred_last_name,
      dateOfBirth: r.date_of_birth,
      yearGroup: r.year_group,
      form: r.form,
      onRoll: r.on_roll,
    }));

  const table = checkCsvTable(text, PUPIL_COLUMNS, rowSchema, MAX_PUPIL_ROWS);
  return toCsvResult({
    rows: table.rows,
    errors: [
      ...table.errors,
      ...findRepeats(table.rows, 'mis_id', (p) => p.pupilId),
      ...findRepeats(table.rows, 'upn', (p) => p.upn),
    ],
  });
}

/** YYYY-MM-DD or DD/MM/YYYY (UK order, as Excel shows it) to an ISO date, if it is a real one. */
export function readDate(value: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : uk
      ? [Number(uk[3]), Number(uk[2]), Number(uk[1])]
      : [NaN, NaN, NaN];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31/02 over into March: a real date reads back unchanged.
  if (
    Number.isNaN(date.getTime()) ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return undefined;
  }
  return date.toISOString().slice(0, 10);
}

/** "R", "Rec", "Reception" → "Reception"; "4", "Y4", "Yr 4", "year 4" → "Year 4". */
function readYearGroup(value: string): string | undefined {
  const v = value.toLowerCase().replace(/\s+/g, ' ');
  if (['r', 'rec', 'yr', 'year r', 'reception'].includes(v)) return 'Reception';
  if (['n', 'nur', 'year n', 'nursery'].includes(v)) return 'Nursery';
  const year = /^(?:year ?|yr ?|y ?)?(\d{1,2})$/.exec(v);
  const n = Number(year?.[1]);
  return n >= 1 && n <= 14 ? `Year ${n}` : undefined;
}

/** Today's date in England, where the school is. */
function londonDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
}
