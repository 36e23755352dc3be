import type { CsvColumns } from './csv-table';

/**
 * The pupils file's optional status columns and the status each sets, in the words MIS exports
 * use. A blank cell, like a missing column, says nothing: that status stays as it is.
 */
export const FLAG_COLUMNS = {
  cp_plan: 'childProtectionPlan',
  cin: 'childInNeed',
  ehcp: 'ehcp',
  sen_support: 'senSupport',
  fsm: 'freeSchoolMeals',
  pupil_premium: 'pupilPremium',
  young_carer: 'youngCarer',
  eal: 'eal',
  alternative_provision: 'alternativeProvision',
} as const;

/** The pupils file's columns, in the order the example file uses; statuses last. */
export const PUPIL_COLUMNS: CsvColumns = {
  required: [
    'mis_id',
    'legal_first_name',
    'legal_last_name',
    'date_of_birth',
    'year_group',
    'on_roll',
  ],
  optional: [
    'upn',
    'preferred_first_name',
    'preferred_last_name',
    'form',
    ...Object.keys(FLAG_COLUMNS),
    'looked_after',
    'nhs_number',
    'nhs_number_missing_reason',
    // A leaver (on_roll no, or a leaving date): the child protection file's transfer opens.
    'leaving_date',
    'destination_school',
    'destination_urn',
  ],
};
