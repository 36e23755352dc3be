import {
  ADULT_KINDS,
  adultConcernFormSchema,
  type AdultConcernFieldErrors,
  type AdultConcernFormValues,
  type AdultConcernHeader,
} from '../../adult-concerns';
import type { Alert } from '../../alerts';
import { formatSchoolTime, toSchoolDateTime } from '../../shared/school-time';
import type { StaffMember } from '../../staff';
import { renderCard, type AdaptiveCardJson } from '../render-card';

const KIND_TITLES: Record<(typeof ADULT_KINDS)[number], string> = {
  staff: 'A member of staff',
  supply: 'Supply staff',
  volunteer: 'A volunteer',
  contractor: 'A contractor',
};

/** The answers to the harm-threshold question, in the form's order. */
const THRESHOLD_CHOICES = [
  { title: 'Yes, it may', value: 'yes' },
  { title: 'No: a low-level concern', value: 'no' },
  { title: 'I am not sure', value: 'not-sure' },
];

/** The concern form with what was typed, each problem next to its field. */
export function renderAdultConcernForm(input: {
  draftId: string;
  values: AdultConcernFormValues;
  errors: AdultConcernFieldErrors;
  banner?: string;
  now: Date;
  staff: readonly StaffMember[];
}): AdaptiveCardJson {
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const key of Object.keys(adultConcernFormSchema.shape)) {
    values[key] = (input.values as Record<string, string | undefined>)[key] ?? '';
    errors[key] = input.errors[key] ?? '';
  }
  return renderCard('adult-concerns/adult-concern-form', {
    draftId: input.draftId,
    banner: input.banner ?? '',
    maxDate: toSchoolDateTime(input.now).date,
    values,
    errors,
    kindChoices: ADULT_KINDS.map((k) => ({ title: KIND_TITLES[k], value: k })),
    staffChoices: [
      { title: 'Not on the staff list (give their name below)', value: 'none' },
      ...input.staff.map((m) => ({
        title: m.jobTitle ? `${m.displayName} (${m.jobTitle})` : m.displayName,
        value: m.aadObjectId,
      })),
    ],
    thresholdChoices: THRESHOLD_CHOICES,
  });
}

/** The recorder's confirmation: the reference and who it went to; nothing of what they wrote. */
export function renderAdultConcernRecorded(concern: AdultConcernHeader): AdaptiveCardJson {
  return renderCard('adult-concerns/adult-concern-recorded', {
    reference: concern.reference,
    recordedAt: formatSchoolTime(concern.recordedAt),
    passedTo: concern.caseManagerRoute === 'chair' ? 'The chair of governors' : 'The head teacher',
  });
}

const ALERT_TITLES: Partial<Record<Alert['reason'], string>> = {
  'case-manager': 'A concern about an adult',
  escalation: 'Escalated to you: a concern about an adult, not yet acknowledged',
  reminder: 'Reminder: a concern about an adult is not yet acknowledged',
  'referral-clock': 'The LADO referral of a concern about an adult is overdue',
};

/**
 * The case manager's alert card: a reference and a time, whether it is acknowledged, and the
 * button. No adult's name, no detail, not even the recorder's name.
 */
export function renderAdultConcernAlert(
  alert: Pick<Alert, 'incidentId' | 'reason' | 'reference' | 'recordedAt'>,
  acknowledged?: { by: string; at: Date; byMe: boolean },
): AdaptiveCardJson {
  const chase = alert.reason === 'referral-clock';
  return renderCard('alerts/adult-concern-alert', {
    concernId: alert.incidentId,
    title: ALERT_TITLES[alert.reason] ?? 'A concern about an adult',
    reference: alert.reference,
    recordedAt: formatSchoolTime(alert.recordedAt),
    // The chase asks for the referral, recorded in the tab; it has nothing to acknowledge.
    status: chase
      ? 'Refer it to the LADO now, and record the referral in the Safeguarding tab.'
      : acknowledged
        ? `Acknowledged by ${acknowledged.byMe ? 'you' : acknowledged.by} at ${formatSchoolTime(acknowledged.at)}`
        : 'Not yet acknowledged',
    showAcknowledge: !acknowledged && !chase,
  });
}
