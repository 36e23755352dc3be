import type { Alert } from '../../alerts';
import { formatSchoolTime } from '../../shared/school-time';
import { inertText } from '../inert-text';
import { renderCard, type AdaptiveCardJson } from '../render-card';

/** The team's `alerts` answer: references, categories, times and reasons; no pupil names. */
export function renderOpenAlerts(open: {
  unacknowledged: Alert[];
  undeliverable: Alert[];
}): AdaptiveCardJson {
  return renderCard('alerts/open-alerts', {
    unacknowledgedCount: open.unacknowledged.length,
    undeliverableCount: open.undeliverable.length,
    unacknowledged: open.unacknowledged.map((a) => ({
      reference: a.reference,
      detail: `${a.categoryNames.map(inertText).join(', ')}; recorded ${formatSchoolTime(a.recordedAt)} by ${inertText(a.recordedBy.displayName)}`,
    })),
    undeliverable: open.undeliverable.map((a) => ({
      reference: a.reference,
      detail: `not delivered: ${a.lastError ?? 'unknown reason'}`,
    })),
  });
}
