import type { PupilImportRow } from '../../src/directory-import/parse-pupils-csv';
import type { StaffImportRow } from '../../src/directory-import/parse-staff-csv';

/** A pupil with believable defaults; override what the test is about. */
export function aPupil(overrides: Partial<PupilImportRow> = {}): PupilImportRow {
  return {
    pupilId: 'P0001',
    upn: undefined,
    legalFirstName: 'Alex',
    legalLastName: 'Example',
    preferredFirstName: undefined,
    preferredLastName: undefined,
    dateOfBirth: '2017-05-01',
    yearGroup: 'Year 4',
    form: '4E',
    onRoll: true,
    ...overrides,
  };
}

/** A member of staff (role staff only, active) with believable defaults. */
export function aStaffMember(overrides: Partial<StaffImportRow> = {}): StaffImportRow {
  return {
    aadObjectId: '33333333-3333-4333-8333-000000000001',
    displayName: 'Jo Example',
    email: 'jo.example@school.example',
    jobTitle: 'Teacher',
    roles: ['staff'],
    conflictPupilIds: [],
    active: true,
    ...overrides,
  };
}

/** The pupils file header, as the example file has it. */
export const PUPILS_HEADER =
  'mis_id,upn,legal_first_name,legal_last_name,preferred_first_name,preferred_last_name,date_of_birth,year_group,form,on_roll';

/** The staff file header, as the example file has it. */
export const STAFF_HEADER =
  'aad_object_id,display_name,email,job_title,roles,conflict_pupil_ids,active';

/** A CSV text from its lines (header first), LF line ends and a final newline. */
export function csv(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** One pupils-file line with defaults; pass cells by column name. */
export function pupilLine(cells: Partial<Record<string, string>> = {}): string {
  const row: Record<string, string> = {
    mis_id: 'P0001',
    upn: '',
    legal_first_name: 'Alex',
    legal_last_name: 'Example',
    preferred_first_name: '',
    preferred_last_name: '',
    date_of_birth: '2017-05-01',
    year_group: 'Year 4',
    form: '4E',
    on_roll: 'yes',
    ...cells,
  };
  return PUPILS_HEADER.split(',')
    .map((column) => quote(row[column] ?? ''))
    .join(',');
}

/** One staff-file line with defaults; pass cells by column name. */
export function staffLine(cells: Partial<Record<string, string>> = {}): string {
  const row: Record<string, string> = {
    aad_object_id: '33333333-3333-4333-8333-000000000001',
    display_name: 'Jo Example',
    email: 'jo.example@school.example',
    job_title: 'Teacher',
    roles: 'staff',
    conflict_pupil_ids: '',
    active: 'yes',
    ...cells,
  };
  return STAFF_HEADER.split(',')
    .map((column) => quote(row[column] ?? ''))
    .join(',');
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
