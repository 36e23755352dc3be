import type { Incident } from '../../incidents';
import { formatSchoolTime } from '../../shared/school-time';
import type { Actor } from '../../staff';
import { inertText } from '../inert-text';
import { renderCard, type AdaptiveCardJson } from '../render-card';
import type { ReportDirectory } from './report-directory';

/** The confirmation once a concern is recorded: its reference, categories and who was alerted. */
export async function renderRecorded(
  directory: Pick<ReportDirectory, 'lists' | 'alerts'>,
  actor: Actor,
  incident: Incident,
): Promise<AdaptiveCardJson> {
  const [categories, recipients] = await Promise.all([
    directory.lists.listCategories(actor),
    directory.alerts.recipientsFor(incident),
  ]);
  const names = new Map(categories.map((c) => [c.categoryId, c.name]));
  const teamNames = recipients
    .filter((r) => r.reason === 'safeguarding-team')
    .map((r) => inertText(r.member.displayName));
  const chosenNames = recipients
    .filter((r) => r.reason === 'chosen-by-recorder')
    .map((r) => inertText(r.member.displayName));
  const alerted = [
    teamNames.length ? `${teamNames.join(', ')} (safeguarding team)` : 'the safeguarding team',
    ...chosenNames,
  ].join('; ');
  // Reference, categories and staff names only: no pupil name and no narrative in the chat.
  return renderCard('incidents/incident-recorded', {
    reference: incident.reference,
    recordedAt: formatSchoolTime(incident.recordedAt),
    categories: incident.categoryIds.map((id) => inertText(names.get(id) ?? id)).join(', '),
    alerted,
  });
}
