import type { Request, Server } from 'restify';
import { z } from 'zod';
import type { TabApiDependencies, TabRoute } from './tab-api.types';
import { parseOr400 } from './tab-requests';
import { reportAnswer, reportFileAnswer, reportTargetsAnswer } from './tab-responses';

// Dates are checked by the reports service, which says which one is wrong; here only their shape.
const periodQuery = z.object({
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
});
const exportQuery = periodQuery.extend({ format: z.enum(['csv', 'pdf']) });

/**
 * Reports (counts, never names): the period's report, its CSV or PDF export (as a base64 file in
 * JSON, so every answer still goes through its schema), and the school's targets. Who sees what
 * is the reports service's rule, from the roles in our directory.
 */
export function registerReportRoutes(
  server: Server,
  deps: Pick<TabApiDependencies, 'reports'>,
  route: TabRoute,
  queryOf: (req: Request) => Record<string, string>,
): void {
  server.get(
    '/api/tab/reports',
    route(reportAnswer, async ({ req, actor, context }) =>
      deps.reports.report(actor, parseOr400(periodQuery, queryOf(req)), context.requestId),
    ),
  );

  server.get(
    '/api/tab/reports/export',
    route(reportFileAnswer, async ({ req, actor, context }) => {
      const { format, ...period } = parseOr400(exportQuery, queryOf(req));
      const file = await deps.reports.export(actor, period, format, context.requestId);
      return {
        fileName: file.fileName,
        contentType: file.contentType as 'text/csv' | 'application/pdf',
        base64: Buffer.from(file.bytes).toString('base64'),
      };
    }),
  );

  server.get(
    '/api/tab/reports/targets',
    route(reportTargetsAnswer, async ({ actor }) => deps.reports.targets(actor)),
  );

  server.put(
    '/api/tab/reports/targets',
    route(reportTargetsAnswer, async ({ req, actor, context }) =>
      deps.reports.setTargets(actor, req.body as unknown, context.requestId),
    ),
  );
}
