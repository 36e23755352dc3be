import type { DomainEvents } from '../events';
import type { FollowUpQueue } from './follow-up-queue';
import type { OpenCasesView } from './open-cases';
import type { ReportMonthsView } from './report-months';

/**
 * The summaries follow what others announce, through their queue (after the publisher's answer).
 * Each follow-up works the record out again from the stores (never from the event's payload), so
 * a repeated, replayed or late event writes the same.
 */
export function subscribeSummaries(
  events: Pick<DomainEvents, 'subscribe'>,
  queue: FollowUpQueue,
  views: { openCases: OpenCasesView; reportMonths: ReportMonthsView },
): void {
  const { openCases, reportMonths } = views;
  const record =
    (name: string) => (e: { tenantId: string; schoolId: string; incidentId: string }) =>
      queue.add(name, async () => {
        await openCases.reconcile(e, e.incidentId);
        await reportMonths.reconcileConcern(e, e.incidentId);
      });
  events.subscribe('incident.recorded', record('summaries.recorded'), {
    name: 'summaries.recorded',
  });
  for (const type of ['case.closed', 'case.reopened'] as const) {
    events.subscribe(type, record(`summaries.${type}`), { name: `summaries.${type}` });
  }
  for (const type of ['incident.amended', 'alert.acknowledged', 'alert.escalated'] as const) {
    events.subscribe(
      type,
      (e) => queue.add(`summaries.${type}`, () => reportMonths.reconcileConcern(e, e.incidentId)),
      { name: `summaries.${type}` },
    );
  }
  events.subscribe(
    'record.disposed',
    (e) =>
      queue.add('summaries.record-disposed', async () => {
        await openCases.reconcile(e, e.incidentId);
        await reportMonths.forgetConcern(e, e.incidentId);
      }),
    { name: 'summaries.record-disposed' },
  );
  events.subscribe(
    'action.added',
    (e) => queue.add('summaries.action-added', () => reportMonths.reconcileAction(e, e.actionId)),
    { name: 'summaries.action-added' },
  );
}
