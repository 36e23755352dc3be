import type { Clock } from '../shared/clock';
import type { Actor } from '../staff';
import type { AlertCopy } from './alert-sends.repository';
import type { AlertRepository } from './alert.repository';
import type { Acknowledgement, Alert } from './alert.types';

/** A copy of an alert card to redraw, and the alert it is a copy of. */
export interface CopyToRedraw {
  readonly alert: Alert;
  readonly copy: AlertCopy;
}

/**
 * The copies of an alert card in chats. Normally one; two when an instance died between Teams'
 * answer and the journal (Teams has no idempotency key, and a bot cannot read its chat back to
 * look). Each copy carries its send's id, so when Teams shows it (the card's refresh) or its
 * button is pressed, the copy is linked to its alert; an acknowledgement then redraws every
 * linked copy, so none keeps its Acknowledge button.
 */
export class AlertCopies {
  constructor(
    private readonly store: Pick<AlertRepository, 'get' | 'acknowledgements' | 'sends'>,
    private readonly clock: Clock,
  ) {}

  /**
   * A copy shown (or pressed) in its recipient's chat: links it to its alert when it names its
   * send, and answers what to draw. Undefined when the alert is not this person's (a forged or
   * forwarded card): nothing is linked.
   */
  async see(
    actor: Actor,
    alertId: string,
    copy?: Required<AlertCopy>,
  ): Promise<{ alert: Alert; acknowledgements: Acknowledgement[] } | undefined> {
    const alert = await this.store.get(alertId);
    if (
      !alert ||
      alert.tenantId !== actor.tenantId ||
      alert.schoolId !== actor.schoolId ||
      alert.recipientAadObjectId !== actor.aadObjectId
    ) {
      return undefined;
    }
    if (copy && copy.activityId !== alert.activityId) {
      await this.store.sends.link(alert.alertId, copy, this.clock.now());
    }
    return { alert, acknowledgements: await this.store.acknowledgements(alert, alert.incidentId) };
  }

  /**
   * Every known copy of these alerts (the send that counts, and copies seen in their chats) but
   * the one on screen (`onScreen`, an activity id), each once: what to redraw after a change.
   */
  async toRedraw(alerts: readonly Alert[], onScreen?: string): Promise<CopyToRedraw[]> {
    const seen = await this.store.sends.seenCopies(alerts.map((a) => a.alertId));
    const redraw: CopyToRedraw[] = [];
    for (const alert of alerts) {
      const counted: AlertCopy[] =
        alert.activityId && alert.conversationId
          ? [
              {
                ...(alert.sendId ? { sendId: alert.sendId } : {}),
                activityId: alert.activityId,
                conversationId: alert.conversationId,
              },
            ]
          : [];
      const drawn = new Set<string>(onScreen ? [onScreen] : []);
      for (const copy of [...counted, ...(seen.get(alert.alertId) ?? [])]) {
        if (drawn.has(copy.activityId)) continue;
        drawn.add(copy.activityId);
        redraw.push({ alert, copy });
      }
    }
    return redraw;
  }
}
