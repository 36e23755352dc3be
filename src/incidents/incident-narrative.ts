import { z } from 'zod';
import type { SealedNarrative } from '../encryption';
import { AppError } from '../shared/errors';
import type { BodyMapEntry, Incident } from './incident.types';

/**
 * The parts of a record that tell what happened, sealed together at rest: the narrative fields,
 * where it happened, and what each body-map mark looks like (in body-map order). Who, when, which
 * pupil and categories stay in clear so records can be found, counted and routed without a key.
 */
const narrativeSchema = z.object({
  location: z.string(),
  facts: z.string(),
  childsWords: z.string(),
  adultsWords: z.string(),
  leadingQuestionNote: z.string(),
  opinion: z.string(),
  actionTaken: z.string(),
  actionRequired: z.string(),
  bodyMapDescriptions: z.array(z.string()),
});
type IncidentNarrative = z.infer<typeof narrativeSchema>;

type NarrativeField = Exclude<keyof IncidentNarrative, 'bodyMapDescriptions'>;

/**
 * A record without its narrative: what routing, counting and alerting need, readable without
 * opening anything (no key, no Key Vault round trip).
 */
export type IncidentHeader = Omit<Incident, NarrativeField | 'bodyMap'>;

/** A record as stored: its header in clear, its narrative sealed. */
export type IncidentDoc = Omit<Incident, NarrativeField | 'bodyMap'> & {
  readonly bodyMap: readonly Omit<BodyMapEntry, 'description'>[];
  readonly sealed: SealedNarrative;
  /** The UTC midnight of the day recorded: recent records are read by equality on it. */
  readonly recordedDay?: Date;
};

/** The narrative of a record, to seal. */
export function narrativeOf(incident: Incident): IncidentNarrative {
  return {
    location: incident.location,
    facts: incident.facts,
    childsWords: incident.childsWords,
    adultsWords: incident.adultsWords,
    leadingQuestionNote: incident.leadingQuestionNote,
    opinion: incident.opinion,
    actionTaken: incident.actionTaken,
    actionRequired: incident.actionRequired,
    bodyMapDescriptions: incident.bodyMap.map((b) => b.description),
  };
}

/** The record again, from its header and its opened narrative (checked like any stored input). */
export function withNarrative(
  header: Omit<IncidentDoc, 'sealed'>,
  opened: Record<string, unknown>,
): Incident {
  const parsed = narrativeSchema.safeParse(opened);
  if (!parsed.success || parsed.data.bodyMapDescriptions.length !== header.bodyMap.length) {
    throw new AppError(
      'ENCRYPTION.UNSUPPORTED_FORMAT',
      `narrative of incident ${header.incidentId} is not valid`,
    );
  }
  const n = parsed.data;
  return {
    ...header,
    location: n.location,
    facts: n.facts,
    childsWords: n.childsWords,
    adultsWords: n.adultsWords,
    leadingQuestionNote: n.leadingQuestionNote,
    opinion: n.opinion,
    actionTaken: n.actionTaken,
    actionRequired: n.actionRequired,
    bodyMap: header.bodyMap.map((b, i) => ({ ...b, description: n.bodyMapDescriptions[i] ?? '' })),
  };
}
