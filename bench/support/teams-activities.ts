import { randomUUID } from 'node:crypto';

/** A simulated member of staff as Teams identifies them. */
export interface SimulatedUser {
  readonly aadObjectId: string;
  readonly displayName: string;
  /** The Teams user id (29:...) and their 1:1 conversation with the bot. */
  readonly teamsId: string;
  readonly conversationId: string;
}

const BOT = { id: '28:safeguarding-bot', name: 'Safeguarding' };

function base(user: SimulatedUser, tenantId: string, serviceUrl: string) {
  return {
    id: `bench-${randomUUID()}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: user.teamsId, name: user.displayName, aadObjectId: user.aadObjectId },
    recipient: BOT,
    conversation: {
      id: user.conversationId,
      conversationType: 'personal',
      tenantId,
      isGroup: false,
    },
    channelData: { tenant: { id: tenantId } },
  };
}

/** A message typed in the 1:1 chat, as Teams posts it to /api/messages. */
export function messageActivity(
  user: SimulatedUser,
  tenantId: string,
  serviceUrl: string,
  text: string,
): Record<string, unknown> {
  return { ...base(user, tenantId, serviceUrl), type: 'message', text };
}

/** An Action.Execute click on a card (the inputs' values merged into data), as Teams posts it. */
export function cardActionActivity(
  user: SimulatedUser,
  tenantId: string,
  serviceUrl: string,
  verb: string,
  data: Record<string, unknown>,
  replyToId: string,
): Record<string, unknown> {
  return {
    ...base(user, tenantId, serviceUrl),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data } },
  };
}
