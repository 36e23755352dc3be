import { z } from 'zod';
import { CHRONOLOGY_ENTRY_TYPES, type ChronologyFilter } from '../chronology';
import { AppError } from '../shared/errors';

/** MIS and record ids: letters, digits and a little punctuation, never a Mongo operator. */
export const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/);

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)));
const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(2000)
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(item).max(50));

const filterSchema = z.object({
  categoryIds: list(idSchema).optional(),
  from: day.optional(),
  to: day.optional(),
  types: list(z.enum(CHRONOLOGY_ENTRY_TYPES)).optional(),
});

const chronologyQuerySchema = filterSchema.extend({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(400).optional(),
});

/** Parses a value through a schema; anything wrong is a 400, not a crash. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('TAB.BAD_REQUEST', 'request not understood');
  return parsed.data;
}

function toFilter(q: z.output<typeof filterSchema>): ChronologyFilter {
  return {
    ...(q.categoryIds?.length ? { categoryIds: q.categoryIds } : {}),
    ...(q.from ? { from: new Date(`${q.from}T00:00:00.000Z`) } : {}),
    ...(q.to ? { to: new Date(`${q.to}T23:59:59.999Z`) } : {}),
    ...(q.types?.length ? { types: q.types } : {}),
  };
}

/** The chronology query string: limit, cursor and filters. */
export function parseChronologyQuery(query: unknown): {
  limit: number;
  cursor?: string;
  filter: ChronologyFilter;
} {
  const q = parseOr400(chronologyQuerySchema, query ?? {});
  return { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}), filter: toFilter(q) };
}

/** The export query string: the filters without paging. */
export function parseExportQuery(query: unknown): ChronologyFilter {
  return toFilter(parseOr400(filterSchema, query ?? {}));
}

/**
 * The pupil search: a short text, and nothing else (strict: `q[$gt]=` arrives as a key of its own;
 * it never reached the store, but was ignored silently instead of refused).
 */
export const pupilSearchSchema = z.object({ q: z.string().max(200).default('') }).strict();

/** The development sign-in body. */
export const devSignInSchema = z.object({
  aadObjectId: z.string().regex(/^[0-9a-fA-F-]{36}$/),
  tenantId: z
    .string()
    .regex(/^[0-9a-fA-F-]{36}$/)
    .optional(),
  stepUp: z.boolean().optional(),
});
