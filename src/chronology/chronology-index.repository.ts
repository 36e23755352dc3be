import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';
import { insertFailuresOf } from '../store/insert-failures';
import { scoped, type SchoolScope } from '../shared/school-scope';
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
  /** Set on a disposed record's tombstone line (src/retention): when, and under which rule. */
  readonly disposal?: { readonly disposedOn: string; readonly rule: string };
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
    disposal: { type: new Schema({ disposedOn: String, rule: String }, { _id: false }) },
  },
  { collection: 'chronology_incidents', strict: 'throw', versionKey: false, minimize: false },
);
// One entry per record and pupil: repeating or racing the write inserts nothing twice. (The
// guarantee comes from the unique index on insert, not from a read-then-write: FerretDB gives no
// atomic read-modify-write under concurrency, and reports a duplicate key only on insert.)
indexSchema.index({ tenantId: 1, schoolId: 1, pupilId: 1, entryId: 1 }, { unique: true });
// A page seeks this index on the pupil; the rest of the page's query narrows what that returns.
indexSchema.index({ tenantId: 1, schoolId: 1, pupilId: 1, happenedAt: -1, entryId: -1 });

/**
 * The chronology's own index of incidents by pupil: one collection (`chronology_incidents`) for
 * every school and pupil. A page is one keyset query (no skip) in newest-first order over one
 * pupil's entries, found through the compound index on `tenantId, schoolId, pupilId`.
 */
export class ChronologyIndexRepository {
  private readonly model: Model<IndexedIncident>;

  constructor(connection: Connection) {
    this.model =
      connection.models.ChronologyIncident ??
      connection.model<IndexedIncident>('ChronologyIncident', indexSchema);
  }

  /** Resolves once the collection and its indexes exist (the unique one before any write). */
  async ready(): Promise<void> {
    await this.model.init();
  }

  /**
   * Adds entries in one unordered insert; ones already there (a retry, a race, a rebuild, a
   * migration run twice) are left as they are. Returns how many were new.
   */
  async addMany(entries: readonly IndexedIncident[]): Promise<number> {
    if (entries.length === 0) return 0;
    const docs = entries.map((entry) => new this.model(entry));
    await Promise.all(docs.map((doc) => doc.validate()));
    try {
      await this.model.collection.insertMany(
        docs.map((doc) => doc.toObject()),
        { ordered: false },
      );
      return docs.length;
    } catch (error) {
      const failures = insertFailuresOf(error);
      if (!failures || failures.some((f) => !isDuplicateKeyError(f))) throw error;
      return docs.length - failures.length;
    }
  }

  /**
   * Sets a record's listing fields on its entries (one per pupil): an amendment of when it
   * happened moves its line, one of its categories changes who sees it. Repeating it is harmless.
   */
  async updateListing(
    scope: SchoolScope,
    record: { incidentId: string; pupilIds: readonly string[] },
    fields: { happenedAt: Date; categoryIds: readonly string[] },
  ): Promise<void> {
    await this.model.updateMany(
      {
        ...scoped(scope),
        // The pupils lead the unique index, so this is a seek, not a scan.
        pupilId: { $in: [...record.pupilIds] },
        entryId: `incident:${record.incidentId}`,
      },
      { $set: { happenedAt: fields.happenedAt, categoryIds: [...fields.categoryIds] } },
    );
  }

  /**
   * Disposal (src/retention), the index's one sanctioned removal: a record's lines for every
   * pupil go, and one tombstone line for its subject takes their place (reference, dates,
   * categories, who disposed and under which rule), so the chronology still shows the gap.
   */
  async replaceWithTombstone(scope: SchoolScope, tombstone: IndexedIncident): Promise<void> {
    await this.model.collection.deleteMany({
      ...scoped(scope),
      entryId: `incident:${tombstone.incidentId}`,
    });
    await this.addMany([tombstone]);
  }

  /** A disposed record's tombstone line, if the record was disposed of (a rare, unindexed read). */
  async disposalOf(
    scope: SchoolScope,
    incidentId: string,
  ): Promise<{ reference: string; disposedOn: string; rule: string } | undefined> {
    const doc = await this.model
      .findOne({ ...scoped(scope), entryId: `incident:${incidentId}`, disposal: { $exists: true } })
      .lean();
    return doc?.disposal
      ? { reference: doc.reference, disposedOn: doc.disposal.disposedOn, rule: doc.disposal.rule }
      : undefined;
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
    const docs = await this.model
      .find(query)
      .sort({ happenedAt: -1, entryId: -1 })
      .limit(options.limit)
      .lean();
    return docs.map(toIndexed);
  }
}

/** An entry as stored, whitelisted on the way out (no `_id`, nothing the schema does not know). */
export function toIndexed(doc: IndexedIncident): IndexedIncident {
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
    ...(doc.disposal
      ? { disposal: { disposedOn: doc.disposal.disposedOn, rule: doc.disposal.rule } }
      : {}),
  };
}
