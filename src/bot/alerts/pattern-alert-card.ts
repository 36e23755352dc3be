import type { Alert } from '../../alerts';
import { formatSchoolTime } from '../../shared/school-time';
import { inertText } from '../inert-text';
import { renderCard, type AdaptiveCardJson } from '../render-card';
import { tabDeepLink } from '../tab-links';

/**
 * The team's card for a pattern flag: the rule in words, how many records made it, the record
 * that fired it, when. No pupil name and no narrative: the chat keeps the card; the desk names
 * the child for the people allowed.
 */
export function renderPatternAlertCard(alert: Alert, teamsAppId?: string): AdaptiveCardJson {
  return renderCard('alerts/pattern', {
    ruleText: inertText(alert.pattern?.ruleText ?? ''),
    recordCount: String(alert.pattern?.recordCount ?? 0),
    reference: alert.reference,
    raisedAt: formatSchoolTime(alert.recordedAt),
    openUrl: teamsAppId ? tabDeepLink(teamsAppId, 'desk') : '',
    showOpen: Boolean(teamsAppId),
  });
}
