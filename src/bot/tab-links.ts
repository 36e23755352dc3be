/**
 * A Teams deep link into the Safeguarding tab, opened at `subEntityId` (`pupil:<id>` or
 * `incident:<id>`): the tab reads it from its context, checks who is asking and audits the view.
 */
export function tabDeepLink(teamsAppId: string, subEntityId: string): string {
  const context = encodeURIComponent(JSON.stringify({ subEntityId }));
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(teamsAppId)}/chronology?context=${context}`;
}
