import { Schema, type Connection, type Model } from 'mongoose';
import { nameSearchWords, nameSortKey, wordPrefixPattern } from '../shared/name-search';
import type { SchoolScope } from '../shared/school-scope';
import { upsertMany, type UpsertCounts } from '../store/upsert-many';
import type { Pupil } from './pupil.types';

/** A pupil as stored: the MIS fields plus the derived fields search and sorting use. */
interface PupilDocument extends Pupil {
  /** Folded words of the preferred and legal names, e.g. "jim smith james". */
  readonly searchText: string;
  /** Folded "last first" of the name staff use, for the list order. */
  readonly sortName: string;
}

const optionalText = (maxlength: number) => ({ type: String, required: false, maxlength });

const pupilSchema = new Schema<PupilDocument>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    pupilId: { type: String, required: true, maxlength: 64 },
    upn: optionalText(13),
    legalFirstName: { type: String, required: true, maxlength: 200 },
    legalLastName: { type: String, required: true, maxlength: 200 },
    preferredFirstName: optionalText(200),
    preferredLastName: optionalText(200),
    dateOfBirth: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    yearGroup: { type: String, required: true, maxlength: 30 },
    form: optionalText(20),
    onRoll: { type: Boolean, required: true },
    searchText: { type: String, required: true, maxlength: 2000 },
    sortName: { type: String, required: true, maxlength: 500 },
  },
  { collection: 'pupils', timestamps: true, strict: 'throw' },
);
pupilSchema.index({ tenantId: 1, schoolId: 1, pupilId: 1 }, { unique: true });
// Search is a regex per query word on searchText within one school: the index bounds it to that
// school's keys on MongoDB. The sort (on roll first, then name) works over those matches.
pupilSchema.index({ tenantId: 1, schoolId: 1, searchText: 1 });

const STORED_FIELDS = [
  'upn',
  'legalFirstName',
  'legalLastName',
  'preferredFirstName',
  'preferredLastName',
  'dateOfBirth',
  'yearGroup',
  'form',
  'onRoll',
  'searchText',
  'sortName',
] as const satisfies readonly (keyof PupilDocument)[];

/** Reads and writes a school's pupils; the only place that knows how they are stored. */
export class PupilRepository {
  private readonly model: Model<PupilDocument>;

  constructor(connection: Connection) {
    this.model = connection.models.Pupil ?? connection.model<PupilDocument>('Pupil', pupilSchema);
  }

  /**
   * Pupils of one school whose names have a word starting with each of `words` (already folded
   * by querySearchWords), on-roll first, then by last name.
   */
  async search(scope: SchoolScope, words: readonly string[], limit: number): Promise<Pupil[]> {
    if (words.length === 0) return [];
    const docs = await this.model
      .find({
        tenantId: scope.tenantId,
        schoolId: scope.schoolId,
        $and: words.map((w) => ({ searchText: { $regex: wordPrefixPattern(w) } })),
      })
      .sort({ onRoll: -1, sortName: 1, pupilId: 1 })
      .limit(limit)
      .lean();
    return docs.map(toPupil);
  }

  /** Every pupil of one school (on roll or not), by last name, up to `limit`. */
  async listAll(scope: SchoolScope, limit: number): Promise<Pupil[]> {
    const docs = await this.model
      .find({ tenantId: scope.tenantId, schoolId: scope.schoolId })
      .sort({ sortName: 1, pupilId: 1 })
      .limit(limit)
      .lean();
    return docs.map(toPupil);
  }

  /** The pupils of one school with these MIS ids; unknown ids are simply absent. */
  async findByIds(scope: SchoolScope, pupilIds: readonly string[]): Promise<Pupil[]> {
    const ids = [...new Set(pupilIds)];
    const found: Pupil[] = [];
    // Chunked so an import of a whole school stays within sensible query sizes.
    for (let i = 0; i < ids.length; i += 500) {
      const docs = await this.model
        .find({
          tenantId: scope.tenantId,
          schoolId: scope.schoolId,
          pupilId: { $in: ids.slice(i, i + 500) },
        })
        .lean();
      found.push(...docs.map(toPupil));
    }
    return found;
  }

  /** Creates or updates pupils by MIS id, writing only what changed; safe to repeat. */
  async upsertMany(
    scope: SchoolScope,
    pupils: readonly Omit<Pupil, keyof SchoolScope>[],
  ): Promise<UpsertCounts> {
    const documents = pupils.map((p): PupilDocument => ({
      ...p,
      tenantId: scope.tenantId,
      schoolId: scope.schoolId,
      searchText: nameSearchWords(
        p.preferredFirstName,
        p.preferredLastName,
        p.legalFirstName,
        p.legalLastName,
      ).join(' '),
      sortName: nameSortKey(
        p.preferredLastName ?? p.legalLastName,
        p.preferredFirstName ?? p.legalFirstName,
      ),
    }));
    return upsertMany(this.model, {
      scope: { tenantId: scope.tenantId, schoolId: scope.schoolId },
      keyField: 'pupilId',
      fields: STORED_FIELDS,
      documents,
    });
  }
}

/** Whitelists the fields that leave the repository (never _id, timestamps or search fields). */
function toPupil(doc: Pupil): Pupil {
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    pupilId: doc.pupilId,
    upn: doc.upn ?? undefined,
    legalFirstName: doc.legalFirstName,
    legalLastName: doc.legalLastName,
    preferredFirstName: doc.preferredFirstName ?? undefined,
    preferredLastName: doc.preferredLastName ?? undefined,
    dateOfBirth: doc.dateOfBirth,
    yearGroup: doc.yearGroup,
    form: doc.form ?? undefined,
    onRoll: doc.onRoll,
  };
}
