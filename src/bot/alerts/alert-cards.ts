import { tabDeepLink } from '../tab-links';
import type { Acknowledgement, Alert } from '../../alerts';
import { formatSchoolTime } from '../../shared/school-time';
import { inertText } from '../inert-text';
import { renderActionAlertCard } from '../actions/action-cards';
import { renderAdultConcernAlert } from '../adult-concerns/adult-concern-cards';
import { renderPatternAlertCard } from './pattern-alert-card';
import { renderCard, type AdaptiveCardJson } from '../render-card';

const TITLES: Record<Alert['reason'], string> = {
  'safeguarding-team': 'New safeguarding concern',
  'chosen-by-recorder': 'A colleague wants you to know about a concern',
  escalation: 'Escalated to you: a concern not yet acknowledged',
  reminder: 'Reminder: a concern is not yet acknowledged',
  'recorder-receipt': 'The safeguarding team has your concern',
  'team-notice': 'An alert could not be delivered',
  // Action kinds are drawn by renderActionAlertCard (src/bot/actions/action-cards.ts).
  'action-recipient': 'A follow-up action was added',
  'task-assignee': 'You have a task',
  'task-clock': 'Task reminder',
  'referral-clock': 'Chase the referral',
  // Concerns about adults are drawn by renderAdultConcernAlert (src/bot/adult-concerns/).
  'case-manager': 'A concern about an adult needs you',
  'transfer-clock': 'Chase the child protection file transfer',
  'transfer-arrived': 'A child protection file has arrived',
  // Pattern flags are drawn by renderPatternAlertCard (src/bot/alerts/pattern-alert-card.ts).
  'pattern-rule': 'A pattern rule fired',
  'retention-clock': 'A record is due for retention review',
};

/**
 * The card a recipient sees for an alert, as it stands for them: who has acknowledged, and
 * whether they still can. Reference, recorder, categories and times only: the chat keeps it.
 */
export function renderAlertCard(
  alert: Alert,
  acknowledgements: readonly Acknowledgement[],
  /** The Teams app id, for the card's Open button (absent: no button). */
  teamsAppId?: string,
  /** The send this copy came from, so Teams' refresh of it names it (see alert-copies.ts). */
  sendId?: string,
): AdaptiveCardJson {
  if (alert.action) return renderActionAlertCard(alert);
  // Its acknowledgement lives with the concern: the card is redrawn by the Acknowledge answer.
  if (alert.kind === 'adult-concern') return renderAdultConcernAlert(alert);
  if (alert.pattern) return renderPatternAlertCard(alert, teamsAppId);
  if (alert.kind === 'receipt') {
    const first = acknowledgements.find((a) => a.onTeam) ?? acknowledgements[0];
    return renderCard('alerts/receipt', {
      reference: alert.reference,
      acknowledgedBy: inertText(first?.displayName ?? 'the safeguarding team'),
      acknowledgedAt: first ? formatSchoolTime(first.acknowledgedAt) : '',
    });
  }
  if (alert.kind === 'undeliverable-notice') {
    return renderCard('alerts/undeliverable', {
      recipientName: inertText(alert.notice?.recipientName ?? 'A member of staff'),
      reference: alert.reference,
      reason: alert.notice?.reason ?? 'unknown',
    });
  }
  const mine = acknowledgements.find((a) => a.aadObjectId === alert.recipientAadObjectId);
  const others = acknowledgements.filter((a) => a.aadObjectId !== alert.recipientAadObjectId);
  const status = mine
    ? `Acknowledged by you at ${formatSchoolTime(mine.acknowledgedAt)}`
    : others.length > 0
      ? `Acknowledged by ${others.map((a) => `${inertText(a.displayName)} at ${formatSchoolTime(a.acknowledgedAt)}`).join('; ')}. Please acknowledge too.`
      : 'Not yet acknowledged';
  return renderCard('alerts/alert', {
    alertId: alert.alertId,
    title: TITLES[alert.reason],
    intro:
      alert.reason === 'chosen-by-recorder'
        ? 'A colleague recorded a concern and chose you to be told. Please read it today.'
        : 'A concern has been recorded that the safeguarding team needs to read today.',
    reference: alert.reference,
    recordedBy: inertText(alert.recordedBy.displayName),
    categories: alert.categoryNames.map(inertText).join(', '),
    recordedAt: formatSchoolTime(alert.recordedAt),
    status,
    showAcknowledge: !mine,
    incidentId: alert.incidentId,
    showAddAction: true,
    openUrl: teamsAppId ? tabDeepLink(teamsAppId, `incident:${alert.incidentId}`) : '',
    showOpen: Boolean(teamsAppId),
    sendId: sendId ?? alert.sendId ?? '',
    refreshUserId: `8:orgid:${alert.recipientAadObjectId}`,
  });
}
