import type { Incident } from '../incidents';
import type { SchoolScope } from '../shared/school-scope';
import type { IndexedIncident } from './chronology-index.repository';
import type { ChronologyEntry, ChronologySource } from './chronology.types';

/** What the incident source needs from the index (ChronologyIndexRepository provides it). */
interface IncidentIndexReader {
  pageForPupil(
    scope: SchoolScope,
    pupilId: string,
    options: Parameters<ChronologySource['entriesForPupil']>[2],
  ): Promise<IndexedIncident[]>;
}

/** What writing the index needs (ChronologyIndexRepository provides it). */
interface IncidentIndexWriter {
  addMany(entries: readonly IndexedIncident[]): Promise<unknown>;
  updateListing(
    scope: SchoolScope,
    record: { incidentId: string; pupilIds: readonly string[] },
    fields: { happenedAt: Date; categoryIds: readonly string[] },
  ): Promise<void>;
}

/** A record's listing fields as its amendments left them (AmendmentRepository provides it). */
export interface AmendedListingReader {
  amendedListing(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<
    ReadonlyMap<string, { readonly happenedAt?: Date; readonly categoryIds?: readonly string[] }>
  >;
}

/** The fields of a record the index keeps. */
export type IndexableIncident = Pick<
  Incident,
  | 'tenantId'
  | 'schoolId'
  | 'incidentId'
  | 'reference'
  | 'happenedAt'
  | 'recordedAt'
  | 'recordedBy'
  | 'pupilId'
  | 'linkedPupils'
  | 'categoryIds'
  | 'alertStaffIds'
>;

/** The index entries of one record: one for its subject and one per linked pupil. */
export function indexEntriesFor(incident: IndexableIncident): IndexedIncident[] {
  const pupilIds = [incident.pupilId, ...incident.linkedPupils.map((p) => p.pupilId)];
  const base = {
    tenantId: incident.tenantId,
    schoolId: incident.schoolId,
    entryId: `incident:${incident.incidentId}`,
    incidentId: incident.incidentId,
    reference: incident.reference,
    happenedAt: incident.happenedAt,
    recordedAt: incident.recordedAt,
    recordedByAadObjectId: incident.recordedBy.aadObjectId,
    recordedByName: incident.recordedBy.displayName,
    categoryIds: [...incident.categoryIds],
    pupilIds: [...new Set(pupilIds)],
    alertStaffIds: [...incident.alertStaffIds],
  };
  return [...new Set(pupilIds)].map((pupilId) => ({
    ...base,
    pupilId,
    pupilRole: pupilId === incident.pupilId ? ('subject' as const) : ('linked' as const),
  }));
}

/**
 * Keeps the chronology index in step with the records: called when a record is stored, and by
 * `rebuild` for records stored before the index existed (or after a crash between the two).
 */
export class ChronologyIndexer {
  constructor(private readonly index: IncidentIndexWriter) {}

  /** Indexes one record for its subject and linked pupils; repeating it changes nothing. */
  async indexIncident(incident: IndexableIncident): Promise<void> {
    await this.index.addMany(indexEntriesFor(incident));
  }

  /**
   * Brings a record's entries in line with its amendments: when it happened, its categories.
   * Reads the amendments rather than trusting an event's order, so a late or repeated event
   * cannot put an older version back.
   */
  async reflectAmendments(
    incident: IndexableIncident,
    amendments: AmendedListingReader,
  ): Promise<void> {
    const amended = (await amendments.amendedListing(incident, [incident.incidentId])).get(
      incident.incidentId,
    );
    await this.index.updateListing(
      incident,
      {
        incidentId: incident.incidentId,
        pupilIds: [incident.pupilId, ...incident.linkedPupils.map((p) => p.pupilId)],
      },
      {
        happenedAt: amended?.happenedAt ?? incident.happenedAt,
        categoryIds: amended?.categoryIds ?? incident.categoryIds,
      },
    );
  }

  /** Indexes every record a reader yields (oldest first); returns how many were read. */
  async rebuild(records: AsyncIterable<IndexableIncident>): Promise<number> {
    let count = 0;
    for await (const record of records) {
      await this.indexIncident(record);
      count += 1;
    }
    return count;
  }
}

/** Incidents as chronology entries, from the index (never from the records themselves). */
export class IncidentChronologySource implements ChronologySource {
  readonly type = 'incident' as const;

  constructor(private readonly index: IncidentIndexReader) {}

  async entriesForPupil(
    scope: SchoolScope,
    pupilId: string,
    options: Parameters<ChronologySource['entriesForPupil']>[2],
  ): Promise<ChronologyEntry[]> {
    const rows = await this.index.pageForPupil(scope, pupilId, options);
    return rows.map((row) => ({
      entryId: row.entryId,
      type: 'incident',
      incidentId: row.incidentId,
      reference: row.reference,
      happenedAt: row.happenedAt,
      recordedAt: row.recordedAt,
      recordedByName: row.recordedByName,
      categoryIds: row.categoryIds,
      pupilRole: row.pupilRole,
      // Closing records and amendments arrive with their features; until then every record is
      // open and unamended.
      status: 'open',
      amended: false,
      title: row.disposal
        ? `Disposed on ${row.disposal.disposedOn} under rule ${row.disposal.rule}`
        : 'Concern recorded',
      ...(row.disposal ? { disposed: true as const } : {}),
      record: {
        tenantId: row.tenantId,
        schoolId: row.schoolId,
        recordedByAadObjectId: row.recordedByAadObjectId,
        pupilIds: row.pupilIds,
        categoryIds: row.categoryIds,
        alertStaffIds: row.alertStaffIds,
      },
    }));
  }
}
