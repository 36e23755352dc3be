import { z } from 'zod';
import { AppError } from '../shared/errors';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { TtlCache } from '../shared/ttl-cache';

/** How long another instance may show a list from before an admin's edit. */
const LIST_CACHE_MS = 30_000;
const scopeKey = (scope: SchoolScope) => `${scope.tenantId}/${scope.schoolId}`;
import { DEFAULT_AGENCIES, DEFAULT_CATEGORIES } from './default-lists';
import type { Agency, AgencyInput, Category, CategoryInput } from './school-lists.types';

/** What the school lists need from storage (SchoolListsRepository provides it). */
export interface SchoolListsStore {
  listCategories(scope: SchoolScope, options: { activeOnly: boolean }): Promise<Category[]>;
  listAgencies(scope: SchoolScope, options: { activeOnly: boolean }): Promise<Agency[]>;
  upsertCategory(category: Category): Promise<void>;
  upsertAgency(agency: Agency): Promise<void>;
  insertMissingCategories(scope: SchoolScope, categories: readonly Category[]): Promise<number>;
  insertMissingAgencies(scope: SchoolScope, agencies: readonly Agency[]): Promise<number>;
}

// Control characters and bidirectional overrides have no place in a label shown to staff.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const listName = z
  .string()
  .trim()
  .min(1, 'name is required')
  .max(100, 'name is longer than 100 characters')
  .refine((v) => !UNSAFE_CHARACTERS.test(v), 'name contains control characters');
const slug = z
  .string()
  .max(60, 'id is longer than 60 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'id must be a slug: lower-case words joined by hyphens');
const order = z.number().int().min(0).max(1_000_000);

const categoryInputSchema = z.strictObject({
  categoryId: slug,
  name: listName,
  teamOnly: z.boolean(),
  offersBodyMap: z.boolean(),
  active: z.boolean(),
  order,
});

const agencyInputSchema = z.strictObject({
  agencyId: slug,
  name: listName,
  childrensSocialCare: z.boolean().default(false),
  active: z.boolean(),
  order,
});

/** How many defaults seeding added (0 and 0 when the school already had them all). */
export interface SeededLists {
  readonly categoriesAdded: number;
  readonly agenciesAdded: number;
}

/**
 * A school's own lists of concern categories and outside agencies. Each school owns its copy:
 * defaults are only ever added where missing, so an admin's edits survive every restart.
 */
export class SchoolLists {
  constructor(private readonly store: SchoolListsStore) {}

  // Every form and alert reads these; they change a few times a year.
  private readonly categories = new TtlCache<Category[]>(LIST_CACHE_MS);
  private readonly agencies = new TtlCache<Agency[]>(LIST_CACHE_MS);

  /** The active categories a record may use, in the school's order. */
  async listCategories(scope: SchoolScope): Promise<Category[]> {
    return this.categories.get(scopeKey(scope), () =>
      this.store.listCategories(scope, { activeOnly: true }),
    );
  }

  /** The active agencies a record may involve, in the school's order. */
  async listAgencies(scope: SchoolScope): Promise<Agency[]> {
    return this.agencies.get(scopeKey(scope), () =>
      this.store.listAgencies(scope, { activeOnly: true }),
    );
  }

  /**
   * Creates or replaces one category (admins; the caller checks the admin role). The input is
   * checked as untrusted: a slug id, a name of at most 100 characters, no unknown keys. Throws
   * SCHOOL_LISTS.INVALID naming each bad field. Deactivate a category rather than deleting it:
   * old records still name it.
   */
  async upsertCategory(scope: SchoolScope, category: CategoryInput): Promise<Category> {
    const input = parse(categoryInputSchema, category, 'category');
    const stored: Category = { ...scoped(scope), ...input };
    await this.store.upsertCategory(stored);
    this.categories.delete(scopeKey(scope));
    return stored;
  }

  /** Creates or replaces one agency (admins), checked like {@link upsertCategory}. */
  async upsertAgency(scope: SchoolScope, agency: AgencyInput): Promise<Agency> {
    const input = parse(agencyInputSchema, agency, 'agency');
    const stored: Agency = { ...scoped(scope), ...input };
    await this.store.upsertAgency(stored);
    this.agencies.delete(scopeKey(scope));
    return stored;
  }

  /**
   * Gives the school the default categories and agencies it does not have yet (by id). Never
   * overwrites an existing entry, however edited or deactivated; safe on every start.
   */
  async seedDefaultLists(scope: SchoolScope): Promise<SeededLists> {
    const own = scoped(scope);
    this.categories.delete(scopeKey(scope));
    this.agencies.delete(scopeKey(scope));
    const categoriesAdded = await this.store.insertMissingCategories(
      scope,
      DEFAULT_CATEGORIES.map((c) => ({ ...own, ...c })),
    );
    const agenciesAdded = await this.store.insertMissingAgencies(
      scope,
      DEFAULT_AGENCIES.map((a) => ({ ...own, ...a })),
    );
    return { categoriesAdded, agenciesAdded };
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`);
  throw new AppError('SCHOOL_LISTS.INVALID', `Invalid ${what}: ${problems.join('; ')}`);
}
