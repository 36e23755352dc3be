import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request, Server } from 'restify';

/**
 * Tells which HTTP request (if any) a piece of the app's work belongs to, so store commands can be
 * attributed to the request that made them, and background work (timers, workers) told apart. A
 * restify handler added after the app's own (body parsed by then) runs the rest of each request
 * inside an AsyncLocalStorage context; nothing in src/ changes.
 */
export function tagRequests(
  server: Server,
  tagOf: (req: Request) => string,
): () => string | undefined {
  const storage = new AsyncLocalStorage<string>();
  server.use((req, _res, next) => storage.run(tagOf(req), () => next()));
  return () => storage.getStore();
}
