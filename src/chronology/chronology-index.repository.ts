import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import type { ChronologyFilter, ChronologyPosition, PupilRole } from './chronology.types';

/**
 * A pupil's incident as the chronology index keeps it: enough to list it and to decide access,
 * and no narrative (so the list never reads or decrypts a record). One per record and pupil
 * (subject and each linked pupil), written when a record is stored and rebuilt on demand.
 */
export interface IndexedIncident extends SchoolScope {
  readonly pupilId: string;
  /** `incident:<incidentId>`: the paging tie-breaker, unique across entry types. */
  readonly entryId: string;
  readonly incidentId: string;
  readonly reference: string;
  readonly happenedAt: Date;
  readonly recordedAt: Date;
  readonly recordedByAadObjectId: string;
  readonly recordedByName: string;
  readonly categoryIds: readonly string[];
  readonly pupilRole: PupilRole;
  /** The subject and every linked pupil (conflicts of interest look at all of them). */
  readonly pupilIds: readonly string[];
  readonly alertStaffIds: readonly string[];
}

const indexSchema = new Schema<IndexedIncident>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    pupilId: { type: String, required: true },
    entryId: { type: String, required: true },
    incidentId: { type: String, required: true },
    reference: { type: String, required: true },
    happenedAt: { type: Date, required: true },
    recordedAt: { type: Date, required: true },
    recordedByAadObjectId: { type: String, required: true },
    recordedByName: { type: String, required: true },
    categoryIds: { type: [String], required: true },
    pupilRole: { type: String, required: true },
    pupilIds: { type: [String], required: true },
    alertStaffIds: { type: [String], default: [] },
  },
  { collection: 'chronology_incidents', strict: 'throw', versionKey: false, minimize: false },
);
// One entry per record and pupil: repeating or racing the write inserts nothing twice.
indexSchema.index({ tenantId: 1, schoolId: 1, pupilId: 1, entryId: 1 }, { unique: true });
// A page is one range of this index on MongoDB: cost follows the page, not the school's size.
indexSchema.index({ tenantId: 1, schoolId: 1, pupilId: 1, happenedAt: -1, entryId: -1 });

/**
 * How the index is laid out. `shared`: one collection with a compound index (MongoDB answers a
 * page from an index range). `per-pupil`: one small collection per pupil, for FerretDB, whose
 * SQLite backend uses no index for such a query and would otherwise read the whole school's index
 * for every page; reading one pupil's collection costs that pupil's entries only.
 */
export type ChronologyLayout = 'shared' | 'per-pupil';

/** `per-pupil` on FerretDB (it says so in buildInfo), `shared` on MongoDB. */
export async function chronologyLayoutFor(connection: Connection): Promise<ChronologyLayout> {
  const db = connection.db;
  if (!db) return 'shared';
  const info = await db.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info ? 'per-pupil' : 'shared';
}

/**
 * The chronology's own index of incidents by pupil. A page is one keyset query (no skip) in
 * newest-first order over one pupil's entries: an index range in the shared layout, a read of the
 * pupil's own small collection in the per-pupil layout.
 */
