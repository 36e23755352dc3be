import type { BotRoute, VerbTurn } from '../bot-routes';
import { uuidSchema } from '../card-data';
import type { AdaptiveCardJson } from '../render-card';
import { replaceMessage } from '../replies';
import { VERBS } from '../verbs';
import type { FlowResult } from '../incident-form/report-flow';
import type { AdultConcernFlow } from './adult-concern-flow';

/** What the bot uses of the adult-concern flow. */
export type AdultConcernRoutesFlow = Pick<
  AdultConcernFlow,
  'start' | 'newForm' | 'discardAndStart' | 'resume' | 'submit' | 'saveForLater' | 'acknowledge'
>;

/** `concern about an adult`, the form's buttons and Acknowledge on the case manager's alert. */
export function adultConcernRoutes(flow: AdultConcernRoutesFlow): BotRoute[] {
  return [
    {
      kind: 'message',
      command: 'concern',
      // Whatever follows the command word ("about an adult") is not kept: no name reaches a log.
      handle: ({ actor }) => flow.start(actor),
    },
    {
      kind: 'invoke',
      verb: VERBS.submitAdultConcern,
      handle: (turn) => finishing(turn, (draftId) => flow.submit(turn.actor, draftId, turn.data)),
    },
    {
      kind: 'invoke',
      verb: VERBS.saveAdultConcernDraft,
      handle: (turn) =>
        finishing(turn, (draftId) => flow.saveForLater(turn.actor, draftId, turn.data)),
    },
    {
      kind: 'invoke',
      verb: VERBS.resumeAdultConcern,
      handle: async ({ actor, data }) => {
        const draftId = uuidSchema.safeParse(data.draftId);
        return draftId.success ? flow.resume(actor, draftId.data) : undefined;
      },
    },
    {
      kind: 'invoke',
      verb: VERBS.newAdultConcernForm,
      handle: async ({ actor, data }) => {
        const discard = uuidSchema.safeParse(data.discardDraftId);
        return discard.success ? flow.discardAndStart(actor, discard.data) : flow.newForm(actor);
      },
    },
    {
      kind: 'invoke',
      verb: VERBS.acknowledgeAdultConcern,
      handle: async ({ actor, data }) => {
        const concernId = uuidSchema.safeParse(data.concernId);
        return concernId.success ? flow.acknowledge(actor, concernId.data) : undefined;
      },
    },
  ];
}

/** Submit and save: the card also replaces the form message, so the chat keeps no details. */
async function finishing(
  { context, data }: VerbTurn,
  finish: (draftId: string) => Promise<FlowResult>,
): Promise<AdaptiveCardJson | undefined> {
  const draftId = uuidSchema.safeParse(data.draftId);
  if (!draftId.success) return undefined;
  const result = await finish(draftId.data);
  if (result.replaceMessage) await replaceMessage(context, result.card);
  return result.card;
}
