import type { AccessActor } from '../../access';
import type { BotRoute } from '../bot-routes';
import { renderCard, type AdaptiveCardJson } from '../render-card';
import { tabDeepLink } from '../tab-links';

/** What the `desk` command reads: the same desk the tab opens on. */
export interface DeskRoutesDependencies {
  desk: {
    deskFor(actor: AccessActor): Promise<
      | {
          kind: 'team';
          newConcerns: readonly unknown[];
          unacknowledgedAlerts: readonly unknown[];
          referralsAwaitingDecision: readonly { overdue: boolean }[];
          tasks: readonly unknown[];
          patternFlags: readonly unknown[];
          openCaseCount: number;
        }
      | { kind: 'staff'; myRecords: readonly unknown[]; myTasks: readonly { overdue: boolean }[] }
    >;
  };
  teamsAppId?: string;
}

/**
 * `desk`: the counts of the tab's desk and a link to it. Counts only: a chat keeps its cards, so
 * no pupil name, reference list or narrative goes into one.
 */
export function deskRoutes(deps: DeskRoutesDependencies): BotRoute[] {
  return [
    {
      kind: 'message',
      command: 'desk',
      // The chat has no step-up; the desk's lists do not need it (it opens nothing).
      handle: async ({ actor }) =>
        renderDesk(await deps.desk.deskFor({ ...actor, steppedUp: false }), deps.teamsAppId),
    },
  ];
}

function renderDesk(
  desk: Awaited<ReturnType<DeskRoutesDependencies['desk']['deskFor']>>,
  teamsAppId = '00000000-0000-0000-0000-00000000a001',
): AdaptiveCardJson {
  const withOverdue = (lines: readonly { overdue: boolean }[]) => {
    const overdue = lines.filter((l) => l.overdue).length;
    return overdue > 0 ? `${lines.length} (${overdue} overdue)` : String(lines.length);
  };
  const counts =
    desk.kind === 'team'
      ? [
          { title: 'New concerns not reviewed', value: String(desk.newConcerns.length) },
          { title: 'Alerts not acknowledged', value: String(desk.unacknowledgedAlerts.length) },
          {
            title: 'Referrals waiting for a decision',
            value: withOverdue(desk.referralsAwaitingDecision),
          },
          { title: 'Tasks overdue or due today', value: String(desk.tasks.length) },
          { title: 'Pattern flags not reviewed', value: String(desk.patternFlags.length) },
          { title: 'Open cases', value: String(desk.openCaseCount) },
        ]
      : [
          { title: 'Your open tasks', value: withOverdue(desk.myTasks) },
          { title: 'Your records in the last 30 days', value: String(desk.myRecords.length) },
        ];
  return renderCard('desk/desk', {
    heading: desk.kind === 'team' ? 'Needs attention' : 'Your desk',
    counts,
    note:
      desk.kind === 'team'
        ? 'Each line opens its record in the tab. Counts leave out records you have a conflict with.'
        : 'Your tasks and records open in the tab.',
    openUrl: tabDeepLink(teamsAppId, 'desk'),
  });
}
