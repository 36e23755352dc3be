import { z } from 'zod';
import { instant, list } from './response-parts';

// Retention, legal holds and disposal (src/retention): the team's page, after step-up.
const rule = z.object({
  recordType: z.string(),
  basis: z.enum(['date-of-birth', 'recorded']),
  years: z.number(),
});

/** The school's retention rules (the defaults until it sets its own). */
export const retentionRulesAnswer = z.object({
  rules: list(rule),
  isDefault: z.boolean(),
  redated: z.number().optional(),
});

const dueRecord = z.object({
  scheduleId: z.string(),
  recordKind: z.enum(['incident', 'adult-concern']),
  reference: z.string(),
  pupilName: z.string(),
  /** The subject first, then linked pupils (a hold on any of them holds the record). */
  pupilIds: list(z.string()),
  categoryNames: list(z.string()),
  happenedAt: instant,
  recordedAt: instant,
  reviewOn: z.string(),
  rule: z.string(),
  lastRetained: z.object({ reason: z.string(), byName: z.string(), at: instant }).nullable(),
  holds: list(z.object({ holdId: z.string(), reference: z.string() })),
});

/** Records due for retention review today or earlier. */
export const retentionDueAnswer = z.object({ records: list(dueRecord) });

const tombstone = z.object({
  scheduleId: z.string(),
  recordKind: z.enum(['incident', 'adult-concern']),
  reference: z.string(),
  happenedAt: instant,
  recordedAt: instant,
  rule: z.string(),
  disposedByName: z.string(),
  disposedAt: instant,
  certificateId: z.string(),
});

/** A review's outcome: the record kept until a new date, or its tombstone. */
export const retentionOutcomeAnswer = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('retained'), scheduleId: z.string(), reviewOn: z.string() }),
  z.object({ decision: z.literal('disposed'), tombstone }),
]);

/** The school's disposals (tombstones), newest first. */
export const retentionDisposedAnswer = z.object({ disposed: list(tombstone) });

const hold = z.object({
  holdId: z.string(),
  scope: z.enum(['pupil', 'record', 'school']),
  targetId: z.string(),
  targetReference: z.string(),
  reason: z.string(),
  reference: z.string(),
  placedByName: z.string(),
  placedAt: instant,
  lifted: z.object({ byName: z.string(), at: instant, reason: z.string() }).nullable(),
});

/** One legal hold (placed or lifted). */
export const legalHoldAnswer = z.object({ hold });

/** The school's legal holds, in force first. */
export const legalHoldsAnswer = z.object({ holds: list(hold) });
