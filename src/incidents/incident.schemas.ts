import { z } from 'zod';
import { fromSchoolDateTime } from '../shared/school-time';
import {
  BODY_LATERALITIES,
  BODY_REGIONS,
  BODY_SIDES,
  LINKED_PUPIL_ROLES,
  type BodyMapEntry,
  type IncidentInput,
  type LinkedPupil,
} from './incident.types';

/** Limits a court-ready record still fits in, and a card can carry. */
const LIMITS = {
  facts: 20_000,
  narrative: 10_000,
  short: 200,
  id: 100,
  linkedPupils: 3,
  bodyMapEntries: 3,
  alertStaff: 20,
  categories: 10,
  agencies: 10,
} as const;

/** Form rows for linked pupils and body map entries (the card has this many of each). */
export const LINKED_PUPIL_ROWS = [1, 2, 3] as const;
export const BODY_MAP_ROWS = [1, 2, 3] as const;

// Card values arrive as strings. Anything else (objects such as {"$gt": ""}, arrays, numbers) is
// refused by z.string() before it can reach a query.
const text = (max: number) =>
  z
    .string({ error: 'must be text' })
    .max(max, { error: `must be at most ${max.toLocaleString('en-GB')} characters` })
    .optional();

const rowFields = Object.fromEntries([
  ...LINKED_PUPIL_ROWS.flatMap((n) => [
    [`linkedPupil${n}`, text(LIMITS.id)],
    [`linkedRole${n}`, text(LIMITS.id)],
  ]),
  ...BODY_MAP_ROWS.flatMap((n) => [
    [`bodyRegion${n}`, text(LIMITS.id)],
    [`bodySide${n}`, text(LIMITS.id)],
    [`bodyLaterality${n}`, text(LIMITS.id)],
    [`bodyDescription${n}`, text(LIMITS.short * 5)],
  ]),
]) as Record<string, ReturnType<typeof text>>;

/** Every input id the incident form has, as the card sends it back. Unknown keys are dropped. */
export const incidentFormValuesSchema = z.object({
  pupilId: text(LIMITS.id),
  happenedDate: text(20),
  happenedTime: text(20),
  transcribedFromPaper: text(10),
  location: text(LIMITS.short),
  facts: text(LIMITS.facts),
  childsWords: text(LIMITS.narrative),
  adultsWords: text(LIMITS.narrative),
  leadingQuestionNote: text(LIMITS.narrative),
  opinion: text(LIMITS.narrative),
  actionTaken: text(LIMITS.narrative),
  actionRequired: text(LIMITS.narrative),
  categoryIds: text(LIMITS.id * LIMITS.categories),
  agencyIds: text(LIMITS.id * LIMITS.agencies),
  alertStaffIds: text(LIMITS.id * LIMITS.alertStaff),
  pupilSearch: text(LIMITS.short),
  ...rowFields,
});

/** The form's values as typed: kept verbatim in drafts and sent back on a failed validation. */
export type IncidentFormValues = Partial<
  Record<keyof z.infer<typeof incidentFormValuesSchema>, string>
> &
  Record<string, string | undefined>;

/** Problems keyed by the input id they belong next to; `form` for the form as a whole. */
export type FieldErrors = Record<string, string>;

export type ParseResult =
  | { ok: true; input: IncidentInput }
  | { ok: false; errors: FieldErrors; values: IncidentFormValues };