export class ChronologyIndexRepository {
  private readonly model: Model<IndexedIncident>;
  /** Per-pupil collections whose unique index is known to exist. */
  private readonly prepared = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly layout: ChronologyLayout = 'shared',
  ) {
    this.model =
      connection.models.ChronologyIncident ??
      connection.model<IndexedIncident>('ChronologyIncident', indexSchema);
  }

  /** Adds entries; ones already there (a retry, a race, a rebuild) are left as they are. */
  async addMany(entries: readonly IndexedIncident[]): Promise<void> {
    if (this.layout === 'per-pupil') {
      await this.bulkInsert(entries);
      return;
    }
    for (const entry of entries) {
      try {
        await this.model.create(entry);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
  }

  /**
   * Inserts many entries at once, in batches per collection, leaving duplicates as they are (bulk
   * seeding and rebuilds). Entries are written whole, as `addMany` writes them.
   */
  async bulkInsert(entries: readonly IndexedIncident[]): Promise<void> {
    const byCollection = new Map<string, IndexedIncident[]>();
    for (const entry of entries) {
      const name = this.collectionNameFor(entry, entry.pupilId);
      byCollection.set(name, [...(byCollection.get(name) ?? []), entry]);
    }
    for (const [name, batch] of byCollection) {
      await this.prepare(name);
      try {
        await this.connection.collection(name).insertMany(
          batch.map((e) => ({ ...e })),
          { ordered: false },
        );
      } catch (error) {
        if (!isDuplicateKeyError(error) && !allDuplicates(error)) throw error;
      }
    }
  }

  /** Up to `limit` of a pupil's entries after `after`, newest first, narrowed by `filter`. */
  async pageForPupil(
    scope: SchoolScope,
    pupilId: string,
    options: { after?: ChronologyPosition; filter: ChronologyFilter; limit: number },
  ): Promise<IndexedIncident[]> {
    const { after, filter } = options;
    const and: Record<string, unknown>[] = [];
    if (filter.categoryIds?.length) and.push({ categoryIds: { $in: [...filter.categoryIds] } });
    if (filter.from) and.push({ happenedAt: { $gte: filter.from } });
    if (filter.to) and.push({ happenedAt: { $lte: filter.to } });
    if (after) {
      and.push({
        $or: [
          { happenedAt: { $lt: after.happenedAt } },
          { happenedAt: after.happenedAt, entryId: { $lt: after.entryId } },
        ],
      });
    }
    const query = {
      tenantId: scope.tenantId,
      schoolId: scope.schoolId,
      pupilId,
      ...(and.length > 0 ? { $and: and } : {}),
    };
    const sort = { happenedAt: -1, entryId: -1 } as const;
    if (this.layout === 'per-pupil') {
      const docs = await this.connection
        .collection<IndexedIncident>(this.collectionNameFor(scope, pupilId))
        .find(query)
        .sort(sort)
        .limit(options.limit)
        .toArray();
      return docs.map(toIndexed);
    }
    const docs = await this.model.find(query).sort(sort).limit(options.limit).lean();
    return docs.map(toIndexed);
  }

  private collectionNameFor(scope: SchoolScope, pupilId: string): string {
    if (this.layout === 'shared') return 'chronology_incidents';
    // Hashed: ids may hold characters a collection name cannot, and names stay short.
    const key = createHash('sha256')
      .update(`${scope.tenantId}|${scope.schoolId}|${pupilId}`)
      .digest('hex')
      .slice(0, 24);
    return `chronology_pupil_${key}`;
  }

  // The unique index makes repeated and racing writes of the same entry insert it once.
  private async prepare(name: string): Promise<void> {
    if (this.layout === 'shared' || this.prepared.has(name)) return;
    await this.connection.collection(name).createIndex({ entryId: 1 }, { unique: true });
    this.prepared.add(name);
  }
}

/** True when a bulk insert failed only on duplicates (every write error is code 11000). */
function allDuplicates(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: { code?: number }[] } | null)?.writeErrors;
  return Array.isArray(writeErrors) && writeErrors.every((e) => e.code === 11000);
}

// Whitelist on the way out.
function toIndexed(doc: IndexedIncident): IndexedIncident {
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    pupilId: doc.pupilId,
    entryId: doc.entryId,
    incidentId: doc.incidentId,
    reference: doc.reference,
    happenedAt: doc.happenedAt,
    recordedAt: doc.recordedAt,
    recordedByAadObjectId: doc.recordedByAadObjectId,
    recordedByName: doc.recordedByName,
    categoryIds: [...doc.categoryIds],
    pupilRole: doc.pupilRole,
    pupilIds: [...doc.pupilIds],
    alertStaffIds: [...doc.alertStaffIds],
  };
}
