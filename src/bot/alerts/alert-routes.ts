import { z } from 'zod';
import type { Alert, AlertCopies, AlertCopy, AlertService } from '../../alerts';
import type { BotRoute, VerbTurn } from '../bot-routes';
import { uuidSchema } from '../card-data';
import { VERBS } from '../verbs';
import { renderAlertCard } from './alert-cards';
import { renderOpenAlerts } from './open-alerts-card';

/** What the alert buttons and the `alerts` command need. */
export interface AlertRoutesDependencies {
  alerts: Pick<AlertService, 'acknowledge' | 'listOpen'>;
  /** Redraws a copy of an alert card after an acknowledgement (the recorded one when no copy). */
  alertCards: { refresh(alert: Alert, copy?: AlertCopy): Promise<void> };
  /** The copies of alert cards in chats (linked when shown); without it only recorded ones redraw. */
  alertCopies?: Pick<AlertCopies, 'see' | 'toRedraw'>;
  /** Wakes the delivery worker (an acknowledgement may have queued the recorder's receipt). */
  wakeAlerts?: () => void;
  /** The Teams app id, for Open buttons into the tab. */
  teamsAppId?: string;
}

/** The send a card copy came from ('' on cards drawn before sends had ids). */
const sendIdSchema = z.union([uuidSchema, z.literal('')]).optional();

/** `alerts` (the team's open alerts), Acknowledge on an alert card, and Teams' card refresh. */
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
      handle: async (turn) => {
        const alertId = uuidSchema.safeParse(turn.data.alertId);
        const sendId = sendIdSchema.safeParse(turn.data.sendId);
        if (!alertId.success || !sendId.success) return undefined;
        const result = await deps.alerts.acknowledge(turn.actor, alertId.data);
        if (result.changed) deps.wakeAlerts?.();
        // A copy the outbox had not recorded (a duplicate) is linked by being pressed.
        const pressed = copyOnScreen(turn, sendId.data);
        if (pressed) await deps.alertCopies?.see(turn.actor, alertId.data, pressed);
        // Every other copy, the presser's own duplicates too, is redrawn in the background: the
        // presser's answer must beat Teams' 5 s.
        void redrawCopies(deps, [result.alert, ...result.othersToUpdate], turn);
        return renderAlertCard(result.alert, result.acknowledgements, deps.teamsAppId, sendId.data);
      },
    },
    {
      kind: 'invoke',
      verb: VERBS.refreshAlert,
      handle: async (turn) => {
        const alertId = uuidSchema.safeParse(turn.data.alertId);
        const sendId = sendIdSchema.safeParse(turn.data.sendId);
        if (!alertId.success || !sendId.success || !deps.alertCopies) return undefined;
        // Shown in its chat: the card as it stands now, and its copy linked to the alert. No
        // audit: the card shows no child's details (reference, recorder, categories, times).
        const seen = await deps.alertCopies.see(
          turn.actor,
          alertId.data,
          copyOnScreen(turn, sendId.data),
        );
        return seen
          ? renderAlertCard(seen.alert, seen.acknowledgements, deps.teamsAppId, sendId.data)
          : undefined;
      },
    },
  ];
}

/** The copy whose button (or refresh) sent this invoke, when it names its send. */
function copyOnScreen(turn: VerbTurn, sendId: string | undefined) {
  const activityId = turn.context.activity.replyToId;
  const conversationId = turn.context.activity.conversation?.id;
  return sendId && activityId && conversationId
    ? { sendId, activityId, conversationId }
    : undefined;
}

async function redrawCopies(
  deps: AlertRoutesDependencies,
  alerts: readonly Alert[],
  turn: VerbTurn,
): Promise<void> {
  try {
    if (!deps.alertCopies) {
      for (const other of alerts.slice(1))
        void deps.alertCards.refresh(other).catch(() => undefined);
      return;
    }
    const copies = await deps.alertCopies.toRedraw(alerts, turn.context.activity.replyToId);
    for (const { alert, copy } of copies) {
      void deps.alertCards.refresh(alert, copy).catch(() => undefined);
    }
  } catch {
    // Best effort, like every redraw: each copy still refreshes itself when it is next shown.
  }
}
