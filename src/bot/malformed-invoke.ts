import type { Activity, InvokeResponse } from 'botbuilder';
import { messageResponse } from './replies';

/** What a card button that sent something unreadable is told (as onAdaptiveCardInvoke says it). */
const NOT_UNDERSTOOD = 'That button sent something I did not understand.';

/**
 * The answer for an Action.Execute invoke whose `value` is not `{ action: { … } }`, or undefined
 * when it is. botbuilder reads `value.action.type` before our handler runs: a string or a bare
 * `value` threw a TypeError inside it and the client got a bodiless 501 (found by `npm run soak`'s
 * bad-input scenario). Such an invoke is answered like any unreadable button: a message, 200.
 */
export function malformedCardInvoke(activity: Partial<Activity>): InvokeResponse | undefined {
  if (activity.type !== 'invoke' || activity.name !== 'adaptiveCard/action') return undefined;
  const value: unknown = activity.value;
  const action =
    value && typeof value === 'object' ? (value as { action?: unknown }).action : undefined;
  if (action && typeof action === 'object' && !Array.isArray(action)) return undefined;
  return { status: 200, body: messageResponse(NOT_UNDERSTOOD) };
}
