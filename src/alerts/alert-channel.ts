import type { Alert } from './alert.types';

/** Where an alert went. */
export interface Delivered {
  activityId: string;
  conversationId: string;
}

/**
 * How alerts reach Teams; implemented by the bot layer (cards, CloudAdapter). `send` throws a
 * SendFailure-shaped error on failure (see delivery-outcome). `chatIdFor` names the conversation
 * the send will use, or undefined when a new 1:1 chat must be opened first.
 */
export interface AlertChannel {
  /** `sendId`: the send's journalled intent, carried by the card so a copy can be linked. */
  send(alert: Alert, options: { reopen: boolean; sendId?: string }): Promise<Delivered>;
  chatIdFor(alert: Alert): Promise<string | undefined>;
}
