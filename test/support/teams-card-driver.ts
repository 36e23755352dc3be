/**
 * Presses a button on an Adaptive Card the way the Teams client does, so that a flow which only
 * works when a test posts the invoke directly fails here too:
 * - inputs start from the values the card itself carries, then what the "person" typed;
 * - unless the action says `associatedInputs: "none"`, every input of the card is checked first
 *   (required, one of its choices, min/max, maxLength, regex) and a refusal names each input and
 *   its message, as Teams paints them, instead of sending anything;
 * - `associatedInputs: "none"` sends the action's data and no input at all;
 * - the data sent is the action's `data` with each input that has a value laid over it (empty
 *   inputs are left out, as the Adaptive Cards renderer does).
 */

/** An Action.Execute found on a card. */
export interface CardAction {
  type: 'Action.Execute';
  title?: string;
  verb?: string;
  data?: Record<string, unknown>;
  associatedInputs?: 'auto' | 'none';
}

/** Picks one button: by verb, by title, and/or by what its data holds. */
export interface ActionSelector {
  verb?: string;
  title?: string;
  data?: Record<string, unknown>;
}

/** What the person typed or chose, by input id (multi-select choices comma-separated). */
export type TypedValues = Record<string, string>;

/** The button and the payload Teams would send for it. */
export interface PreparedAction {
  verb: string;
  title?: string;
  data: Record<string, unknown>;
}

/** Thrown where Teams would refuse to send: the card shows these messages instead. */
export class TeamsWouldRefuse extends Error {
  constructor(readonly problems: { inputId: string; message: string }[]) {
    super(
      `Teams would not send this action: ${problems.map((p) => `${p.inputId}: ${p.message}`).join('; ')}`,
    );
    this.name = 'TeamsWouldRefuse';
  }
}

type Json = Record<string, unknown>;

/** Every Action.Execute on the card, in the body's ActionSets and the card's own actions. */
export function actionsOf(card: unknown): CardAction[] {
  const found: CardAction[] = [];
  walk(card, (node) => {
    if (node.type === 'Action.Execute') found.push(node as unknown as CardAction);
  });
  return found;
}

/** Every input element of the card by id. */
function cardInputs(card: unknown): Map<string, Json> {
  const inputs = new Map<string, Json>();
  walk(card, (node) => {
    if (
      typeof node.type === 'string' &&
      node.type.startsWith('Input.') &&
      typeof node.id === 'string'
    ) {
      if (inputs.has(node.id)) throw new Error(`The card has two inputs with id ${node.id}`);
      inputs.set(node.id, node);
    }
  });
  return inputs;
}

/** The one button matching the selector; a test naming a button that is absent or ambiguous fails. */
function findAction(card: unknown, selector: ActionSelector): CardAction {
  const matches = actionsOf(card).filter(
    (a) =>
      (selector.verb === undefined || a.verb === selector.verb) &&
      (selector.title === undefined || a.title === selector.title) &&
      Object.entries(selector.data ?? {}).every(([k, v]) => a.data?.[k] === v),
  );
  if (matches.length !== 1) {
    const available = actionsOf(card).map((a) => `${a.title ?? '?'} (${a.verb ?? '?'})`);
    throw new Error(
      `Expected one button matching ${JSON.stringify(selector)}, found ${matches.length}. On the card: ${available.join(', ')}`,
    );
  }
  return matches[0]!;
}

/** The payload Teams would send for pressing the button, or TeamsWouldRefuse. */
export function prepareAction(
  card: unknown,
  selector: ActionSelector,
  typed: TypedValues = {},
): PreparedAction {
  const action = findAction(card, selector);
  if (!action.verb) throw new Error(`The button ${action.title ?? ''} has no verb`);
  const inputs = cardInputs(card);
  for (const id of Object.keys(typed)) {
    if (!inputs.has(id)) throw new Error(`The card has no input ${id} to type into`);
  }
  const data: Record<string, unknown> = { ...(action.data ?? {}) };
  if (action.associatedInputs !== 'none') {
    const problems: { inputId: string; message: string }[] = [];
    for (const [id, input] of inputs) {
      const value = id in typed ? typed[id]! : initialValue(input);
      const problem = checkInput(input, value);
      if (problem) problems.push({ inputId: id, message: problem });
      if (value !== '') data[id] = value;
    }
    if (problems.length > 0) throw new TeamsWouldRefuse(problems);
  }
  return { verb: action.verb, ...(action.title ? { title: action.title } : {}), data };
}

/** The value an input shows before anyone types: its `value`, or a toggle's valueOff. */
function initialValue(input: Json): string {
  if (input.type === 'Input.Toggle') {
    const off = typeof input.valueOff === 'string' ? input.valueOff : 'false';
    return typeof input.value === 'string' && input.value !== '' ? input.value : off;
  }
  return typeof input.value === 'string' ? input.value : '';
}

/** The message Teams would show by the input, or '' when it would let the action through. */
function checkInput(input: Json, value: string): string {
  const refusal = (fallback: string) =>
    typeof input.errorMessage === 'string' && input.errorMessage ? input.errorMessage : fallback;
  const required = input.isRequired === true;
  if (input.type === 'Input.Toggle') {
    const on = typeof input.valueOn === 'string' ? input.valueOn : 'true';
    return required && value !== on ? refusal('This must be turned on.') : '';
  }
  if (value === '') return required ? refusal('This is required.') : '';
  switch (input.type) {
    case 'Input.ChoiceSet': {
      const allowed = new Set(
        ((input.choices as { value?: unknown }[] | undefined) ?? []).map((c) => String(c.value)),
      );
      const chosen = input.isMultiSelect === true ? value.split(',') : [value];
      const unknown = chosen.filter((v) => !allowed.has(v));
      return unknown.length ? `not one of its choices: ${unknown.join(', ')}` : '';
    }
    case 'Input.Text': {
      if (typeof input.maxLength === 'number' && value.length > input.maxLength) {
        return `longer than its ${input.maxLength} characters`;
      }
      if (typeof input.regex === 'string' && !new RegExp(input.regex).test(value)) {
        return refusal('does not match its pattern');
      }
      return '';
    }
    case 'Input.Date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'not a date';
      return outOfRange(input, value) ? refusal('outside the dates it allows') : '';
    case 'Input.Time':
      if (!/^\d{2}:\d{2}$/.test(value)) return 'not a time';
      return outOfRange(input, value) ? refusal('outside the times it allows') : '';
    case 'Input.Number': {
      const n = Number(value);
      if (!Number.isFinite(n)) return 'not a number';
      const min = typeof input.min === 'number' ? input.min : -Infinity;
      const max = typeof input.max === 'number' ? input.max : Infinity;
      return n < min || n > max ? refusal('outside the numbers it allows') : '';
    }
    default:
      return '';
  }
}

/** Dates (YYYY-MM-DD) and times (HH:MM) compare as text. */
function outOfRange(input: Json, value: string): boolean {
  const min = typeof input.min === 'string' && input.min ? input.min : undefined;
  const max = typeof input.max === 'string' && input.max ? input.max : undefined;
  return (min !== undefined && value < min) || (max !== undefined && value > max);
}

function walk(node: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  visit(node as Json);
  for (const value of Object.values(node)) walk(value, visit);
}
