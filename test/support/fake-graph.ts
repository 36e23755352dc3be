import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the installer made to Graph. */
export interface GraphCall {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A stand-in for Microsoft Graph's "install app for user" endpoint
 * (POST /v1.0/users/{id}/teamwork/installedApps), answering as Graph does: 201 when installed,
 * 409 when already installed, 403 when the permission is missing, 429 with Retry-After when
 * throttled. Scripted answers first, then 201.
 */
export class FakeGraph {
  readonly calls: GraphCall[] = [];
  private readonly scripted: {
    status: number;
    headers?: Record<string, string>;
    body?: unknown;
  }[] = [];
  private server: http.Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  script(...answers: { status: number; headers?: Record<string, string>; body?: unknown }[]): void {
    this.scripted.push(...answers);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    this.calls.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
    });
    const ok =
      /^\/v1\.0\/users\/[^/]+\/teamwork\/installedApps$/.test(req.url ?? '') &&
      req.method === 'POST';
    const answer =
      this.scripted.shift() ??
      (ok
        ? { status: 201, body: { id: 'installation-1' } }
        : { status: 404, body: { error: { code: 'NotFound' } } });
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }
}
