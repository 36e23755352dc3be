import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import { closeServer, createServer, listen } from '../../../src/server';
import { createLogger } from '../../../src/shared/logger';

/**
 * The body limits over real HTTP: every route reads up to MAX_BODY_BYTES, and a route named in
 * largeBodies (the transfer import) up to its own limit. Neither bot nor store is involved.
 */
describe('request body limits (restify over HTTP)', () => {
  let base = '';
  const server = createServer({
    adapter: {} as CloudAdapter,
    bot: {} as ActivityHandler,
    isReady: () => Promise.resolve(true),
    logger: createLogger('silent'),
    maxBodyBytes: 1024,
    largeBodies: [{ pathPrefix: '/api/tab/transfers/import', maxBytes: 8192 }],
    extraRoutes: (s) => {
      for (const path of ['/api/tab/transfers/import/check', '/api/tab/desk']) {
        s.post(path, async (req, res) => {
          res.send(200, { length: String((req.body as { text?: string }).text ?? '').length });
        });
      }
    },
  });

  beforeAll(async () => {
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });
  afterAll(() => closeServer(server, 1_000));

  const post = (path: string, length: number) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(length) }),
    });

  it('when the import gets a body over the default but within its own limit, then it is read', async () => {
    const res = await post('/api/tab/transfers/import/check', 6_000);
    expect(res.status).toBe(200);
    await expect(res.json()).resolves.toEqual({ length: 6_000 });
  });

  it('when the import gets a body over its own limit, then 413', async () => {
    expect((await post('/api/tab/transfers/import/check', 9_000)).status).toBe(413);
  });

  it('when any other route gets a body over the default, then 413', async () => {
    expect((await post('/api/tab/desk', 2_000)).status).toBe(413);
    expect((await post('/api/tab/desk', 500)).status).toBe(200);
  });
});
