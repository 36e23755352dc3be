import type { SchoolScope } from '../shared/school-scope';

/** A pupil as the school's MIS knows them. Records name pupils by this, never by initials. */
export interface Pupil extends SchoolScope {
  /** The MIS id: stable, unique within the school. */
  readonly pupilId: string;
  /** Unique Pupil Number (England), when known. */
  readonly upn: string | undefined;
  readonly legalFirstName: string;
  readonly legalLastName: string;
  readonly preferredFirstName: string | undefined;
  readonly preferredLastName: string | undefined;
  /** ISO date, YYYY-MM-DD. */
  readonly dateOfBirth: string;
  /** e.g. "Year 7", "Reception". */
  readonly yearGroup: string;
  readonly form: string | undefined;
  readonly onRoll: boolean;
}

/** The name staff know the pupil by, with the legal name when it differs. */
export function pupilDisplayName(pupil: Pupil): string {
  const preferred = `${pupil.preferredFirstName ?? pupil.legalFirstName} ${pupil.preferredLastName ?? pupil.legalLastName}`;
  const legal = `${pupil.legalFirstName} ${pupil.legalLastName}`;
  return preferred === legal ? legal : `${preferred} (${legal})`;
}
