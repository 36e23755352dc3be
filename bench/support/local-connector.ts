import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The smallest stand-in for the Teams connector (the Bot Framework REST API replies go to): it
 * answers every call at once, 201 with an activity id for a POST (a reply), 200 for a PUT (a
 * message update), and only counts what it was sent. The bench's serviceUrl points here.
 */
export class BenchConnector {
  private server: http.Server | undefined;
  private nextId = 1;
  /** Calls received, by HTTP method. */
  readonly calls = new Map<string, number>();
  /** The serviceUrl to put in activities. */
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      // Drain the body without parsing it: the bench checks the bot's answers elsewhere.
      req.on('data', () => undefined);
      req.on('end', () => {
        const method = req.method ?? '?';
        this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
        res.writeHead(method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `activity-${this.nextId++}` }));
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
