import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the bot made to the connector (a reply, a proactive send or an update). */
export interface ConnectorCall {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
  /** The activity id the default success answer gave (what Teams returns for a send). */
  answeredId?: string;
  /** When the answer was written back (wall clock, ms): to time what follows Teams' answer. */
  answeredAt?: number;
}

/** How the connector answers the next call: status, body and headers, like Teams would. */
export interface ConnectorAnswer {
  /** Only for calls whose path contains this (e.g. one conversation); any call when absent. */
  pathIncludes?: string;
  /** Only for calls to exactly this path (e.g. /v3/conversations, opening a chat). */
  pathEquals?: string;
  status: number;
  /** Wait this long before answering (a slow or hung Teams). */
  delayMs?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A small stand-in for the Teams connector (the Bot Framework REST API the bot replies to). It
 * records every call and answers like Teams: 200/201 with an activity id by default, or scripted
 * answers (429 with Retry-After, 412, 502, 403 MessageWritesBlocked) for delivery tests.
 */
export class LocalConnector {
  readonly calls: ConnectorCall[] = [];
  private readonly scripted: ConnectorAnswer[] = [];
  private readonly waiters: (() => void)[] = [];
  private server: http.Server | undefined;
  private nextId = 1;

  /** The serviceUrl to put in activities so replies come here. */
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /**
   * Decides every call's answer while set (scripted answers still come first): for a recipient
   * who never exists, or a storm of throttling. Undefined from it means the usual success.
   */
  respond: ((call: ConnectorCall) => ConnectorAnswer | undefined) | undefined;

  /** Answers the next calls with these, in order, then falls back to success. */
  script(...answers: ConnectorAnswer[]): void {
    this.scripted.push(...answers);
  }

  /** Resolves once at least `count` calls have arrived (or rejects after the timeout). */
  async waitForCalls(count: number, timeoutMs = 5_000): Promise<ConnectorCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.calls.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} connector calls, got ${this.calls.length}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.calls.slice(0, count);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const call: ConnectorCall = {
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
    };
    this.calls.push(call);
    this.waiters.splice(0).forEach((wake) => wake());
    const path = req.url ?? '';
    const index = this.scripted.findIndex(
      (a) =>
        (!a.pathIncludes || path.includes(a.pathIncludes)) &&
        (!a.pathEquals || path === a.pathEquals),
    );
    const answer = (index >= 0 ? this.scripted.splice(index, 1)[0] : undefined) ??
      this.respond?.(call) ??
      // Like Teams: a bot cannot read a chat's activities back (no such call in the Bot
      // Connector API), so it cannot look for a card it may already have sent.
      (req.method === 'GET' && /\/activities\/?(\?|$)/.test(path)
        ? { status: 405, body: { error: { code: 'MethodNotAllowed' } } }
        : undefined) ?? {
        status: req.method === 'PUT' ? 200 : 201,
        body: { id: (call.answeredId = `activity-${this.nextId++}`) },
      };
    if ('delayMs' in answer && answer.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    }
    if (res.destroyed) return;
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    call.answeredAt = Date.now();
  }
}
