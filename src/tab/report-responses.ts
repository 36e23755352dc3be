import { z } from 'zod';
import { instant, list } from './response-parts';

// The tab API's answers for reports (see tab-responses.ts).

/** A count as a report shows it: exact, "<5" (1 to 4) or "*" (hidden to protect a "<5"). */
const shownCount = z.union([z.number(), z.literal('<5'), z.literal('*')]);
const reportRow = z.object({
  label: z.string(),
  cells: list(shownCount),
  total: shownCount.optional(),
});

/** A report for a period: counts and statistics, never a name. */
export const reportAnswer = z.object({
  audience: z.enum(['full', 'governor']),
  schoolName: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  generatedAt: instant,
  headline: list(z.object({ label: z.string(), value: shownCount })),
  tables: list(
    z.object({
      id: z.string(),
      title: z.string(),
      columns: list(z.string()),
      rows: list(reportRow),
      totals: reportRow.optional(),
      chart: z.boolean(),
    }),
  ),
  timeliness: list(
    z.object({
      label: z.string(),
      measured: z.number().nullable(),
      waiting: z.number().nullable(),
      medianMinutes: z.number().nullable(),
      p90Minutes: z.number().nullable(),
      targetMinutes: z.number(),
      withinTarget: z.number().nullable(),
      overTarget: z.number().nullable(),
    }),
  ),
  suppressionNote: z.string().optional(),
});

/** An exported report as a file for the browser to save (base64: the route answers JSON). */
export const reportFileAnswer = z.object({
  fileName: z.string(),
  contentType: z.enum(['text/csv', 'application/pdf']),
  base64: z.string(),
});

export const reportTargetsAnswer = z.object({
  acknowledgeMinutes: z.number(),
  decideReferralHours: z.number(),
});
