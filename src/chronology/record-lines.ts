import type { SchoolScope } from '../shared/school-scope';
import type { IndexedIncident } from './chronology-index.repository';
import type { ChronologyEntry, ChronologySource } from './chronology.types';

/** What a source is asked for: position, filter, how many. */
export type SourceOptions = Parameters<ChronologySource['entriesForPupil']>[2];

/** A pupil's indexed records (ChronologyIndexRepository provides it). */
export interface RecordIndexReader {
  pageForPupil(
    scope: SchoolScope,
    pupilId: string,
    options: SourceOptions,
  ): Promise<IndexedIncident[]>;
}

/**
 * Lines that hang off a pupil's records (actions, amendments), or come from a source of their own
 * (records transferred in), narrowed by dates and position and put newest first (happenedAt,
 * then entryId, both descending), as the service merges them.
 */
export function laterFirst(entries: ChronologyEntry[], options: SourceOptions): ChronologyEntry[] {
  const { after, filter } = options;
  return entries
    .filter((entry) => {
      if (filter.from && entry.happenedAt < filter.from) return false;
      if (filter.to && entry.happenedAt > filter.to) return false;
      if (!after) return true;
      const t = entry.happenedAt.getTime();
      const p = after.happenedAt.getTime();
      return t < p || (t === p && entry.entryId < after.entryId);
    })
    .sort(
      (a, b) => b.happenedAt.getTime() - a.happenedAt.getTime() || (a.entryId < b.entryId ? 1 : -1),
    )
    .slice(0, options.limit);
}

/** What a line says of itself; the rest comes from its record. */
export type OwnLine = Pick<
  ChronologyEntry,
  'entryId' | 'type' | 'happenedAt' | 'recordedAt' | 'recordedByName' | 'amended' | 'title'
>;

/**
 * A line on its record: the record's reference, categories (for the filter), the pupil's role and
 * the record's access facts, so the policy hides the line exactly when it hides its record.
 */
function onRecord(line: OwnLine, record: IndexedIncident): ChronologyEntry {
  return {
    ...line,
    incidentId: record.incidentId,
    reference: record.reference,
    categoryIds: record.categoryIds,
    pupilRole: record.pupilRole,
    status: 'open',
    record: recordFactsOf(record),
  };
}

/** The access facts of a line's record, from its index entry (ids only). */
function recordFactsOf(record: IndexedIncident): ChronologyEntry['record'] {
  return {
    tenantId: record.tenantId,
    schoolId: record.schoolId,
    recordedByAadObjectId: record.recordedByAadObjectId,
    pupilIds: record.pupilIds,
    categoryIds: record.categoryIds,
    alertStaffIds: record.alertStaffIds,
  };
}

// A pupil's records are read whole: a child's file is hundreds of entries at most, and the
// index's seek on the pupil keeps the read independent of the school's size.
const MAX_RECORDS = 2_000;

/**
 * The lines that hang off a pupil's records: reads the pupil's records from the index (narrowed
 * by category, as the lines take their record's categories), loads what hangs off them, and turns
 * each into a line placed by its own time.
 */
export async function linesOfRecords<T extends { readonly incidentId: string }>(
  index: RecordIndexReader,
  scope: SchoolScope,
  pupilId: string,
  options: SourceOptions,
  load: (incidentIds: readonly string[]) => Promise<T[]>,
  toLine: (item: T) => OwnLine,
): Promise<ChronologyEntry[]> {
  const { categoryIds } = options.filter;
  const records = await index.pageForPupil(scope, pupilId, {
    filter: categoryIds ? { categoryIds } : {},
    limit: MAX_RECORDS,
  });
  if (records.length === 0) return [];
  const byIncident = new Map(records.map((r) => [r.incidentId, r]));
  const entries = (await load([...byIncident.keys()])).flatMap((item) => {
    const record = byIncident.get(item.incidentId);
    return record ? [onRecord(toLine(item), record)] : [];
  });
  return laterFirst(entries, options);
}
