import type { AmendmentHeader } from '../incidents';
import type { SchoolScope } from '../shared/school-scope';
import type { ChronologyEntry, ChronologySource } from './chronology.types';
import {
  linesOfRecords,
  type OwnLine,
  type RecordIndexReader,
  type SourceOptions,
} from './record-lines';

/** Who amended which records, without opening them (AmendmentRepository provides it). */
interface AmendmentReader {
  listHeadersForIncidents(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<AmendmentHeader[]>;
}

/**
 * Amendments as chronology lines: placed at when the record was amended, naming who amended it
 * and which fields. The reason and new values stay in the record view (they are narrative). Each
 * takes its record's categories and access facts, so it is hidden exactly when its record is.
 */
export class AmendmentChronologySource implements ChronologySource {
  readonly type = 'amendment' as const;

  constructor(
    private readonly index: RecordIndexReader,
    private readonly amendments: AmendmentReader,
  ) {}

  async entriesForPupil(
    scope: SchoolScope,
    pupilId: string,
    options: SourceOptions,
  ): Promise<ChronologyEntry[]> {
    return linesOfRecords(
      this.index,
      scope,
      pupilId,
      options,
      (ids) => this.amendments.listHeadersForIncidents(scope, ids),
      toLine,
    );
  }
}

function toLine(header: AmendmentHeader): OwnLine {
  return {
    entryId: `amendment:${header.amendmentId}`,
    type: 'amendment',
    happenedAt: header.amendedAt,
    recordedAt: header.amendedAt,
    recordedByName: header.amendedBy.displayName,
    amended: true,
    title: `Amended (version ${header.version}): ${header.changedFields.join(', ')}`,
  };
}
