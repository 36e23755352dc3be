import type { Actor } from '../../staff';
import type { BotRoute, VerbTurn } from '../bot-routes';
import { pupilIdSchema, uuidSchema } from '../card-data';
import type { AdaptiveCardJson } from '../render-card';
import { replaceMessage } from '../replies';
import { VERBS } from '../verbs';
import type { FlowResult, ReportFlow } from './report-flow';

/** What the bot uses of the report flow. */
export type ReportRoutesFlow = Pick<
  ReportFlow,
  | 'start'
  | 'newForm'
  | 'discardAndStart'
  | 'resume'
  | 'searchPupils'
  | 'findPupil'
  | 'choosePupil'
  | 'submit'
  | 'saveForLater'
>;

/** `report` and the buttons of the report cards (the form, the pupil picker, drafts). */
export function reportRoutes(report: ReportRoutesFlow): BotRoute[] {
  return [
    {
      kind: 'message',
      command: 'report',
      handle: ({ actor, argument }) => report.start(actor, argument),
    },
    {
      kind: 'invoke',
      verb: VERBS.submitIncident,
      handle: (turn) => finishing(turn, (draftId) => report.submit(turn.actor, draftId, turn.data)),
    },
    {
      kind: 'invoke',
      verb: VERBS.saveDraft,
      handle: (turn) =>
        finishing(turn, (draftId) => report.saveForLater(turn.actor, draftId, turn.data)),
    },
    {
      kind: 'invoke',
      verb: VERBS.searchPupils,
      handle: onDraft((actor, draftId, data) => report.searchPupils(actor, draftId, data)),
    },
    {
      kind: 'invoke',
      verb: VERBS.findPupil,
      handle: onDraft((actor, draftId, data) => report.findPupil(actor, draftId, data)),
    },
    {
      kind: 'invoke',
      verb: VERBS.choosePupil,
      handle: onDraft(async (actor, draftId, data) => {
        const pupilId = pupilIdSchema.safeParse(data.pupilId);
        return pupilId.success ? report.choosePupil(actor, draftId, pupilId.data) : undefined;
      }),
    },
    {
      kind: 'invoke',
      verb: VERBS.resumeDraft,
      handle: onDraft((actor, draftId) => report.resume(actor, draftId)),
    },
    {
      kind: 'invoke',
      verb: VERBS.newForm,
      handle: async ({ actor, data }) => {
        const discard = uuidSchema.safeParse(data.discardDraftId);
        const query = typeof data.pupilQuery === 'string' ? data.pupilQuery.slice(0, 200) : '';
        return discard.success
          ? report.discardAndStart(actor, discard.data, query)
          : report.newForm(actor, query);
      },
    },
  ];
}

/** A verb on a card of one draft: the card's draftId must be one of ours. */
function onDraft(
  handle: (
    actor: Actor,
    draftId: string,
    data: Record<string, unknown>,
  ) => Promise<AdaptiveCardJson | undefined>,
): (turn: VerbTurn) => Promise<AdaptiveCardJson | undefined> {
  return async ({ actor, data }) => {
    const draftId = uuidSchema.safeParse(data.draftId);
    return draftId.success ? handle(actor, draftId.data, data) : undefined;
  };
}

/**
 * Submit and save: when the flow says so, the card also replaces the form message, so the chat
 * transcript itself keeps no narrative once the form is done with.
 */
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
