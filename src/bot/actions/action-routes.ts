import type { BotRoute } from '../bot-routes';
import { uuidSchema } from '../card-data';
import { VERBS } from '../verbs';
import type { ActionFlow } from './action-flow';

/** What the bot uses of the action flow. */
export type ActionRoutesFlow = Pick<
  ActionFlow,
  'openForm' | 'submit' | 'completeTask' | 'addTaskNote' | 'listTasks'
>;

/** `actions` and the buttons of the action form and task cards. */
export function actionRoutes(flow: ActionRoutesFlow): BotRoute[] {
  return [
    { kind: 'message', command: 'actions', handle: ({ actor }) => flow.listTasks(actor) },
    {
      kind: 'invoke',
      verb: VERBS.openActionForm,
      handle: async ({ actor, data }) => {
        const incidentId = uuidSchema.safeParse(data.incidentId);
        return incidentId.success ? flow.openForm(actor, incidentId.data) : undefined;
      },
    },
    // The form's ids are checked by the flow, with the form's values.
    {
      kind: 'invoke',
      verb: VERBS.submitAction,
      handle: ({ actor, data }) => flow.submit(actor, data),
    },
    {
      kind: 'invoke',
      verb: VERBS.completeTask,
      handle: async ({ actor, data }) => {
        const actionId = uuidSchema.safeParse(data.actionId);
        return actionId.success ? flow.completeTask(actor, actionId.data) : undefined;
      },
    },
    {
      kind: 'invoke',
      verb: VERBS.addTaskNote,
      handle: async ({ actor, data }) => {
        const actionId = uuidSchema.safeParse(data.actionId);
        return actionId.success ? flow.addTaskNote(actor, actionId.data) : undefined;
      },
    },
  ];
}
