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
