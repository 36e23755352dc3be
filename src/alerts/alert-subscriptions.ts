import type { DomainEvents } from '../events';
import type { IncidentHeader } from '../incidents';
import type { SchoolScope } from '../shared/school-scope';
import type { AlertService } from './alert.service';
import type { DeliveryBell } from './delivery-bell';

/** What the alerts feature reads and uses to follow up the events it subscribes to. */
export interface AlertSubscriptionDeps {
  readonly alerts: Pick<AlertService, 'enqueueForIncident'>;
  readonly records: {
    findById(scope: SchoolScope, incidentId: string): Promise<IncidentHeader | undefined>;
  };
  readonly bell: DeliveryBell;
}

/**
 * The alerts feature follows up what others announce: a recorded incident gets its alerts and
 * escalation job queued (idempotent: a repeated submit queues nothing new, and the delivery
 * worker's reconciler queues what a crash between the record and this handler missed), then the
 * worker is woken.
 */
export function subscribeAlerts(
  events: Pick<DomainEvents, 'subscribe'>,
  deps: AlertSubscriptionDeps,
) {
  events.subscribe(
    'incident.recorded',
    async (event) => {
      const incident = await deps.records.findById(event, event.incidentId);
      if (!incident) return;
      await deps.alerts.enqueueForIncident(incident);
      deps.bell.ring();
    },
    { name: 'alerts.queue-for-incident' },
  );
}
