import type { Alert, AlertService } from '../../alerts';
import type { BotRoute } from '../bot-routes';
import { uuidSchema } from '../card-data';
import { VERBS } from '../verbs';
import { renderAlertCard } from './alert-cards';
import { renderOpenAlerts } from './open-alerts-card';

/** What the alert buttons and the `alerts` command need. */
export interface AlertRoutesDependencies {
  alerts: Pick<AlertService, 'acknowledge' | 'listOpen'>;
  /** Redraws other recipients' copies of an alert after an acknowledgement. */
  alertCards: { refresh(alert: Alert): Promise<void> };
  /** Wakes the delivery worker (an acknowledgement may have queued the recorder's receipt). */
  wakeAlerts?: () => void;
  /** The Teams app id, for Open buttons into the tab. */
  teamsAppId?: string;
}

/** `alerts` (the team's open alerts) and Acknowledge on an alert card. */
export function alertRoutes(deps: AlertRoutesDependencies): BotRoute[] {
  return [
    {
      kind: 'message',
      command: 'alerts',
      handle: async ({ actor }) => renderOpenAlerts(await deps.alerts.listOpen(actor)),
    },
    {
      kind: 'invoke',
      verb: VERBS.acknowledgeAlert,
      handle: async ({ actor, data }) => {
        const alertId = uuidSchema.safeParse(data.alertId);
        if (!alertId.success) return undefined;
        const result = await deps.alerts.acknowledge(actor, alertId.data);
        if (result.changed) deps.wakeAlerts?.();
        // Others' cards are redrawn in the background: the presser's answer must beat Teams' 5 s.
        for (const other of result.othersToUpdate) {
          void deps.alertCards.refresh(other).catch(() => undefined);
        }
        return renderAlertCard(result.alert, result.acknowledgements, deps.teamsAppId);
      },
    },
  ];
}
