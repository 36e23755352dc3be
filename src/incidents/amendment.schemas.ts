import { z } from 'zod';
import type { AmendmentChanges } from './amendment.types';

const text = (max: number) => z.string().max(max);
const id = z.string().min(1).max(100);

/** An amendment request as a client sends it: strict, so unknown or operator keys are refused. */
export const amendmentRequestSchema = z
  .object({
    reason: z
      .string({ error: 'Give the reason for the amendment.' })
      .trim()
      .min(10, { error: 'Give the reason for the amendment (at least 10 characters).' })
      .max(2_000),
    changes: z
      .object({
        location: text(200),
        facts: text(20_000).trim().min(1, { error: 'The facts cannot be empty.' }),
        childsWords: text(10_000),
        adultsWords: text(10_000),
        leadingQuestionNote: text(10_000),
        opinion: text(10_000),
        actionTaken: text(10_000),
        actionRequired: text(10_000),
        happenedAt: z.iso.datetime({ offset: true }).transform((v) => new Date(v)),
        categoryIds: z.array(id).min(1).max(10),
        agencyIds: z.array(id).max(10),
      })
      .partial()
      .strict(),
  })
  .strict();

/** A parsed request: the reason and the fields to change. */
export interface AmendmentRequest {
  readonly reason: string;
  readonly changes: AmendmentChanges;
}
