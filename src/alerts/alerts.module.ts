import type { Connection } from 'mongoose';
import type { AuditTrail, ChangeAuditRecovery } from '../audit';
import type { SchoolDayConfig } from '../clocks';
import type { DomainEvents } from '../events';
import type { IncidentHeader } from '../incidents';
import type { Clock } from '../shared/clock';
import type { SchoolScope } from '../shared/school-scope';
import { ActionAlerts } from './action-alerts';
import { AlertCopies } from './alert-copies';
import { AdultConcernAlerts } from './adult-concern-alerts';
import {
  subscribeActionAlerts,
  subscribeAlerts,
  type ActionAlertSubscriptionDeps,
} from './alert-subscriptions';
import { AlertRepository } from './alert.repository';
import { AlertService, type AlertDirectory } from './alert.service';
import { DeliveryBell } from './delivery-bell';
import type { EscalationConfig } from './escalation';
import { PatternAlerts } from './pattern-alerts';

/**
 * The alert outbox, which alerts/ alone writes: its repository, the bell its writers ring for
 * the delivery worker, and the writer the actions feature's clocks queue through. Built first:
 * access reads who an alert reached, and actions queue through the writer.
 */
export function createAlertOutbox(connection: Connection) {
  const alertRepository = new AlertRepository(connection);
  // Rung when alerts are queued; the app's delivery worker listens while it runs.
  const deliveryBell = new DeliveryBell();
  const actionAlerts = new ActionAlerts(alertRepository, deliveryBell);
  // The writer concerns about adults queue through (their own kind; see adult-concern-alerts.ts).
  const adultConcernAlerts = new AdultConcernAlerts(alertRepository, deliveryBell);
  /** Who the alerts about a record were addressed to: a fact access reads. */
  const alertedAbout = async (scope: SchoolScope, incidentId: string) => {
    const sent = await alertRepository.forIncident(scope, incidentId, 'incident');
    return sent.map((a) => a.recipientAadObjectId);
  };
  return { alertRepository, deliveryBell, actionAlerts, alertedAbout, adultConcernAlerts };
}

type AlertOutbox = ReturnType<typeof createAlertOutbox>;

/** The copies of alert cards in chats: linked when shown, redrawn together (alert-copies.ts). */
export function createAlertCopies(outbox: AlertOutbox, clock: Clock): AlertCopies {
  return new AlertCopies(outbox.alertRepository, clock);
}

/** The config slice alerts read: the escalation ladder and the school day it climbs in. */
export interface AlertsConfig {
  readonly escalation: EscalationConfig;
  readonly schoolDay: SchoolDayConfig;
}

interface AlertsModuleDeps {
  /** Whom alerts may go to, and the categories that decide it. */
  readonly staff: Pick<AlertDirectory, 'listSafeguardingTeam' | 'listActiveStaff' | 'findStaff'>;
  readonly lists: Pick<AlertDirectory, 'listCategories'>;
  readonly records: {
    findById(scope: SchoolScope, incidentId: string): Promise<IncidentHeader | undefined>;
    listRecordedSince(since: Date, limit: number): Promise<IncidentHeader[]>;
    listInsertedSince(since: Date, limit: number): Promise<IncidentHeader[]>;
  };
  /** actions/: an added action as alerts see it (no text). */
  readonly actions: ActionAlertSubscriptionDeps['actions'];
  /** Where `alert.acknowledged` is announced. */
  readonly events: Pick<DomainEvents, 'publish' | 'subscribe'>;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly config: AlertsConfig;
  /** audit/: appends an acknowledgement's event a crash cut off, when it is pressed again. */
  readonly changeAudit?: Pick<ChangeAuditRecovery, 'recover'>;
}

/**
 * Alerts follow what others announce: a recorded incident's alerts and escalation are queued, an
 * added action alerts the people it names; then the delivery worker is woken.
 */
export function createAlertsModule(outbox: AlertOutbox, deps: AlertsModuleDeps) {
  const alerts = new AlertService(
    outbox.alertRepository,
    {
      listSafeguardingTeam: (scope) => deps.staff.listSafeguardingTeam(scope),
      listActiveStaff: (scope, limit) => deps.staff.listActiveStaff(scope, limit),
      findStaff: (scope, ids) => deps.staff.findStaff(scope, ids),
      listCategories: (scope) => deps.lists.listCategories(scope),
    },
    deps.records,
    deps.clock,
    deps.config,
    deps.audit,
    deps.events,
    deps.changeAudit,
  );
  subscribeAlerts(deps.events, { alerts, records: deps.records, bell: outbox.deliveryBell });
  subscribeActionAlerts(deps.events, {
    actionAlerts: outbox.actionAlerts,
    actions: deps.actions,
    clock: deps.clock,
  });
  // The team's cards for pattern flags (src/patterns asks; the outbox delivers).
  const patternAlerts = new PatternAlerts(
    outbox.alertRepository,
    outbox.deliveryBell,
    { listSafeguardingTeam: (scope) => deps.staff.listSafeguardingTeam(scope) },
    deps.clock,
  );
  return { alerts, patternAlerts };
}
