import { z } from 'zod';
import { AppError } from '../shared/errors';
import type { ReportTargets } from './report.types';

const targetsSchema = z.object({
  acknowledgeMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
  decideReferralHours: z
    .number()
    .int()
    .min(1)
    .max(30 * 24),
});

/** A school's targets as sent by the tab; a wrong field is named in the message. */
export function parseTargets(raw: unknown): ReportTargets {
  const parsed = targetsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const field = String(parsed.error.issues[0]?.path[0] ?? 'targets');
  throw new AppError(
    'REPORTS.INVALID_TARGETS',
    `"${field}" must be a whole number (minutes to acknowledge: 1 to 10080; hours to decide: 1 to 720).`,
  );
}
