/** The tab API's answers as the client reads them (src/tab/tab-routes.ts is the contract). */

export interface Me {
  displayName: string;
  roles: string[];
  isSafeguardingTeam: boolean;
  steppedUp: boolean;
  schoolName: string;
  development: boolean;
  inactivityMinutes: number;
}

export interface PupilSummary {
  pupilId: string;
  displayName: string;
  yearGroup: string;
}

export type EntryType = 'incident' | 'action' | 'amendment' | 'file';
export const ENTRY_TYPES: readonly EntryType[] = ['incident', 'action', 'amendment', 'file'];

export interface ChronologyEntry {
  entryId: string;
  type: EntryType;
  incidentId: string;
  reference: string;
  happenedAt: string;
  recordedAt: string;
  recordedByName: string;
  categoryNames: string[];
  pupilRole: 'subject' | 'linked';
  status: 'open' | 'closed';
  amended: boolean;
  title: string;
}

export interface ChronologyPage {
  pupil: PupilSummary;
  entries: ChronologyEntry[];
  nextCursor: string | null;
  categories: { categoryId: string; name: string }[];
}

export interface ChartData {
  months: string[];
  series: { categoryName: string; counts: number[] }[];
}

/** The narrative fields of a record, in the order a reader expects them. */
export interface Narrative {
  location: string;
  facts: string;
  childsWords: string;
  adultsWords: string;
  leadingQuestionNote: string;
  opinion: string;
  actionTaken: string;
  actionRequired: string;
  bodyMap?: { region: string; description?: string; note?: string }[];
}

export const NARRATIVE_LABELS: readonly [keyof Omit<Narrative, 'bodyMap'>, string][] = [
  ['location', 'Where it happened'],
  ['facts', 'What happened'],
  ['childsWords', "The child's words"],
  ['adultsWords', "The adult's words"],
  ['leadingQuestionNote', 'Note on questions asked'],
  ['opinion', 'Opinion (marked as such)'],
  ['actionTaken', 'Action taken'],
  ['actionRequired', 'Action required'],
];

export interface RecordView {
  incident: Narrative & {
    incidentId: string;
    reference: string;
    happenedAt: string;
    recordedAt: string;
    recordedByName: string;
    pupil: { pupilId: string; displayName: string };
    linkedPupils: { pupilId: string; displayName: string; role: string }[];
    categoryNames: string[];
    agencyNames: string[];
    status: 'open' | 'closed';
  };
  files: { fileId: string; fileName: string; uploadedAt: string; uploadedByName: string }[];
  /** Oldest first; the narrative shown already reads as amended. */
  amendments: {
    version: number;
    amendedByName: string;
    amendedAt: string;
    reason: string;
    changedFields: string[];
  }[];
  actions: {
    actionId: string;
    kind: string;
    happenedAt: string;
    authorName: string;
    text: string;
  }[];
}

export interface ExportData {
  exportedByName: string;
  exportedAt: string;
  pupil: PupilSummary;
  entries: (ChronologyEntry & Partial<Narrative>)[];
}

export interface DevUser {
  aadObjectId: string;
  displayName: string;
  roles: string[];
}

/** The filters the chronology and the export share. */
export interface ChronologyFilter {
  categoryId: string;
  from: string;
  to: string;
  type: EntryType | '';
}

export const NO_FILTER: ChronologyFilter = { categoryId: '', from: '', to: '', type: '' };
