import type { BotRoute, VerbTurn } from '../bot-routes';
import { cursorSchema, pupilIdSchema } from '../card-data';
import type { AdaptiveCardJson } from '../render-card';
import { VERBS } from '../verbs';
import type { HistoryFlow } from './history-flow';

/** What the bot uses of the history flow. */
export type HistoryRoutesFlow = Pick<HistoryFlow, 'start' | 'show'>;

/**
 * `history` and its cards' buttons (a pupil chosen, More). The activity id goes with each read
 * as the audit's request id.
 */
export function historyRoutes(history: HistoryRoutesFlow): BotRoute[] {
  const show = async ({
    actor,
    data,
    context,
  }: VerbTurn): Promise<AdaptiveCardJson | undefined> => {
    const pupilId = pupilIdSchema.safeParse(data.pupilId);
    const cursor = cursorSchema.safeParse(data.cursor || undefined);
    if (!pupilId.success || !cursor.success) return undefined;
    return history.show(actor, pupilId.data, cursor.data, context.activity.id);
  };
  return [
    {
      kind: 'message',
      command: 'history',
      handle: ({ actor, argument, context }) => history.start(actor, argument, context.activity.id),
    },
    { kind: 'invoke', verb: VERBS.showHistory, handle: show },
    { kind: 'invoke', verb: VERBS.moreHistory, handle: show },
  ];
}
