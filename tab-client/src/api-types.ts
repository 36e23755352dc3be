/** The tab API's answers as the client reads them: types from src/tab/tab-responses.ts. */

import type { z } from 'zod';
import type {
  adultConcernAnswer,
  adultConcernListAnswer,
  chartAnswer,
  chronologyPageAnswer,
  deskAnswer,
  devUsersAnswer,
  exportAnswer,
  meAnswer,
  pupilStatusAnswer,
  recordAnswer,
  recordAuditAnswer,
  recordNarrative,
  reportAnswer,
  reportFileAnswer,
  sarAnswer,
  sarReviewAnswer,
  sharingLogAnswer,
  transferAnswer,
  transferImportCheckAnswer,
  transferImportedAnswer,
  transferredFileAnswer,
  transferredRecordAnswer,
  transferSentAnswer,
  legalHoldsAnswer,
  retentionDueAnswer,
  retentionDisposedAnswer,
  retentionRulesAnswer,
} from '../../src/tab/tab-responses';

// The server's schemas of its answers are the contract; these are what arrives as JSON.
export type Me = z.output<typeof meAnswer>;
export type ChronologyPage = z.output<typeof chronologyPageAnswer>;
export type PupilSummary = ChronologyPage['pupil'];
export type ChronologyEntry = ChronologyPage['entries'][number];
export type EntryType = ChronologyEntry['type'];
export const ENTRY_TYPES: readonly EntryType[] = [
  'incident',
  'action',
  'amendment',
  'file',
  'transferred-in',
];
export type ChartData = z.output<typeof chartAnswer>;
export type RecordView = z.output<typeof recordAnswer>;
type NarrativeField = Exclude<keyof z.output<typeof recordNarrative>, 'bodyMap'>;

/** The narrative fields of a record, in the order a reader expects them. */
export const NARRATIVE_LABELS: readonly [NarrativeField, string][] = [
  ['location', 'Where it happened'],
  ['facts', 'What happened'],
  ['childsWords', "The child's words"],
  ['adultsWords', "The adult's words"],
  ['leadingQuestionNote', 'Note on questions asked'],
  ['opinion', 'Opinion (marked as such)'],
  ['actionTaken', 'Action taken'],
  ['actionRequired', 'Action required'],
];

export type RecordAuditLine = z.output<typeof recordAuditAnswer>['events'][number];
export type ExportData = z.output<typeof exportAnswer>;
export type PupilStatusView = z.output<typeof pupilStatusAnswer>;
export type PupilStatus = PupilStatusView['status'];
type StatusFlag = {
  [K in keyof PupilStatus]-?: PupilStatus[K] extends boolean ? K : never;
}[keyof PupilStatus];

/** Every yes/no status with the words a DSL uses (a flag added to the contract must be named here). */
export const STATUS_FLAG_LABELS: Record<StatusFlag, string> = {
  childProtectionPlan: 'Child protection plan',
  childInNeed: 'Child in need',
  ehcp: 'EHCP',
  senSupport: 'SEN support',
  freeSchoolMeals: 'Free school meals',
  pupilPremium: 'Pupil premium',
  youngCarer: 'Young carer',
  eal: 'English as an additional language',
  alternativeProvision: 'Alternative provision placement',
};

export const LOOKED_AFTER_LABELS: Record<PupilStatus['lookedAfter'], string> = {
  no: 'Not looked after',
  'looked-after': 'Looked after',
  'previously-looked-after': 'Previously looked after',
};

export type Desk = z.output<typeof deskAnswer>;

export type DevUser = z.output<typeof devUsersAnswer>['users'][number];

/** The filters the chronology and the export share. */
export interface ChronologyFilter {
  categoryId: string;
  from: string;
  to: string;
  type: EntryType | '';
}

export const NO_FILTER: ChronologyFilter = { categoryId: '', from: '', to: '', type: '' };

/** Concerns about adults, as their case manager reads them (src/tab/adult-concerns/). */
export type AdultConcernList = z.output<typeof adultConcernListAnswer>;
export type AdultConcernLine = AdultConcernList['concerns'][number];
export type AdultConcernView = z.output<typeof adultConcernAnswer>;

/** The roles that may manage a concern about an adult (the server decides each one). */
export const CASE_MANAGER_ROLES: readonly string[] = [
  'head',
  'allegations-deputy',
  'chair-of-governors',
];
// Reports: counts for a period (full, or suppressed for governors), and an export as a file.
export type Report = z.output<typeof reportAnswer>;
export type ReportTable = Report['tables'][number];
export type ShownCount = ReportTable['rows'][number]['cells'][number];
export type ReportFile = z.output<typeof reportFileAnswer>;
// Subject access requests and the information-sharing log.
export type SarRequest = z.output<typeof sarAnswer>['request'];
export type SarReview = z.output<typeof sarReviewAnswer>;
export type SarProposal = SarReview['proposals'][number];
export type SharingEntry = z.output<typeof sharingLogAnswer>['entries'][number];

/** The exemptions a DSL may give for a redaction, in the words of the review page. */
export const EXEMPTION_OPTIONS = [
  ['third-party-data', 'Third-party data'],
  ['serious-harm', 'Serious harm'],
  ['crime-prevention', 'Crime prevention'],
  ['legal-privilege', 'Legal privilege'],
  ['other', 'Other (say which)'],
] as const;

/** Why the app proposed a redaction, as the review page says it. */
export const PROPOSAL_KIND_LABELS: Record<SarProposal['kind'], string> = {
  pupil: 'another pupil',
  'linked-pupil': 'a pupil involved',
  staff: 'staff',
  adult: 'another adult',
  agency: 'agency',
  email: 'email address',
  phone: 'phone number',
  postcode: 'postcode',
  manual: 'withheld by you',
};
// Child protection file transfers (the desk's transfers list opens one).
export type Transfer = z.output<typeof transferAnswer>;
export type TransferSent = z.output<typeof transferSentAnswer>;
// Files arriving from another school: the upload checked, imported, and a record as it arrived.
export type TransferImportCheck = z.output<typeof transferImportCheckAnswer>;
export type TransferImported = z.output<typeof transferImportedAnswer>;
export type TransferredRecord = z.output<typeof transferredRecordAnswer>;
export type TransferredFile = z.output<typeof transferredFileAnswer>;
export type TransferredInLink = NonNullable<ChronologyEntry['transferredIn']>;

// Retention, legal holds and disposal (the team's retention page).
export type RetentionRules = z.output<typeof retentionRulesAnswer>;
export type DueRecord = z.output<typeof retentionDueAnswer>['records'][number];
export type LegalHold = z.output<typeof legalHoldsAnswer>['holds'][number];
export type DisposedRecord = z.output<typeof retentionDisposedAnswer>['disposed'][number];
