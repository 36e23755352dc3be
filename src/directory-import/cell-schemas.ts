import { z } from 'zod';

/**
 * Cell checks shared by the import files. Every message names its column and none repeats the
 * cell's value, so an error list never carries a pupil's name.
 */

/** A cell that must be filled in, at most `max` characters. */
export function requiredText(column: string, max: number) {
  return z
    .string()
    .min(1, `${column} is required`)
    .max(max, `${column} is longer than ${max} characters`);
}

/** A cell that may be blank (read as undefined), at most `max` characters. */
export function optionalText(column: string, max: number) {
  return z
    .string()
    .max(max, `${column} is longer than ${max} characters`)
    .transform((v) => (v === '' ? undefined : v));
}

const TRUE_WORDS = new Set(['yes', 'y', 'true', '1']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0']);

/** yes/no, true/false or 1/0, in any case. */
export function yesNo(column: string) {
  return z.string().transform((v, ctx) => {
    const word = v.toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    ctx.addIssue({ code: 'custom', message: `${column} must be yes or no (or true/false, 1/0)` });
    return z.NEVER;
  });
}

/** A school's MIS id for a pupil: letters and digits, with . _ / - inside. */
export const MIS_ID = /^[A-Za-z0-9](?:[A-Za-z0-9._/-]{0,62}[A-Za-z0-9])?$/;

/** The MIS id column (also how staff rows name pupils in conflict_pupil_ids). */
export function misId(column: string) {
  return requiredText(column, 64).regex(
    MIS_ID,
    `${column} must be letters and digits (with . _ / - inside), at most 64 characters`,
  );
}
