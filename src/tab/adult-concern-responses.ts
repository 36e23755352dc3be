import { z } from 'zod';
import { instant, list } from './response-parts';

// Concerns about adults (src/tab/adult-concerns/): the case manager's list and record.

const adultConcernClock = z.object({
  state: z.enum(['not-applicable', 'due', 'overdue', 'referred']),
  dueAt: instant.optional(),
  referredAt: instant.optional(),
  late: z.boolean().optional(),
});

/** A line of the case manager's list: no name, no narrative. */
const adultConcernLine = z.object({
  concernId: z.string(),
  reference: z.string(),
  route: z.enum(['allegation', 'low-level']),
  caseManagerRoute: z.enum(['head', 'chair']),
  adultKind: z.string(),
  happenedAt: instant,
  recordedAt: instant,
  acknowledged: z.boolean(),
  outcome: z.string().nullable(),
  lado: adultConcernClock,
  retention: z.object({ rule: z.string(), reviewOn: z.string(), explanation: z.string() }),
});

export const adultConcernListAnswer = z.object({
  concerns: list(adultConcernLine),
  /** Same adult, several low-level concerns: references only. */
  patterns: list(z.object({ references: list(z.string()), concernIds: list(z.string()) })),
});

export const adultConcernAnswer = adultConcernLine.extend({
  recordedByName: z.string(),
  acknowledgedBy: z.string().nullable(),
  details: z.object({
    adultName: z.string(),
    adultRole: z.string(),
    whatHappened: z.string(),
    location: z.string(),
  }),
  steps: list(z.object({ kind: z.string(), at: instant, byName: z.string(), note: z.string() })),
  outcomeDetail: z
    .object({ outcome: z.string(), date: z.string(), byName: z.string(), learning: z.string() })
    .nullable(),
});
