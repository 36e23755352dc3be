import { WebSocket } from 'node:http';
import { prepareAction, type ActionSelector, type TypedValues } from './teams-card-driver';

/**
 * A typed client for one Agents Playground instance's headless HTTP API (what its browser UI
 * calls), so end-to-end tests can act as that instance's current user without a browser. Run one
 * instance, and one client, per person.
 */

/** A person (or the bot) in the Playground config; `id` is their Teams channel account id. */
export interface PlaygroundUser {
  id: string;
  name: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
  userPrincipleName: string;
}

/** GET /_internal/v1/config: the parsed .m365agentsplayground.yml plus the UI's settings. */
export interface PlaygroundConfig {
  config: {
    tenantId: string;
    bot: { id: string; name: string };
    currentUser: PlaygroundUser;
    users: PlaygroundUser[];
    personalChat: { id: string; name: string };
    groupChats: { id: string; name: string; members: string[] }[];
    teams: {
      id: string;
      name: string;
      aadGroupId: string;
      channels: { id: string; name: string; channelType: string }[];
      members: string[];
    }[];
  };
  internalConfig: { locale: string; localTimezone: string; channelId: string };
}

interface PlaygroundAttachment {
  contentType: string;
  content: unknown;
}

/** A message as the Playground streams it to its UI. */
export interface PlaygroundMessage {
  messageId: string;
  timestamp: number;
  from: { id: string };
  text?: string;
  textFormat?: string;
  attachments: PlaygroundAttachment[];
  attachmentLayout?: string;
  suggestedActions?: unknown;
}

/** One event on /_ws_conversation/v1/conversations/stream. */
export interface PlaygroundStreamEvent {
  action: 'createMessage' | 'updateMessage' | 'typing';
  /** The chat or channel the event belongs to. */
  actionConversationId: string;
  message?: PlaygroundMessage;
}

/** What the bot answered to an adaptiveCard/action invoke (e.g. a refreshed card). */
export interface PlaygroundInvokeResponse {
  type?: string;
  value?: unknown;
}

/** Where to act: defaults to the current user in their personal chat with the bot. */
export interface ActAs {
  conversationId?: string;
  /** A channel account id; only members of the conversation are accepted. */
  fromId?: string;
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const DEFAULT_WAIT_MS = 15_000;

/** A client bound to one Playground instance; call `close()` when done. */
export class PlaygroundClient {
  /** Every stream event received so far, oldest first (for debugging a failing test). */
  readonly events: PlaygroundStreamEvent[] = [];
  private readonly unread: PlaygroundStreamEvent[] = [];
  private readonly waiters = new Set<() => void>();
  /** The card each message shows this person now: as sent, updated, or replaced by an invoke. */
  private readonly shownCards = new Map<string, Record<string, unknown>>();

  private constructor(
    readonly baseUrl: string,
    readonly config: PlaygroundConfig['config'],
    private readonly socket: WebSocket,
  ) {
    socket.addEventListener('message', (event) => {
      const parsed = JSON.parse(String(event.data)) as PlaygroundStreamEvent;
      const [card] = parsed.message ? adaptiveCards(parsed.message) : [];
      if (card && parsed.action !== 'typing') this.shownCards.set(parsed.message!.messageId, card);
      this.events.push(parsed);
      this.unread.push(parsed);
      for (const wake of this.waiters) wake();
    });
  }

