/**
 * Microsoft's own Adaptive Cards parser and validator (the `adaptivecards` package), targeting the
 * version Teams renders (1.5). `require('adaptivecards')` fails under Node's module loader because
 * its lib/ build is ESM without extensions, so the UMD bundle in dist/ is loaded instead.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

/** Every parse error, parse warning and validation failure for a card, as readable strings. */
export function validateAdaptiveCard(card: unknown): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card as never, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push(`parse: ${event.message}`);
  }
  const validation = parsed.validateProperties();
  for (const event of validation.validationEvents) problems.push(`validate: ${event.message}`);
  if (AC.Versions.v1_5.compareTo(parsed.version) < 0)
    problems.push(`version ${parsed.version} > 1.5`);
  problems.push(...teamsLimits(card));
  return problems;
}

/** Teams' own limits beyond the Adaptive Card schema (teams.md): no Media, ~28 KB per card. */
const TEAMS_MAX_CARD_BYTES = 28 * 1024;

function teamsLimits(card: unknown): string[] {
  const problems: string[] = [];
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes > TEAMS_MAX_CARD_BYTES) problems.push(`teams: card is ${bytes} bytes (limit 28 KB)`);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Media') problems.push('teams: Media elements are not rendered');
    Object.values(record).forEach(walk);
  };
  walk(card);
  return problems;
}
