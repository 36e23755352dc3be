import { z } from 'zod';
import { fromSchoolDateTime } from '../shared/school-time';
import { ADULT_KINDS, type AdultConcernInput, type AdultKind } from './adult-concern.types';

/** Limits a record still fits in, and a card can carry. */
const LIMITS = { narrative: 10_000, short: 200, id: 100 } as const;

/** The harm-threshold question's answers; "not sure" takes the allegation route (ask the LADO). */
const HARM_THRESHOLD_ANSWERS = ['yes', 'no', 'not-sure'] as const;

// Card values arrive as strings; anything else is refused before it can reach a query.
const text = (max: number) =>
  z
    .string({ error: 'must be text' })
    .max(max, { error: `must be at most ${max.toLocaleString('en-GB')} characters` })
    .optional();

/** Every input id of the form, as the card sends it back. Unknown keys are dropped. */
export const adultConcernFormSchema = z.object({
  adultKind: text(LIMITS.id),
  subjectAadObjectId: text(LIMITS.id),
  adultName: text(LIMITS.short),
  adultRole: text(LIMITS.short),
  happenedDate: text(20),
  happenedTime: text(20),
  location: text(LIMITS.short),
  whatHappened: text(LIMITS.narrative),
  harmThreshold: text(20),
});

/** The form as typed: kept verbatim in drafts and sent back on a failed validation. */
export type AdultConcernFormValues = Partial<
  Record<keyof z.infer<typeof adultConcernFormSchema>, string>
>;

/** Problems keyed by the input id they belong next to. */
export type AdultConcernFieldErrors = Record<string, string>;

export type AdultConcernParseResult =
  | { ok: true; input: AdultConcernInput }
  | { ok: false; errors: AdultConcernFieldErrors; values: AdultConcernFormValues };

/** Keeps newlines and tabs; drops other control characters. */
function clean(value: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (value ?? '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();
}

/** Only strings survive from whatever the client posted; the rest is reported per field. */
export function readAdultConcernValues(raw: unknown): {
  values: AdultConcernFormValues;
  errors: AdultConcernFieldErrors;
} {
  const errors: AdultConcernFieldErrors = {};
  const source =
    raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const values: Record<string, string> = {};
  for (const [key, field] of Object.entries(adultConcernFormSchema.shape)) {
    const parsed = field.safeParse(source[key]);
    if (parsed.success) {
      if (typeof parsed.data === 'string') values[key] = parsed.data;
    } else {
      errors[key] = `This ${parsed.error.issues[0]?.message ?? 'is not valid'}.`;
      // Keep what was typed when it was text (too long): the person must not lose it.
      if (typeof source[key] === 'string') values[key] = source[key];
    }
  }
  return { values: values as AdultConcernFormValues, errors };
}

/**
 * Turns typed values into an AdultConcernInput, or every problem next to its field. Checks that
 * need no store; the service checks the chosen colleague against the directory.
 */
export function parseAdultConcernForm(raw: unknown, now: Date): AdultConcernParseResult {
  const { values, errors } = readAdultConcernValues(raw);

  const adultKind = clean(values.adultKind);
  if (!(ADULT_KINDS as readonly string[]).includes(adultKind)) {
    errors.adultKind ??= 'Choose who the adult is: staff, supply, volunteer or contractor.';
  }
  const adultName = clean(values.adultName);
  if (!adultName) errors.adultName ??= "Give the adult's full name.";

  const happenedAt = fromSchoolDateTime(clean(values.happenedDate), clean(values.happenedTime));
  if (!happenedAt) {
    errors.happenedDate ??=
      'Give the date and time it happened (the date as YYYY-MM-DD, the time as HH:MM).';
  } else if (happenedAt.getTime() > now.getTime() + 60_000) {
    errors.happenedDate ??= 'The time it happened cannot be in the future.';
  } else if (happenedAt.getUTCFullYear() < 2000) {
    errors.happenedDate ??= 'Check the year it happened.';
  }

  const whatHappened = clean(values.whatHappened);
  if (!whatHappened) {
    errors.whatHappened ??= 'Describe what happened: what was seen and heard, by whom and when.';
  }
  const threshold = clean(values.harmThreshold);
  if (!(HARM_THRESHOLD_ANSWERS as readonly string[]).includes(threshold)) {
    errors.harmThreshold ??=
      'Say whether it may meet the harm threshold (or that you are not sure).';
  }

  if (Object.keys(errors).length > 0 || !happenedAt) return { ok: false, errors, values };
  const subject = clean(values.subjectAadObjectId).toLowerCase();
  return {
    ok: true,
    input: {
      adultKind: adultKind as AdultKind,
      subjectAadObjectId: subject && subject !== 'none' ? subject : undefined,
      happenedAt,
      mayMeetHarmThreshold: threshold !== 'no',
      details: {
        adultName,
        adultRole: clean(values.adultRole),
        whatHappened,
        location: clean(values.location),
      },
    },
  };
}