  /**
   * Reads the config and opens the message stream. Connect before acting: the Playground buffers
   * stream events only until the first client connects, and then sends them to that client alone.
   */
  static async connect(baseUrl: string): Promise<PlaygroundClient> {
    const url = baseUrl.replace(/\/+$/, '');
    // Holds its answer until the bot's endpoint answers (up to 15 s), so the bot is up after it.
    const config = await requestJson<PlaygroundConfig>('GET', `${url}/_internal/v1/config`);
    const socket = new WebSocket(
      `${url.replace(/^http/, 'ws')}/_ws_conversation/v1/conversations/stream`,
    );
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener(
        'error',
        () => reject(new Error(`Playground stream at ${url} did not open`)),
        { once: true },
      );
    });
    return new PlaygroundClient(url, config.config, socket);
  }

  get currentUser(): PlaygroundUser {
    return this.config.currentUser;
  }

  /** Finds a configured person by display name, e.g. `user('Priya Shah')`. */
  user(name: string): PlaygroundUser {
    const found = [this.config.currentUser, ...this.config.users].find((u) => u.name === name);
    if (!found) throw new Error(`No Playground user named ${name}`);
    return found;
  }

  /**
   * Installs the app in a conversation (personal chat by default) as the current user: the bot
   * gets an installationUpdate (msteams) and a conversationUpdate with itself in membersAdded.
   */
  async install(conversationId = this.config.personalChat.id): Promise<void> {
    await requestJson(
      'POST',
      `${this.baseUrl}/_debug/conversation/${encodeURIComponent(conversationId)}/installation`,
      {},
    );
  }

  /** Sends a plain-text message, as the user would type it; the bot answers asynchronously. */
  async sendMessage(text: string, as: ActAs = {}): Promise<{ messageId: string }> {
    const conversationId = as.conversationId ?? this.config.personalChat.id;
    return requestJson(
      'POST',
      `${this.baseUrl}/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
      { from: { id: as.fromId ?? this.currentUser.id }, text, textFormat: 'plain' },
    );
  }

  /**
   * Presses a button on the card a message shows now, as Teams would: the inputs start from the
   * card's own values, `typed` overlays what the person typed or chose, and every input is
   * checked first (see teams-card-driver.ts): what Teams would refuse throws TeamsWouldRefuse and
   * sends nothing. Resolves with the bot's invoke answer; a card in it becomes what the message
   * shows this person.
   */
  async press(
    messageId: string,
    selector: ActionSelector,
    typed: TypedValues = {},
    as: ActAs = {},
  ): Promise<PlaygroundInvokeResponse> {
    const card = this.shownCards.get(messageId);
    if (!card) throw new Error(`Message ${messageId} shows no card (or it has not arrived yet)`);
    const action = prepareAction(card, selector, typed);
    const answer = await requestJson<PlaygroundInvokeResponse>(
      'POST',
      `${this.baseUrl}/_conversation/v1/invoke`,
      {
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', ...action } },
        from: { id: as.fromId ?? this.currentUser.id },
        conversation: { id: as.conversationId ?? this.config.personalChat.id },
        replyToId: messageId,
      },
    );
    if (answer?.type === ADAPTIVE_CARD && answer.value && typeof answer.value === 'object') {
      this.shownCards.set(messageId, answer.value as Record<string, unknown>);
    }
    return answer;
  }

  /** The card a message shows this person now (after any updates and invoke answers). */
  shownCard(messageId: string): Record<string, unknown> {
    const card = this.shownCards.get(messageId);
    if (!card) throw new Error(`Message ${messageId} shows no card`);
    return card;
  }

  /**
   * Waits for the next `count` messages the bot creates in a conversation (personal chat by
   * default) and consumes them, so the next call sees only later ones.
   */
  async nextBotMessages(
    count: number,
    options: { conversationId?: string; timeoutMs?: number } = {},
  ): Promise<PlaygroundMessage[]> {
    const conversationId = options.conversationId ?? this.config.personalChat.id;
    const taken = await this.take(
      (e) =>
        e.action === 'createMessage' &&
        e.actionConversationId === conversationId &&
        e.message?.from.id === this.config.bot.id,
      count,
      options.timeoutMs ?? DEFAULT_WAIT_MS,
      `${count} bot message(s) in ${conversationId}`,
    );
    return taken.map((e) => e.message!);
  }

  /** Waits for the next message the bot creates in a conversation. */
  async nextBotMessage(
    options: { conversationId?: string; timeoutMs?: number } = {},
  ): Promise<PlaygroundMessage> {
    const [message] = await this.nextBotMessages(1, options);
    return message!;
  }

  /** Waits for the bot to update a message it sent (e.g. a card refreshed for everyone). */
  async nextUpdate(messageId: string, timeoutMs = DEFAULT_WAIT_MS): Promise<PlaygroundMessage> {
    const [event] = await this.take(
      (e) => e.action === 'updateMessage' && e.message?.messageId === messageId,
      1,
      timeoutMs,
      `an update of message ${messageId}`,
    );
    return event!.message!;
  }

  /** Asserts that nothing new arrived from the bot in a conversation for a while. */
  async expectNoBotMessage(
    options: { conversationId?: string; quietMs?: number } = {},
  ): Promise<void> {
    const conversationId = options.conversationId ?? this.config.personalChat.id;
    await new Promise((r) => setTimeout(r, options.quietMs ?? 2_000));
    const stray = this.unread.find(
      (e) =>
        e.action === 'createMessage' &&
        e.actionConversationId === conversationId &&
        e.message?.from.id === this.config.bot.id,
    );
    if (stray) throw new Error(`Unexpected bot message ${stray.message?.messageId}`);
  }

  close(): void {
    this.socket.close();
  }

  private take(
    matches: (event: PlaygroundStreamEvent) => boolean,
    count: number,
    timeoutMs: number,
    what: string,
  ): Promise<PlaygroundStreamEvent[]> {
    const taken: PlaygroundStreamEvent[] = [];
    return new Promise((resolve, reject) => {
      const check = (): void => {
        for (let i = 0; i < this.unread.length && taken.length < count;) {
          if (matches(this.unread[i]!)) taken.push(...this.unread.splice(i, 1));
          else i += 1;
        }
        if (taken.length < count) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(taken);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        // Put back what was taken so a later wait can still see it.
        this.unread.unshift(...taken);
        reject(
          new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (got ${taken.length})`),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

/** The Adaptive Cards in a message, as JSON objects. */
export function adaptiveCards(message: PlaygroundMessage): Record<string, unknown>[] {
  return message.attachments
    .filter((a) => a.contentType === ADAPTIVE_CARD)
    .map((a) => a.content as Record<string, unknown>);
}

/** The one Adaptive Card in a bot message; anything else is an error. */
export function onlyCard(message: PlaygroundMessage): Record<string, unknown> {
  const cards = adaptiveCards(message);
  if (cards.length !== 1 || !cards[0]) {
    throw new Error(`expected one Adaptive Card in the message, found ${cards.length}`);
  }
  return cards[0];
}

/** The value shown beside a FactSet title (or the text after a label), as a reader sees it. */
export function factValue(card: unknown, title: string): string | undefined {
  const texts = cardTexts(card);
  const at = texts.indexOf(title);
  return at >= 0 ? texts[at + 1] : undefined;
}

/** Every TextBlock text and FactSet title/value in a card, in order: what a reader sees. */
export function cardTexts(card: unknown): string[] {
  const texts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    if (element.type === 'TextBlock' && typeof element.text === 'string') texts.push(element.text);
    if (element.type === 'FactSet' && Array.isArray(element.facts)) {
      for (const fact of element.facts as { title?: unknown; value?: unknown }[]) {
        if (typeof fact.title === 'string') texts.push(fact.title);
        if (typeof fact.value === 'string') texts.push(fact.value);
      }
    }
    for (const [key, value] of Object.entries(element)) if (key !== 'facts') visit(value);
  };
  visit(card);
  return texts;
}

async function requestJson<T = unknown>(
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
