import type { Activity, ChannelAccount } from 'botbuilder';

/** Fixed identities for the demo tenant, as Teams would send them. */
export const DEMO_TENANT = '00000000-0000-0000-0000-0000000000d1';
/** Sam Taylor, a teacher in the demo school's directory (and the Playground's current user). */
export const STAFF_USER: ChannelAccount = {
  id: '29:staff-sam',
  name: 'Sam Taylor',
  aadObjectId: '00000000-0000-0000-0000-000000000e01',
};
const BOT_ACCOUNT: ChannelAccount = { id: '28:safeguarding-bot', name: 'Safeguarding' };

interface ActivityOptions {
  tenantId?: string;
  from?: ChannelAccount;
  conversationId?: string;
}

function base(options: ActivityOptions): Partial<Activity> {
  const tenantId = options.tenantId ?? DEMO_TENANT;
  return {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example.invalid/uk/',
    from: options.from ?? STAFF_USER,
    recipient: BOT_ACCOUNT,
    conversation: {
      id: options.conversationId ?? `a:personal-${(options.from ?? STAFF_USER).id}`,
      conversationType: 'personal',
      tenantId,
      isGroup: false,
      name: '',
    },
    channelData: { tenant: { id: tenantId } },
  };
}

/** A message as Teams sends it in a 1:1 chat. */
export function messageActivity(text: string, options: ActivityOptions = {}): Partial<Activity> {
  return { ...base(options), type: 'message', text };
}

/** The installationUpdate Teams sends when a user adds the app. */
export function installActivity(options: ActivityOptions = {}): Partial<Activity> {
  return { ...base(options), type: 'installationUpdate', action: 'add' };
}

/** The conversationUpdate Teams sends alongside install (the bot joins the 1:1 chat). */
export function botAddedActivity(options: ActivityOptions = {}): Partial<Activity> {
  return { ...base(options), type: 'conversationUpdate', membersAdded: [BOT_ACCOUNT] };
}

/** An Action.Execute click on a card, as Teams sends it (values merged into data). */
export function cardAction(
  verb: string,
  data: Record<string, unknown>,
  options: ActivityOptions & { replyToId?: string } = {},
): Partial<Activity> {
  return {
    ...base(options),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: options.replyToId ?? 'form-message-1',
    value: { action: { type: 'Action.Execute', verb, data } },
  };
}
