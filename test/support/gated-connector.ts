import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An activity POST whose body the connector read in full and answered 201: a delivery. */
export interface DeliveredPost {
  readonly path: string;
  /** The conversation id from the path (decoded), e.g. `a:chat-<aadObjectId>`. */
  readonly conversationId: string;
  readonly body: Record<string, unknown>;
  /** Date.now() when the request arrived (before the gate). */
  readonly arrivedAt: number;
  readonly activityId: string;
}

/** A POST the gate held whose sender went away before it was let through: never received. */
export interface CutOffPost {
  readonly path: string;
  readonly conversationId: string;
  readonly arrivedAt: number;
}

/** Any other call (PUT updates of a message, GETs): answered at once, never gated. */
export interface OtherCall {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

interface Held {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly path: string;
  readonly conversationId: string;
  readonly arrivedAt: number;
  gone: boolean;
}

/**
 * A Teams connector stand-in with a gate, for crash tests. It answers the first `answerAtOnce`
 * activity POSTs straight away (201 with an id) and holds every later POST before reading its
 * body, until `release()`. A held request whose sender dies (its socket closes) is treated as a
 * real server treats a half-sent request: never received, never delivered. Only POSTs whose body
 * was read in full count as delivered. Everything else (PUT updates) is answered at once.
 */
export class GatedConnector {
  readonly delivered: DeliveredPost[] = [];
  readonly cutOff: CutOffPost[] = [];
  readonly others: OtherCall[] = [];
  private readonly held: Held[] = [];
  private server: http.Server | undefined;
  private passedGate = 0;
  private released = false;
  private nextId = 1;

  /** The serviceUrl to put in activities and saved references so calls come here. */
  url = '';
  /** Date.now() when the latest POST arrived (0 before any): lets a test wait for quiet. */
  lastPostAt = 0;

  constructor(private readonly answerAtOnce: number) {}

  async start(): Promise<this> {
    const server = http.createServer((req, res) => this.handle(req, res));
    // Held requests may wait well over a minute; no server-side timeout may end them.
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    server.timeout = 0;
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return this;
  }

  /** POSTs held at the gate whose sender is still connected. */
  heldCount(): number {
    return this.held.filter((h) => !h.gone).length;
  }

  /** Conversations of the POSTs held right now (sender still connected). */
  heldConversations(): string[] {
    return this.held.filter((h) => !h.gone).map((h) => h.conversationId);
  }

  /**
   * Opens the gate for good: held requests whose sender is gone are recorded as cut off (never
   * received); any still connected are read and answered as deliveries.
   */
  release(): void {
    this.released = true;
    for (const h of this.held.splice(0)) {
      if (h.gone || h.req.socket.destroyed) {
        this.cutOff.push({
          path: h.path,
          conversationId: h.conversationId,
          arrivedAt: h.arrivedAt,
        });
      } else {
        void this.accept(h.req, h.res, h.path, h.arrivedAt);
      }
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    for (const h of this.held.splice(0)) h.req.socket.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = req.url ?? '';
    const arrivedAt = Date.now();
    if (req.method !== 'POST') {
      void this.answerOther(req, res, path);
      return;
    }
    this.lastPostAt = arrivedAt;
    if (this.released || this.passedGate < this.answerAtOnce) {
      this.passedGate++;
      void this.accept(req, res, path, arrivedAt);
      return;
    }
    // Held before its body is read: if the sender dies now, this request never arrived.
    const held: Held = {
      req,
      res,
      path,
      conversationId: conversationIdOf(path),
      arrivedAt,
      gone: false,
    };
    const gone = () => {
      held.gone = true;
    };
    req.socket.once('close', gone);
    res.once('close', gone);
    this.held.push(held);
  }

  private async accept(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    arrivedAt: number,
  ): Promise<void> {
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      this.cutOff.push({ path, conversationId: conversationIdOf(path), arrivedAt });
      return;
    }
    const activityId = `activity-${this.nextId++}`;
    this.delivered.push({
      path,
      conversationId: conversationIdOf(path),
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
      arrivedAt,
      activityId,
    });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: activityId }));
  }

  private async answerOther(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
  ): Promise<void> {
    const raw = await readBody(req).catch(() => '');
    this.others.push({
      method: req.method ?? '',
      path,
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `activity-${this.nextId++}` }));
  }
}

/** Reads a request body in full; rejects when the sender goes away first. */
function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    if (req.socket.destroyed && !req.complete) {
      reject(new Error('sender gone'));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('aborted', () => reject(new Error('aborted')));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('closed before the body was read'));
    });
  });
}

/** `/v3/conversations/<id>/activities[/<replyTo>]` → the decoded conversation id ('' if none). */
function conversationIdOf(path: string): string {
  const match = /^\/v3\/conversations\/([^/?]+)/.exec(path);
  return match ? decodeURIComponent(match[1]!) : '';
}
