import {
  CardFactory,
  MessageFactory,
  type AdaptiveCardInvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { AdaptiveCardJson } from './render-card';

/** Sends a card as a new message in the conversation. */
export async function sendCard(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

/**
 * Overwrites the message whose button was pressed. The invoke answer only changes the presser's
 * view; this makes the chat transcript itself keep the new card (and so no narrative).
 */
export async function replaceMessage(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  const id = context.activity.replyToId;
  if (!id) return;
  await context.updateActivity({
    ...MessageFactory.attachment(CardFactory.adaptiveCard(card)),
    id,
  });
}

/** An invoke answer that replaces the card on screen. */
export function cardResponse(card: AdaptiveCardJson): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
}

/** An invoke answer that shows a message and leaves the card, and what was typed in it, as it is. */
export function messageResponse(text: string): AdaptiveCardInvokeResponse {
  // botbuilder types value as a card; Teams accepts a text for the message type.
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: text as unknown as AdaptiveCardInvokeResponse['value'],
  };
}