/** Keeps newlines and tabs; drops other control characters that would corrupt a printed record. */
function clean(value: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (value ?? '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();
}

function list(value: string | undefined): string[] {
  return [
    ...new Set(
      clean(value)
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

/** Only strings survive from whatever the client posted; the rest is reported per field. */
export function readFormValues(raw: unknown): { values: IncidentFormValues; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const source =
    raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const values: IncidentFormValues = {};
  for (const key of Object.keys(incidentFormValuesSchema.shape)) {
    const field = (incidentFormValuesSchema.shape as Record<string, z.ZodType>)[key]!;
    const parsed = field.safeParse(source[key]);
    if (parsed.success) {
      if (typeof parsed.data === 'string') values[key] = parsed.data;
    } else {
      errors[key] = `This ${parsed.error.issues[0]?.message ?? 'is not valid'}.`;
      // Keep what was typed when it was text (too long): the person must not lose it.
      if (typeof source[key] === 'string') values[key] = source[key];
    }
  }
  return { values, errors };
}

/**
 * Turns typed form values into an IncidentInput, or every problem next to its field. Checks that
 * need no store (shape, limits, dates); the service checks ids against the school's directory.
 */
export function parseIncidentForm(raw: unknown, now: Date): ParseResult {
  const { values, errors } = readFormValues(raw);

  const pupilId = clean(values.pupilId);
  if (!pupilId) errors.pupilId ??= 'Choose the pupil this concern is about.';

  const happenedAt = fromSchoolDateTime(clean(values.happenedDate), clean(values.happenedTime));
  if (!happenedAt) {
    errors.happenedDate ??=
      'Give the date and time it happened (the date as YYYY-MM-DD, the time as HH:MM).';
  } else if (happenedAt.getTime() > now.getTime() + 60_000) {
    errors.happenedDate ??= 'The time it happened cannot be in the future.';
  } else if (happenedAt.getUTCFullYear() < 2000) {
    errors.happenedDate ??= 'Check the year it happened.';
  }

  const facts = clean(values.facts);
  if (!facts)
    errors.facts ??= 'Describe what happened: what was seen and heard, by whom, when and where.';

  const categoryIds = list(values.categoryIds);
  if (categoryIds.length === 0) errors.categoryIds ??= 'Choose at least one category.';
  if (categoryIds.length > LIMITS.categories)
    errors.categoryIds ??= `Choose at most ${LIMITS.categories} categories.`;

  const agencyIds = list(values.agencyIds);
  if (agencyIds.length > LIMITS.agencies)
    errors.agencyIds ??= `Choose at most ${LIMITS.agencies} agencies.`;
  const alertStaffIds = list(values.alertStaffIds);
  if (alertStaffIds.length > LIMITS.alertStaff)
    errors.alertStaffIds ??= `Choose at most ${LIMITS.alertStaff} people.`;

  const linkedPupils: LinkedPupil[] = [];
  for (const n of LINKED_PUPIL_ROWS) {
    const id = clean(values[`linkedPupil${n}`]);
    const role = clean(values[`linkedRole${n}`]);
    if (!id && !role) continue;
    if (!id) errors[`linkedPupil${n}`] ??= 'Choose the linked pupil, or clear their role.';
    else if (!(LINKED_PUPIL_ROLES as readonly string[]).includes(role)) {
      errors[`linkedRole${n}`] ??= 'Choose how this pupil is involved.';
    } else if (id === pupilId) {
      errors[`linkedPupil${n}`] ??= 'The linked pupil is the pupil the concern is about.';
    } else if (linkedPupils.some((p) => p.pupilId === id)) {
      errors[`linkedPupil${n}`] ??= 'This pupil is already linked.';
    } else linkedPupils.push({ pupilId: id, role: role as LinkedPupil['role'] });
  }

  const bodyMap: BodyMapEntry[] = [];
  for (const n of BODY_MAP_ROWS) {
    const region = clean(values[`bodyRegion${n}`]);
    const side = clean(values[`bodySide${n}`]);
    const laterality = clean(values[`bodyLaterality${n}`]);
    const description = clean(values[`bodyDescription${n}`]);
    if (!region && !description) continue;
    if (!(BODY_REGIONS as readonly string[]).includes(region)) {
      errors[`bodyRegion${n}`] ??= 'Choose the part of the body.';
    } else if (!(BODY_SIDES as readonly string[]).includes(side)) {
      errors[`bodySide${n}`] ??= 'Choose front or back.';
    } else if (!(BODY_LATERALITIES as readonly string[]).includes(laterality)) {
      errors[`bodyLaterality${n}`] ??= 'Choose left, right or centre.';
    } else if (!description) {
      errors[`bodyDescription${n}`] ??= 'Describe the mark or injury (size, colour, shape).';
    } else {
      bodyMap.push({
        region: region as BodyMapEntry['region'],
        side: side as BodyMapEntry['side'],
        laterality: laterality as BodyMapEntry['laterality'],
        description,
      });
    }
  }

  if (Object.keys(errors).length > 0 || !happenedAt) return { ok: false, errors, values };
  return {
    ok: true,
    input: {
      pupilId,
      happenedAt,
      transcribedFromPaper: clean(values.transcribedFromPaper) === 'true',
      location: clean(values.location),
      facts,
      childsWords: clean(values.childsWords),
      adultsWords: clean(values.adultsWords),
      leadingQuestionNote: clean(values.leadingQuestionNote),
      opinion: clean(values.opinion),
      actionTaken: clean(values.actionTaken),
      actionRequired: clean(values.actionRequired),
      categoryIds,
      linkedPupils,
      agencyIds,
      bodyMap,
      alertStaffIds,
    },
  };
}
