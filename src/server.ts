import restify, {
  type Next,
  type Request,
  type RequestHandler,
  type Response,
  type Server,
} from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import type { Logger } from './shared/logger';
import type { RuntimeMetrics } from './shared/runtime-metrics';

export interface ServerDependencies {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  /** True when the store answers; drives /readyz. */
  isReady: () => Promise<boolean>;
  logger: Logger;
  maxBodyBytes: number;
  /** Routes whose bodies may be larger than maxBodyBytes (a transfer package), by path prefix. */
  largeBodies?: readonly { readonly pathPrefix: string; readonly maxBytes: number }[];
  /** Adds further routes (the tab API and its static client). */
  extraRoutes?: (server: Server) => void;
}

/**
 * The HTTP edge: /api/messages for Teams, the tab's API and pages, health probes for Azure.
 * Routes only: no feature logic.
 */
export function createServer(deps: ServerDependencies): Server {
  const server = restify.createServer({ name: 'safeguarding', handleUncaughtExceptions: false });
  const log = deps.logger.child({ component: 'http' });

  server.use((req, res, next) => {
    res.header('X-Content-Type-Options', 'nosniff');
    res.header('Referrer-Policy', 'no-referrer');
    res.header('Cache-Control', 'no-store');
    next();
  });
  // One body parser per limit: a route named in largeBodies reads up to its own limit, every
  // other request up to maxBodyBytes (the small default protects the bot and the tab).
  const parserFor = (maxBodySize: number) =>
    restify.plugins.bodyParser({ maxBodySize, mapParams: false, mapFiles: false });
  const small = parserFor(deps.maxBodyBytes);
  const large = (deps.largeBodies ?? []).map((l) => ({ ...l, parser: parserFor(l.maxBytes) }));
  server.use((req, res, next) => {
    const path = req.getPath();
    const chosen = large.find((l) => path.startsWith(l.pathPrefix))?.parser ?? small;
    runHandlers(chosen, req, res, next);
  });

  server.post('/api/messages', async (req, res) => {
    await deps.adapter.process(req, res, (context) => deps.bot.run(context));
  });

  // The Agents Playground (and some monitors) probe the bot with HEAD; answer instead of a 405.
  server.head('/api/messages', (_req, res, next) => {
    res.send(200);
    next();
  });

  deps.extraRoutes?.(server);

  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'alive' });
    next();
  });

  server.get('/readyz', async (_req, res) => {
    const ready = await deps.isReady();
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'store unavailable' });
  });

  // Method, route and status only: URLs and bodies could carry ids we'd rather keep out of logs.
  server.on('after', (req, res, route) => {
    log.info(
      {
        event: 'http.request',
        method: req.method,
        route: route?.path ?? 'unmatched',
        status: res.statusCode,
        ms: Date.now() - req.time(),
      },
      'request',
    );
  });
  server.on('restifyError', (req, res, err, callback) => {
    log.warn(
      { event: 'http.error', status: err.statusCode, errorName: err.name },
      'request failed',
    );
    return callback();
  });
  return server;
}

/** Starts listening; resolves with the bound port (0 asks the OS for a free one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(address.port);
    });
  });
}

/** Stops accepting connections and waits for in-flight requests, up to a timeout. */
export function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.server.closeAllConnections?.();
      resolve();
    }, timeoutMs);
    server.server.closeIdleConnections?.();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Runs restify handlers in order, as `server.use(...handlers)` would. */
function runHandlers(
  handlers: readonly RequestHandler[],
  req: Request,
  res: Response,
  next: Next,
): void {
  const step = (i: number) => (error?: unknown) => {
    const handler = handlers[i];
    if (error !== undefined && error !== null) {
      next(error as Error);
    } else if (!handler) {
      next();
    } else {
      handler(req, res, step(i + 1) as Next);
    }
  };
  step(0)();
}

/**
 * Development only: the process's own figures (memory, event-loop delay per second) for the soak
 * (`npm run soak`) to read over HTTP. Never a record, a name or an id; not served in production,
 * where nothing outside should learn even how busy the process is.
 */
export function registerRuntimeMetrics(server: Server, metrics: RuntimeMetrics): void {
  server.get('/devz/runtime', (_req, res, next) => {
    res.send(200, metrics.snapshot());
    next();
  });
}
