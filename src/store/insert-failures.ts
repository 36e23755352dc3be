/**
 * The per-document failures of an unordered insertMany (the driver's MongoBulkWriteError), or
 * undefined when the error is something else. Callers that insert against unique indexes use it
 * to tell "already there" (code 11000) from a real failure.
 */
export function insertFailuresOf(error: unknown): { index: number; code: unknown }[] | undefined {
  const raw = (error as { writeErrors?: unknown } | null)?.writeErrors;
  const list = Array.isArray(raw) ? (raw as unknown[]) : raw ? [raw] : undefined;
  if (!list || list.length === 0) return undefined;
  return list.map((e) => ({
    index: Number((e as { index?: unknown }).index),
    code: (e as { code?: unknown }).code,
  }));
}
