import { randomUUID } from 'node:crypto';
import { toSchoolDateTime } from '../../src/shared/school-time';
import {
  cardActionActivity,
  messageActivity,
  type SimulatedUser,
} from '../../bench/support/teams-activities';
import { TENANT_ID } from './soak-school';

const REFERENCE = /\b[A-Z]{2,6}-\d{4}-\d{5}\b/;
const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

/** An answer from /api/messages: HTTP status, the parsed body and how long it took. */
export interface BotAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly ms: number;
}

/** POSTs an activity to /api/messages as the Bot Framework does in development mode (no token). */
export async function postActivity(baseUrl: string, activity: unknown): Promise<BotAnswer> {
  return postRaw(baseUrl, JSON.stringify(activity));
}

/** The same with a body as given (not JSON, or too large): what a hostile client can send. */
export async function postRaw(baseUrl: string, body: string): Promise<BotAnswer> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // Not JSON (restify's plain-text errors): kept as text.
  }
  return { status: response.status, body: parsed, ms: performance.now() - started };
}

/** A filled incident form's values as Teams sends them back (strings), for one pupil. */
export function formValues(pupilId: string, now: Date): Record<string, string> {
  // Yesterday at 10:15, school time: always in the past, whenever the soak runs.
  const { date } = toSchoolDateTime(new Date(now.getTime() - 24 * 3_600_000));
  return {
    pupilId,
    happenedDate: date,
    happenedTime: '10:15',
    transcribedFromPaper: 'false',
    location: 'Year 4 classroom',
    facts: 'During maths the pupil said their dad hit them last night. Bruise seen on left arm.',
    childsWords: 'MY DAD HIT ME',
    adultsWords: 'I said "Tell me more about that."',
    opinion: 'Seemed frightened to go home.',
    actionTaken: 'Told the DSL in person.',
    actionRequired: 'DSL to decide on a referral.',
    categoryIds: 'safeguarding',
    agencyIds: '',
    alertStaffIds: '',
  };
}

/** `report` typed in the chat (the form card goes to the connector). */
export function reportCommand(user: SimulatedUser, serviceUrl: string): Record<string, unknown> {
  return messageActivity(user, TENANT_ID, serviceUrl, 'report');
}

/** An Action.Execute of `verb` on a card with these data, as Teams posts it. */
export function cardAction(
  user: SimulatedUser,
  serviceUrl: string,
  verb: string,
  data: Record<string, unknown>,
): Record<string, unknown> {
  return cardActionActivity(user, TENANT_ID, serviceUrl, verb, data, `card-${randomUUID()}`);
}

/** The record reference in a submit's answer card, when it is the confirmation. */
export function referenceIn(answer: BotAnswer): string | undefined {
  const body = answer.body as { type?: string; value?: unknown } | undefined;
  if (answer.status !== 200 || body?.type !== CARD_TYPE) return undefined;
  return REFERENCE.exec(JSON.stringify(body.value ?? ''))?.[0];
}

/** What the bot said in a message answer (a refusal or "not saved yet"), when it was one. */
export function messageIn(answer: BotAnswer): string | undefined {
  const body = answer.body as { type?: string; value?: unknown } | undefined;
  return body?.type === 'application/vnd.microsoft.activity.message' &&
    typeof body.value === 'string'
    ? body.value
    : undefined;
}
