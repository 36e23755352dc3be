import { z } from 'zod';
import { fromSchoolDateTime } from '../shared/school-time';
import type { ActionFieldErrors } from './action.errors';
import {
  ACTION_KINDS,
  CONVERSATION_PARTIES,
  DECISION_OUTCOMES,
  type ActionDetailsInput,
  type ActionInput,
} from './action.types';

/** The action form's inputs as a card sends them: every one a string, '' when empty. */
export const ACTION_FORM_FIELDS = [
  'kind',
  'happenedDate',
  'happenedTime',
  'text',
  'with',
  'agencyId',
  'agencyReference',
  'referredDate',
  'outcome',
  'reason',
  'assignee',
  'dueDate',
  'alertStaffIds',
] as const;
export type ActionFormValues = Record<(typeof ACTION_FORM_FIELDS)[number], string>;

const TEXT_MAX = 20_000;
const text = (max: number) => z.string().trim().max(max, `At most ${max} characters.`);

/** Keeps what was typed (strings only, bounded) so a refused form comes back as it was. */
export function actionFormValues(data: Record<string, unknown>): ActionFormValues {
  const values = {} as ActionFormValues;
  for (const field of ACTION_FORM_FIELDS) {
    const value = data[field];
    values[field] = typeof value === 'string' ? value.slice(0, TEXT_MAX + 100) : '';
  }
  return values;
}

/**
 * Reads the action form into an ActionInput, or per-field messages. Dates and times are the
 * school's wall-clock time. Checks against the record and directory happen in the service.
 */
export function parseActionForm(
  values: ActionFormValues,
  idempotencyKey: string,
  timeZone: string,
):
  | { readonly ok: true; readonly input: ActionInput }
  | { readonly ok: false; readonly errors: ActionFieldErrors } {
  const errors: ActionFieldErrors = {};
  const pick = <T>(field: keyof ActionFormValues, schema: z.ZodType<T>): T | undefined => {
    const parsed = schema.safeParse(values[field]);
    if (!parsed.success) errors[field] = parsed.error.issues[0]?.message ?? 'Check this value.';
    return parsed.success ? parsed.data : undefined;
  };
  const kind = pick('kind', z.enum(ACTION_KINDS, 'Choose what kind of action this is.'));
  const body = pick('text', text(TEXT_MAX).min(1, 'Say what happened or what is to be done.'));
  const happenedAt = fromSchoolDateTime(
    values.happenedDate,
    values.happenedTime || '00:00',
    timeZone,
  );
  if (!happenedAt) errors.happenedDate = 'Give the date (and time) it happened.';
  const alertStaffIds = values.alertStaffIds
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '')
    .slice(0, 50);

  let details: ActionDetailsInput | undefined;
  const party = () => pick('with', z.enum(CONVERSATION_PARTIES, 'Choose who it was with.'));
  switch (kind) {
    case 'note':
      details = { kind };
      break;
    case 'conversation':
    case 'phone-call': {
      const withWhom = party();
      if (withWhom) details = { kind, with: withWhom };
      break;
    }
    case 'meeting':
      details = { kind };
      break;
    case 'referral': {
      const agencyId = pick('agencyId', z.string().min(1, 'Choose the agency.').max(60));
      const agencyReference = pick('agencyReference', text(100));
      const referredAt = fromSchoolDateTime(
        values.referredDate,
        values.happenedTime || '00:00',
        timeZone,
      );
      if (!referredAt) errors.referredDate = 'Give the date of the referral.';
      if (agencyId && agencyReference !== undefined && referredAt) {
        details = { kind, agencyId, agencyReference, referredAt };
      }
      break;
    }
    case 'decision': {
      const outcome = pick('outcome', z.enum(DECISION_OUTCOMES, 'Choose the decision.'));
      const reason = pick('reason', text(TEXT_MAX));
      if (outcome === 'no-further-action' && reason === '') {
        errors.reason = 'A decision of no further action needs its reason.';
      } else if (outcome && reason !== undefined) {
        details = { kind, outcome, reason };
      }
      break;
    }
    case 'task': {
      const assignee = pick('assignee', z.string().min(1, 'Choose who will do it.').max(100));
      const dueDate = pick('dueDate', z.iso.date('Give the date it is due.'));
      if (assignee && dueDate) details = { kind, assigneeAadObjectId: assignee, dueDate };
      break;
    }
    default:
      break;
  }
  if (Object.keys(errors).length > 0 || !details || !happenedAt || body === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    input: { details, happenedAt, text: body, alertStaffIds, idempotencyKey },
  };
}
