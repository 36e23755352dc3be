import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A record's reference as the cards print it, e.g. EPC-2026-00015. */
const REFERENCE = /\b[A-Z]{2,6}-\d{4}-\d{5}\b/;
/** The verb of an alert card's Acknowledge button (src/bot/verbs.ts). */
const ALERT_VERB = 'alert.acknowledge';

/**
 * A stand-in for the Teams connector that answers every call at once (201 with an activity id
 * for a POST, 200 for a PUT) and counts the alert cards each chat received per record reference, so a
 * soak can say "expected, delivered, duplicated" without keeping bodies (they may hold names).
 */
export class CountingConnector {
  private server: http.Server | undefined;
  private nextId = 1;
  /** `<conversation id> <reference>` → POSTs carrying that reference to that chat. */
  readonly cards = new Map<string, number>();
  posts = 0;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method === 'POST') {
          this.posts += 1;
          const conversation = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '')?.[1];
          const body = Buffer.concat(chunks).toString('utf8');
          // Alert cards only (they carry Acknowledge): pattern flags and receipts name references too.
          const reference = body.includes(ALERT_VERB) ? REFERENCE.exec(body)?.[0] : undefined;
          if (conversation && reference) {
            const key = `${decodeURIComponent(conversation)} ${reference}`;
            this.cards.set(key, (this.cards.get(key) ?? 0) + 1);
          }
        }
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `activity-${this.nextId++}` }));
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** Cards that reached a chat carrying one of these references: distinct, and extra copies. */
  tally(references: ReadonlySet<string>): { delivered: number; duplicated: number } {
    let delivered = 0;
    let duplicated = 0;
    for (const [key, count] of this.cards) {
      if (!references.has(key.slice(key.lastIndexOf(' ') + 1))) continue;
      delivered += 1;
      duplicated += count - 1;
    }
    return { delivered, duplicated };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
