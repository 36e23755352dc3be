/** Action.Execute verbs the bot's cards use; cards/ templates spell the same strings. */
export const VERBS = {
  submitIncident: 'incident.submit',
  searchPupils: 'incident.searchPupils',
  saveDraft: 'incident.saveDraft',
  resumeDraft: 'incident.resumeDraft',
  newForm: 'incident.newForm',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

/** True for a verb this bot knows. */
export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && (Object.values(VERBS) as string[]).includes(value);
}
