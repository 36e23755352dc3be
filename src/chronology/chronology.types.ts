import type { SchoolScope } from '../shared/school-scope';

/** The kinds of entry a chronology merges; sources for actions and amendments plug in later. */
export const CHRONOLOGY_ENTRY_TYPES = [
  'incident',
  'action',
  'amendment',
  'file',
  // Records another school sent with the child (src/transfers), shown as they arrived.
  'transferred-in',
] as const;
type ChronologyEntryType = (typeof CHRONOLOGY_ENTRY_TYPES)[number];

/** How the pupil is involved in the record behind an entry. */
export type PupilRole = 'subject' | 'linked';

/**
 * One line of a pupil's chronology as a source gives it: a summary (never narrative) plus the
 * access facts of the record it belongs to, so the policy can decide before anything leaves.
 */
export interface ChronologyEntry {
  /** Unique across types: the paging tie-breaker. */
  readonly entryId: string;
  readonly type: ChronologyEntryType;
  readonly incidentId: string;
  readonly reference: string;
  readonly happenedAt: Date;
  readonly recordedAt: Date;
  readonly recordedByName: string;
  readonly categoryIds: readonly string[];
  readonly pupilRole: PupilRole;
  readonly status: 'open' | 'closed';
  readonly amended: boolean;
  /** On a record's own line: whether the team has marked it reviewed (read at page time). */
  readonly reviewed?: boolean;
  /** On a line another school sent: which package and record it is, to open it as it arrived. */
  readonly transferredIn?: {
    readonly packageId: string;
    readonly incidentId: string;
    readonly fromSchool: string;
    readonly receivedAt: Date;
  };
  /** Another school's category names, as it sent them (its ids mean nothing here). */
  readonly categoryNamesAsSent?: readonly string[];
  /** A disposed record's tombstone line (src/retention): nothing of it can be opened. */
  readonly disposed?: true;
  /** A short, non-narrative label such as "Concern recorded" or "Action: call parent". */
  readonly title: string;
  /** The record the entry belongs to, as access needs it (the service adds what else is known). */
  readonly record: ChronologyRecordFacts;
}

/** What a source knows about an entry's record for the access policy. Ids only. */
interface ChronologyRecordFacts extends SchoolScope {
  readonly recordedByAadObjectId: string;
  readonly pupilIds: readonly string[];
  readonly categoryIds: readonly string[];
  readonly alertStaffIds: readonly string[];
}

/** Where a page starts: strictly after this entry in newest-first order. */
export interface ChronologyPosition {
  readonly happenedAt: Date;
  readonly entryId: string;
}

/**
 * Where chronology entries come from. The incident index is one; actions and amendments plug in
 * theirs. A source answers one batch at a time, newest first (happenedAt, then entryId, both
 * descending), strictly after `after`, already narrowed by the filter's categories and dates;
 * the service merges the sources, checks access entry by entry and pages by cursor.
 */
export interface ChronologySource {
  readonly type: ChronologyEntryType;
  entriesForPupil(
    scope: SchoolScope,
    pupilId: string,
    options: {
      readonly after?: ChronologyPosition;
      readonly filter: ChronologyFilter;
      readonly limit: number;
    },
  ): Promise<ChronologyEntry[]>;
}

/** What a reader may narrow a chronology by. */
export interface ChronologyFilter {
  readonly categoryIds?: readonly string[];
  /** Inclusive, start of day (UTC). */
  readonly from?: Date;
  /** Inclusive: entries up to the end of this day (UTC). */
  readonly to?: Date;
  readonly types?: readonly ChronologyEntryType[];
}
