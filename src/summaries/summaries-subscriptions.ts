import type { DomainEvents } from '../events';
import type { OpenCasesView } from './open-cases';
import type { ReportMonthsView } from './report-months';

/**
 * The summaries follow what others announce. Each handler works the record out again from the
 * stores (never from the event's payload), so a repeated or replayed event writes the same.
 */
export function subscribeSummaries(
  events: Pick<DomainEvents, 'subscribe'>,
  views: { openCases: OpenCasesView; reportMonths: ReportMonthsView },
): void {
  const { openCases, reportMonths } = views;
  events.subscribe(
    'incident.recorded',
    async (e) => {
      await openCases.reconcile(e, e.incidentId);
      await reportMonths.reconcileConcern(e, e.incidentId);
    },
    { name: 'summaries.recorded' },
  );
  for (const type of ['case.closed', 'case.reopened'] as const) {
    events.subscribe(
      type,
      async (e) => {
        await openCases.reconcile(e, e.incidentId);
        await reportMonths.reconcileConcern(e, e.incidentId);
      },
      { name: `summaries.${type}` },
    );
  }
  for (const type of ['incident.amended', 'alert.acknowledged', 'alert.escalated'] as const) {
    events.subscribe(type, (e) => reportMonths.reconcileConcern(e, e.incidentId), {
      name: `summaries.${type}`,
    });
  }
  events.subscribe('action.added', (e) => reportMonths.reconcileAction(e, e.actionId), {
    name: 'summaries.action-added',
  });
}
