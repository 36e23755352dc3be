import type { SchoolScope } from '../shared/school-scope';
import type {
  ChronologyEntry,
  ChronologyFilter,
  ChronologyPosition,
  ChronologySource,
} from './chronology.types';

/** Newest first: later happenedAt, then the larger entryId (the order every source keeps). */
function isNewerThan(a: ChronologyPosition, b: ChronologyPosition): boolean {
  const dt = a.happenedAt.getTime() - b.happenedAt.getTime();
  return dt !== 0 ? dt > 0 : a.entryId > b.entryId;
}

/** One source read lazily, a batch at a time, from a position on. */
class SourceReader {
  private buffer: ChronologyEntry[] = [];
  private done = false;

  constructor(
    private readonly source: ChronologySource,
    private readonly scope: SchoolScope,
    private readonly pupilId: string,
    private readonly filter: ChronologyFilter,
    private after: ChronologyPosition | undefined,
    private readonly batchSize: number,
  ) {}

  /** The next entry without taking it; undefined when the source has no more. */
  async peek(): Promise<ChronologyEntry | undefined> {
    if (this.buffer.length === 0 && !this.done) {
      const batch = await this.source.entriesForPupil(this.scope, this.pupilId, {
        after: this.after,
        filter: this.filter,
        limit: this.batchSize,
      });
      this.buffer = batch;
      if (batch.length < this.batchSize) this.done = true;
      const last = batch.at(-1);
      if (last) this.after = last;
    }
    return this.buffer[0];
  }

  take(): void {
    this.buffer.shift();
  }
}

/**
 * Every source's entries for a pupil merged newest first, read lazily from `after` on: a page
 * reads about as many entries as it shows (plus those access hides), whatever the pupil's total.
 */
export async function* mergedEntries(
  sources: readonly ChronologySource[],
  scope: SchoolScope,
  pupilId: string,
  filter: ChronologyFilter,
  after: ChronologyPosition | undefined,
  batchSize: number,
): AsyncGenerator<ChronologyEntry> {
  const readers = sources
    .filter((s) => !filter.types || filter.types.includes(s.type))
    .map((s) => new SourceReader(s, scope, pupilId, filter, after, batchSize));
  for (;;) {
    let newest: { reader: SourceReader; entry: ChronologyEntry } | undefined;
    for (const reader of readers) {
      const entry = await reader.peek();
      if (entry && (!newest || isNewerThan(entry, newest.entry))) newest = { reader, entry };
    }
    if (!newest) return;
    newest.reader.take();
    yield newest.entry;
  }
}
