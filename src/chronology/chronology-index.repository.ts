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
 * The chronology's own index of incidents by pupil. A page is one keyset query (no skip) in
 * newest-first order. On MongoDB it is an index range; FerretDB 1.24's SQLite backend uses no
 * index for it (nor, in fact, for `_id`: see README, "Chronology and the embedded store").
 */
export class ChronologyIndexRepository {
  private readonly model: Model<IndexedIncident>;

  constructor(connection: Connection) {
    this.model =
      connection.models.ChronologyIncident ??
      connection.model<IndexedIncident>('ChronologyIncident', indexSchema);
  }

  /** Adds entries; ones already there (a retry, a race, a rebuild) are left as they are. */
  async addMany(entries: readonly IndexedIncident[]): Promise<void> {
    for (const entry of entries) {
      try {
        await this.model.create(entry);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
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
    const docs = await this.model
      .find({
        tenantId: scope.tenantId,
        schoolId: scope.schoolId,
        pupilId,
        ...(and.length > 0 ? { $and: and } : {}),
      })
      .sort({ happenedAt: -1, entryId: -1 })
      .limit(options.limit)
      .lean();
    return docs.map(toIndexed);
  }

  /** How many entries the index holds for a school (rebuild reports, bench). */
  async count(scope: SchoolScope): Promise<number> {
    return this.model.countDocuments({ tenantId: scope.tenantId, schoolId: scope.schoolId });
  }
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
