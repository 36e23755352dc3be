import { z } from 'zod';
import { misId, optionalText, yesNo } from './cell-schemas';
import { checkCsvTable, toCsvResult, type CsvResult } from './csv-table';
import { PUPIL_COLUMNS } from './pupil-columns';
import { readDate } from './parse-pupils-csv';

/** A leaver as the pupils file says: off roll, or with a leaving date (a known future leaver). */
export interface LeaverLine {
  readonly pupilId: string;
  readonly leavingDate?: string;
  readonly destination: { readonly schoolName?: string; readonly urn?: string };
}

/**
 * Reads the leaving columns of a pupils file (leaving_date, destination_school, destination_urn),
 * all or nothing like the rest of it; only leavers are returned: on_roll no, or a leaving date.
 */
export function parseLeavingColumns(text: string): CsvResult<LeaverLine> {
  const rowSchema = z
    .object({
      mis_id: misId('mis_id'),
      on_roll: yesNo('on_roll'),
      leaving_date: z.string().transform((v, ctx) => {
        if (v === '') return undefined;
        const iso = readDate(v);
        if (iso) return iso;
        ctx.addIssue({
          code: 'custom',
          message: 'leaving_date must be a real date as YYYY-MM-DD or DD/MM/YYYY, or blank',
        });
        return z.NEVER;
      }),
      destination_school: optionalText('destination_school', 200),
      destination_urn: z.string().transform((v, ctx) => {
        if (v === '') return undefined;
        if (/^\d{6}$/.test(v)) return v;
        ctx.addIssue({ code: 'custom', message: 'destination_urn must be six digits, or blank' });
        return z.NEVER;
      }),
    })
    .passthrough()
    .transform((row) => ({
      leaver: !row.on_roll || row.leaving_date !== undefined,
      line: {
        pupilId: row.mis_id,
        ...(row.leaving_date ? { leavingDate: row.leaving_date } : {}),
        destination: {
          ...(row.destination_school ? { schoolName: row.destination_school } : {}),
          ...(row.destination_urn ? { urn: row.destination_urn } : {}),
        },
      } satisfies LeaverLine,
    }));
  const table = checkCsvTable(
    text,
    {
      required: ['mis_id', 'on_roll'],
      optional: [...PUPIL_COLUMNS.required, ...PUPIL_COLUMNS.optional].filter(
        (c) => c !== 'mis_id' && c !== 'on_roll',
      ),
    },
    rowSchema,
    Number.MAX_SAFE_INTEGER,
  );
  return toCsvResult({
    rows: table.rows
      .filter((r) => r.value.leaver)
      .map((r) => ({ line: r.line, value: r.value.line })),
    errors: table.errors,
  });
}
