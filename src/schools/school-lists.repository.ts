import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { duplicateKeyFailures } from '../store/upsert-many';
import type { Agency, Category } from './school-lists.types';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The default list's children's social care agency (src/schools/default-lists.ts). */
const LEGACY_SOCIAL_CARE_ID = 'social-care-mash';

const categorySchema = new Schema<Category>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    categoryId: { type: String, required: true, maxlength: 60, match: SLUG },
    name: { type: String, required: true, maxlength: 100 },
    teamOnly: { type: Boolean, required: true },
    offersBodyMap: { type: Boolean, required: true },
    active: { type: Boolean, required: true },
    order: { type: Number, required: true },
  },
  { collection: 'categories', timestamps: true, strict: 'throw' },
);
categorySchema.index({ tenantId: 1, schoolId: 1, categoryId: 1 }, { unique: true });

const agencySchema = new Schema<Agency>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    agencyId: { type: String, required: true, maxlength: 60, match: SLUG },
    name: { type: String, required: true, maxlength: 100 },
    childrensSocialCare: { type: Boolean },
    active: { type: Boolean, required: true },
    order: { type: Number, required: true },
  },
  { collection: 'agencies', timestamps: true, strict: 'throw' },
);
agencySchema.index({ tenantId: 1, schoolId: 1, agencyId: 1 }, { unique: true });

// A school's lists are short; this only stops a runaway list from becoming an unbounded read.
const MAX_LIST = 500;

/** Reads and writes a school's categories and agencies. */
export class SchoolListsRepository {
  private readonly categories: Model<Category>;
  private readonly agencies: Model<Agency>;

  constructor(connection: Connection) {
    this.categories =
      connection.models.SchoolCategory ??
      connection.model<Category>('SchoolCategory', categorySchema);
    this.agencies =
      connection.models.SchoolAgency ?? connection.model<Agency>('SchoolAgency', agencySchema);
  }

  /** The school's categories by order (then name); only active ones unless asked otherwise. */
  async listCategories(scope: SchoolScope, options: { activeOnly: boolean }): Promise<Category[]> {
    const docs = await this.categories
      .find({ ...scoped(scope), ...(options.activeOnly ? { active: true } : {}) })
      .sort({ order: 1, name: 1, categoryId: 1 })
      .limit(MAX_LIST)
      .lean();
    return docs.map(toCategory);
  }

  /** The school's agencies by order (then name); only active ones unless asked otherwise. */
  async listAgencies(scope: SchoolScope, options: { activeOnly: boolean }): Promise<Agency[]> {
    const docs = await this.agencies
      .find({ ...scoped(scope), ...(options.activeOnly ? { active: true } : {}) })
      .sort({ order: 1, name: 1, agencyId: 1 })
      .limit(MAX_LIST)
      .lean();
    return docs.map(toAgency);
  }

  /** Creates or replaces one category by (tenantId, schoolId, categoryId). */
  async upsertCategory(category: Category): Promise<void> {
    const { tenantId, schoolId, categoryId, ...fields } = category;
    await upsertOne(this.categories, { tenantId, schoolId, categoryId }, fields);
  }

  /** Creates or replaces one agency by (tenantId, schoolId, agencyId). */
  async upsertAgency(agency: Agency): Promise<void> {
    const { tenantId, schoolId, agencyId, ...fields } = agency;
    await upsertOne(this.agencies, { tenantId, schoolId, agencyId }, fields);
  }

  /**
   * Inserts the categories the school does not have yet (by id) and never touches the ones it
   * has, edited or deactivated. Returns how many were added.
   */
  async insertMissingCategories(
    scope: SchoolScope,
    categories: readonly Category[],
  ): Promise<number> {
    const existing = new Set(
      await this.categories.distinct('categoryId', scoped(scope)).then((ids) => ids.map(String)),
    );
    return insertAll(
      this.categories,
      categories.filter((c) => !existing.has(c.categoryId)),
    );
  }

  /** Inserts the agencies the school does not have yet and never touches the ones it has. */
  async insertMissingAgencies(scope: SchoolScope, agencies: readonly Agency[]): Promise<number> {
    const existing = new Set(
      await this.agencies.distinct('agencyId', scoped(scope)).then((ids) => ids.map(String)),
    );
    return insertAll(
      this.agencies,
      agencies.filter((a) => !existing.has(a.agencyId)),
    );
  }
}

/** An upsert; the loser of two racing first inserts (duplicate key) retries as an update. */
async function upsertOne<T>(
  model: Model<T>,
  filter: Record<string, string>,
  fields: Record<string, unknown>,
): Promise<void> {
  try {
    await model.updateOne(filter as never, { $set: fields }, { upsert: true });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await model.updateOne(filter as never, { $set: fields });
  }
}

/** Inserts documents; ones another writer inserted meanwhile (duplicate key) are not counted. */
async function insertAll<T>(model: Model<T>, docs: readonly T[]): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    await model.insertMany([...docs], { ordered: false, throwOnValidationError: true });
    return docs.length;
  } catch (error) {
    const duplicates = duplicateKeyFailures(error);
    if (duplicates === undefined) throw error;
    return docs.length - duplicates;
  }
}

/** Whitelists the fields that leave the repository. */
function toCategory(doc: Category): Category {
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    categoryId: doc.categoryId,
    name: doc.name,
    teamOnly: doc.teamOnly,
    offersBodyMap: doc.offersBodyMap,
    active: doc.active,
    order: doc.order,
  };
}

function toAgency(doc: Agency): Agency {
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    agencyId: doc.agencyId,
    name: doc.name,
    // Agencies stored before the flag existed: the default list's social care agency was the one
    // the clock ran for then, so it keeps running for it.
    childrensSocialCare: doc.childrensSocialCare ?? doc.agencyId === LEGACY_SOCIAL_CARE_ID,
    active: doc.active,
    order: doc.order,
  };
}
