import type { Activity } from 'botbuilder';

/** The Adaptive Card attached to a bot reply (fails loudly when there is none). */
export function cardOf(activity: Partial<Activity> | undefined): Record<string, unknown> {
  const attachment = activity?.attachments?.[0];
  if (attachment?.contentType !== 'application/vnd.microsoft.card.adaptive') {
    throw new Error(`expected an Adaptive Card, got ${JSON.stringify(activity)}`);
  }
  return attachment.content as Record<string, unknown>;
}

/** Every text a card shows (TextBlocks, fact titles and values, action titles), in order. */
export function textsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(textsOf);
  if (!node || typeof node !== 'object') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (['text', 'title', 'value'].includes(key) && typeof value === 'string') out.push(value);
    else out.push(...textsOf(value));
  }
  return out;
}

/** The card or message text an adaptiveCard/action invoke was answered with. */
export function invokeAnswer(replies: Partial<Activity>[]): {
  type: string;
  card?: Record<string, unknown>;
  text?: string;
} {
  const response = replies.find((r) => r.type === 'invokeResponse')?.value as
    { status: number; body: { statusCode: number; type: string; value: unknown } } | undefined;
  if (!response) throw new Error(`no invoke response in ${JSON.stringify(replies)}`);
  const { type, value } = response.body;
  return type === 'application/vnd.microsoft.card.adaptive'
    ? { type, card: value as Record<string, unknown> }
    : { type, text: String(value) };
}

/** Input elements of a card by id, with their current value. */
export function inputsOf(card: unknown): Map<string, Record<string, unknown>> {
  const inputs = new Map<string, Record<string, unknown>>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (
      typeof record.type === 'string' &&
      record.type.startsWith('Input.') &&
      typeof record.id === 'string'
    ) {
      inputs.set(record.id, record);
    }
    Object.values(record).forEach(walk);
  };
  walk(card);
  return inputs;
}
