import { z } from 'zod';
import {
  LOOKED_AFTER,
  STATUS_FLAGS,
  type PupilStatus,
  type StatusFlag,
} from './pupil-status.types';

/**
 * An NHS number is ten digits whose last is a modulus-11 check digit over the first nine
 * (weights 10 down to 2); a remainder giving 10 means the number is not valid at all.
 */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  const sum = [...digits.slice(0, 9)].reduce((total, d, i) => total + Number(d) * (10 - i), 0);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === Number(digits[9]);
}

/** "943 476 5919", "943-476-5919" and "9434765919" are the same number. */
export function normaliseNhsNumber(value: string): string {
  return value.replace(/[\s-]/g, '');
}

const flags = Object.fromEntries(STATUS_FLAGS.map(([flag]) => [flag, z.boolean()])) as {
  [F in StatusFlag]: z.ZodBoolean;
};

/** A whole status as the team submits it in the tab, with the reason for the change. */
export const pupilStatusChangeSchema = z
  .object({
    status: z.object({
      ...flags,
      lookedAfter: z.enum(LOOKED_AFTER),
      nhsNumber: z
        .string()
        .max(20)
        .transform(normaliseNhsNumber)
        .transform((v) => (v === '' ? undefined : v))
        .optional(),
      nhsNumberMissingReason: z
        .string()
        .trim()
        .max(500, 'The reason for no NHS number is longer than 500 characters.')
        .transform((v) => (v === '' ? undefined : v))
        .optional(),
    }),
    reason: z
      .string()
      .trim()
      .min(1, 'Say why the status changed.')
      .max(2_000, 'The reason is longer than 2,000 characters.'),
  })
  .superRefine(({ status }, ctx) => checkIdentifier(status, ctx, ['status']));

/** The NHS number, when given, is a real one; when not given, its absence has a reason. */
function checkIdentifier(
  status: { nhsNumber?: string | undefined; nhsNumberMissingReason?: string | undefined },
  ctx: z.RefinementCtx,
  path: (string | number)[],
): void {
  if (status.nhsNumber !== undefined && !isValidNhsNumber(status.nhsNumber)) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'nhsNumber'],
      message: 'The NHS number is not a valid one (10 digits with its check digit).',
    });
  }
  if (status.nhsNumber === undefined && status.nhsNumberMissingReason === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'nhsNumberMissingReason'],
      message: 'Give the NHS number, or say why there is none.',
    });
  }
}

/** The status as stored after a change: an NHS number makes any reason for its absence moot. */
export function settledStatus(status: PupilStatus): PupilStatus {
  return status.nhsNumber ? { ...status, nhsNumberMissingReason: undefined } : status;
}
