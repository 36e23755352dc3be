import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server did for one path: how often it was asked, and what it managed to send. */
export interface ServedPath {
  hits: number;
  bytesSent: number;
  /** True when the client went away before the response was complete. */
  cutOff: boolean;
}

type Route =
  | { kind: 'bytes'; body: Buffer }
  | { kind: 'status'; status: number }
  | { kind: 'endless'; totalBytes: number }
  | { kind: 'declared'; contentLength: number }
  | { kind: 'redirect'; location: string }
  | { kind: 'hang' };

/**
 * A local stand-in for the pre-authorised SharePoint download URL Teams hands a bot: 200 with the
 * bytes, a status, a response that streams far more than allowed (chunked, no length), a response
 * declaring too large a length, a redirect, or one that never answers.
 */
export class TeamsFileServer {
  private readonly routes = new Map<string, Route>();
  private readonly served = new Map<string, ServedPath>();
  private readonly server = http.createServer((req, res) => this.answer(req, res));
  private baseUrl = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Serves `route` at a fresh path and returns its full URL. */
  serve(name: string, route: Route): string {
    const urlPath = `/personal/sam/Documents/${encodeURIComponent(name)}?tempauth=${this.routes.size}`;
    this.routes.set(urlPath, route);
    this.served.set(urlPath, { hits: 0, bytesSent: 0, cutOff: false });
    return `${this.baseUrl}${urlPath}`;
  }

  /** What happened at a URL returned by `serve`. */
  record(url: string): ServedPath {
    const { pathname, search } = new URL(url);
    return this.served.get(`${pathname}${search}`)!;
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const route = this.routes.get(req.url ?? '');
    const record = this.served.get(req.url ?? '');
    // No chaining on writeHead: restify, loaded by other test files in the same worker, patches
    // http.ServerResponse so that writeHead returns nothing.
    if (!route || !record) {
      res.writeHead(404);
      res.end();
      return;
    }
    record.hits++;
    switch (route.kind) {
      case 'bytes':
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': route.body.length,
        });
        record.bytesSent = route.body.length;
        res.end(route.body);
        return;
      case 'status':
        res.writeHead(route.status);
        res.end();
        return;
      case 'redirect':
        res.writeHead(302, { location: route.location });
        res.end();
        return;
      case 'declared':
        res.writeHead(200, { 'content-length': route.contentLength });
        res.write(Buffer.alloc(1024));
        res.on('close', () => (record.cutOff = !res.writableFinished));
        return;
      case 'hang':
        return;
      case 'endless':
        void this.stream(res, route.totalBytes, record);
        return;
    }
  }

  /** Writes 64 KB blocks, honouring back-pressure, until done or the client hangs up. */
  private async stream(res: http.ServerResponse, total: number, record: ServedPath): Promise<void> {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const block = Buffer.alloc(64 * 1024, 0x41);
    let closed = false;
    res.on('close', () => {
      closed = true;
      record.cutOff = !res.writableFinished;
    });
    while (!closed && record.bytesSent < total) {
      record.bytesSent += block.length;
      if (!res.write(block)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off('drain', go);
            res.off('close', go);
            resolve();
          };
          res.on('drain', go);
          res.on('close', go);
        });
      }
    }
    if (!closed) res.end();
  }
}
