import {
  BODY_LATERALITIES,
  BODY_MAP_ROWS,
  BODY_REGIONS,
  BODY_SIDES,
  incidentFormValuesSchema,
  LINKED_PUPIL_ROLES,
  LINKED_PUPIL_ROWS,
  type FieldErrors,
  type IncidentFormValues,
} from '../../incidents';
import { pupilDisplayName, type Pupil } from '../../pupils';
import type { Agency, Category } from '../../schools';
import type { StaffMember } from '../../staff';
import { toSchoolDateTime } from '../../shared/school-time';
import { inertText } from '../inert-text';
import { renderCard, type AdaptiveCardJson, type Choice } from '../render-card';

/** The school's lists the form offers, already filtered to what this person may pick. */
interface FormOptions {
  pupils: readonly Pupil[];
  categories: readonly Category[];
  agencies: readonly Agency[];
  /** Staff who can be added to the alert (the team is alerted anyway). */
  alertableStaff: readonly StaffMember[];
  team: readonly StaffMember[];
}

export interface FormCardInput {
  draftId: string;
  values: IncidentFormValues;
  errors: FieldErrors;
  banner?: string;
  searchNote?: string;
  now: Date;
  options: FormOptions;
}

const ROLE_TITLES: Record<(typeof LINKED_PUPIL_ROLES)[number], string> = {
  victim: 'Victim',
  'alleged-perpetrator': 'Alleged perpetrator',
  witness: 'Witness',
  sibling: 'Sibling',
  involved: 'Involved',
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const asChoices = (values: readonly string[]): Choice[] =>
  values.map((v) => ({ title: capitalise(v), value: v }));

/** The title a pupil has in a choice list: name (with legal name if different), year and form. */
export function pupilChoiceTitle(pupil: Pupil): string {
  const where = [pupil.yearGroup, pupil.form].filter(Boolean).join(', ');
  return `${pupilDisplayName(pupil)}${where ? ` — ${where}` : ''}${pupil.onRoll ? '' : ' (left)'}`;
}

/**
 * A ChoiceSet needs at least one choice to be a valid card. The placeholder's value names nothing
 * in the school, so choosing it is refused by the server like any unknown id.
 */
const NO_CHOICE = 'none';
function atLeastOne(choices: Choice[], emptyTitle: string): Choice[] {
  return choices.length > 0 ? choices : [{ title: emptyTitle, value: NO_CHOICE }];
}

/** Builds the incident form with what was typed, each problem next to its field. */
export function renderIncidentForm(input: FormCardInput): AdaptiveCardJson {
  const { values, errors, options } = input;
  const allValues: Record<string, string> = {};
  const allErrors: Record<string, string> = { form: errors.form ?? '' };
  for (const key of Object.keys(incidentFormValuesSchema.shape)) {
    allValues[key] = values[key] ?? '';
    allErrors[key] = errors[key] ?? '';
  }
  const bodyRows = BODY_MAP_ROWS.map((n) => ({
    n,
    region: allValues[`bodyRegion${n}`] ?? '',
    side: allValues[`bodySide${n}`] ?? '',
    laterality: allValues[`bodyLaterality${n}`] ?? '',
    description: allValues[`bodyDescription${n}`] ?? '',
    error: ['bodyRegion', 'bodySide', 'bodyLaterality', 'bodyDescription']
      .map((f) => allErrors[`${f}${n}`])
      .filter(Boolean)
      .join(' '),
  }));
  const teamNames = options.team.map((m) => inertText(m.displayName)).join(', ');
  return renderCard('incidents/incident-form', {
    draftId: input.draftId,
    banner: input.banner ?? '',
    searchNote: input.searchNote ?? '',
    maxDate: toSchoolDateTime(input.now).date,
    teamNote: teamNames
      ? `The safeguarding team is always alerted: ${teamNames}.`
      : 'The safeguarding team is always alerted.',
    showBodyMap: bodyRows.some((r) => r.region || r.description || r.error),
    values: allValues,
    errors: allErrors,
    pupilChoices: atLeastOne(
      options.pupils.map((p) => ({ title: pupilChoiceTitle(p), value: p.pupilId })),
      'No pupils listed yet: search by name below',
    ),
    categoryChoices: atLeastOne(
      options.categories.map((c) => ({
        title: c.teamOnly ? `${c.name} (safeguarding team only)` : c.name,
        value: c.categoryId,
      })),
      'No categories configured: ask your DSL',
    ),
    agencyChoices: atLeastOne(
      options.agencies.map((a) => ({ title: a.name, value: a.agencyId })),
      'No agencies configured',
    ),
    staffChoices: atLeastOne(
      options.alertableStaff.map((m) => ({
        title: m.jobTitle ? `${m.displayName} (${m.jobTitle})` : m.displayName,
        value: m.aadObjectId,
      })),
      'No other staff listed',
    ),
    roleChoices: LINKED_PUPIL_ROLES.map((r) => ({ title: ROLE_TITLES[r], value: r })),
    regionChoices: asChoices(BODY_REGIONS),
    sideChoices: asChoices(BODY_SIDES),
    lateralityChoices: asChoices(BODY_LATERALITIES),
    linkedRows: LINKED_PUPIL_ROWS.map((n) => ({
      n,
      pupilId: allValues[`linkedPupil${n}`] ?? '',
      role: allValues[`linkedRole${n}`] ?? '',
      pupilError: allErrors[`linkedPupil${n}`] ?? '',
      roleError: allErrors[`linkedRole${n}`] ?? '',
    })),
    bodyRows,
  });
}
