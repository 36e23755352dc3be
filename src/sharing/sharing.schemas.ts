import { z } from 'zod';
import { LAWFUL_BASES } from './sharing.types';

const text = (what: string, max: number) =>
  z
    .string({ error: `Say ${what}.` })
    .trim()
    .min(1, `Say ${what}.`)
    .max(max, `The text of "${what}" is longer than ${max.toLocaleString('en-GB')} characters.`);

/** A disclosure or a decision not to share, as the team records it from a record in the tab. */
export const sharingEntrySchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('disclosure'),
      what: text('what was shared', 2_000),
      recipient: text('who it was shared with', 300),
      at: z.coerce.date({ error: 'Give the date and time it was shared.' }),
      why: text('why it was shared', 2_000),
      lawfulBasis: z.enum(LAWFUL_BASES, { error: 'Choose the lawful basis for sharing.' }),
      decidedByAadObjectId: z.string().max(100).optional(),
    }),
    z.object({
      kind: z.literal('not-shared'),
      what: text('what was asked for or considered', 2_000),
      recipient: text('who asked, or who it would have gone to', 300),
      at: z.coerce.date({ error: 'Give the date and time of the decision.' }),
      why: text('the reasons for not sharing', 2_000),
      decidedByAadObjectId: z.string().max(100).optional(),
    }),
  ],
  { error: 'Say whether information was shared or a decision was made not to share.' },
);
