import type { DomainEvents } from '../events';
import type { IncidentHeader } from '../incidents';
import type { Clock } from '../shared/clock';
import type { SchoolScope } from '../shared/school-scope';
import type { ActionAlerts, AddedActionSubject } from './action-alerts';
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

/** What the alerts feature reads to follow up an added action. */
export interface ActionAlertSubscriptionDeps {
  readonly actionAlerts: Pick<ActionAlerts, 'queueForAddedAction'>;
  /** The action as alerts see it (no text), or nothing if it or its record is gone. */
  readonly actions: {
    addedActionSubject(
      scope: SchoolScope,
      actionId: string,
    ): Promise<AddedActionSubject | undefined>;
  };
  readonly clock: Clock;
}

/**
 * An added action alerts the people its author chose and a task's assignee (idempotent: the
 * actions feature announces a repeated form again to finish what a crash cut short).
 */
export function subscribeActionAlerts(
  events: Pick<DomainEvents, 'subscribe'>,
  deps: ActionAlertSubscriptionDeps,
) {
  events.subscribe(
    'action.added',
    async (event) => {
      const action = await deps.actions.addedActionSubject(event, event.actionId);
      if (action) await deps.actionAlerts.queueForAddedAction(action, deps.clock.now());
    },
    { name: 'alerts.queue-for-action' },
  );
}
