/**
 * Races work against a deadline on the real timer (a stalled store is a matter of wall time, not
 * of the app's clock). The work is not cancelled: it runs on and its outcome, or failure, is
 * dropped, so callers use this only where finishing late is harmless (idempotent writes).
 */
export async function withinDeadline<T>(
  work: Promise<T>,
  deadlineMs: number,
): Promise<{ readonly done: true; readonly value: T } | { readonly done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), deadlineMs);
    timer.unref();
  });
  // A failure after the deadline has no one to hear it; it must not become an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
