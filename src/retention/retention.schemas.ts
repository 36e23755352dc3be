import { z } from 'zod';

const day = (what: string) =>
  z
    .string({ error: `Give ${what} as a date.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Give ${what} as a date (YYYY-MM-DD).`)
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), `${what} is not a real date.`);

const words = (what: string, most: number) =>
  z
    .string({ error: `Give ${what}.` })
    .trim()
    .min(1, `Give ${what}.`)
    .max(most, `${what} is too long (at most ${most} characters).`);

/** A review's outcome: keep it (why, and until when), or dispose of it. */
export const reviewOutcomeSchema = z.discriminatedUnion(
  'decision',
  [
    z.object({
      decision: z.literal('retain'),
      reason: words('the reason for keeping the record', 2_000),
      reviewOn: day('the next review date'),
    }),
    z.object({ decision: z.literal('dispose') }),
  ],
  { error: 'Choose retain (with a reason and a new date) or dispose.' },
);

/** A legal hold as the team places it. */
export const placeHoldSchema = z.object({
  scope: z.enum(['pupil', 'record', 'school'], {
    error: 'Choose what the hold covers: a pupil, a record or the whole school.',
  }),
  /** The pupil's id or the record's schedule id; ignored for the whole school. */
  targetId: z.string().trim().max(200, 'That target is not valid.').default(''),
  reason: words('the reason for the hold', 2_000),
  reference: words('the hold’s reference (the inquiry’s or case’s)', 100),
});

/** Lifting a hold needs its reason too. */
export const liftHoldSchema = z.object({ reason: words('the reason for lifting the hold', 2_000) });
