import type { RunningApp } from '../../../src/app';
import { cardAction, DEMO_TENANT } from '../../support/activities';
import { LocalConnector } from '../../support/local-connector';
import { capturingLogger } from '../../support/silent-logger';
import { startTestApp, stopTestApp } from '../../support/test-app';

/** Holes `npm run soak`'s bad-input scenario found, each kept shut here (issue 18 part 8). */
describe('hostile input the soak found, through real HTTP (development mode)', () => {
  let app: RunningApp | undefined;
  const connector = new LocalConnector();
  const SAM = '00000000-0000-0000-0000-000000000e01';
  const PRIYA = '00000000-0000-0000-0000-000000000e02';

  beforeAll(async () => {
    await connector.start();
    app = await startTestApp(__filename, capturingLogger().logger);
  });
  afterAll(async () => {
    await stopTestApp(app).catch(() => undefined);
    await connector.stop();
  });

  const countAll = async () => {
    const db = app!.store.connection.db!;
    // Leases are background jobs' claims, taken by the clock whatever the requests.
    const names = (await db.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .filter((name) => name !== 'leases');
    return Object.fromEntries(
      await Promise.all(names.map(async (n) => [n, await db.collection(n).countDocuments()])),
    ) as Record<string, number>;
  };
  const invoke = (activity: unknown) =>
    fetch(`${app!.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
  const tokenFor = async (aadObjectId: string) => {
    const response = await fetch(`${app!.baseUrl}/api/tab/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: DEMO_TENANT, aadObjectId, stepUp: false }),
    });
    return ((await response.json()) as { token: string }).token;
  };

  it.each([
    ['a string', 'x'.repeat(1_000)],
    ['an object without action', { verb: 'incident.submit' }],
    ['an action that is an array', { action: [1, 2] }],
  ])(
    'when an Action.Execute invoke’s value is %s, then it is answered with a message and nothing is stored',
    async (_what, value) => {
      const before = await countAll();
      const activity = { ...cardAction('x', {}), serviceUrl: connector.url, value };
      const response = await invoke(activity);
      // botbuilder read value.action.type itself and answered a bodiless 501.
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        statusCode: 200,
        type: 'application/vnd.microsoft.activity.message',
        value: 'That button sent something I did not understand.',
      });
      expect(await countAll()).toEqual(before);
    },
  );

  it('when an invoke is well formed, then the bot still handles it (the guard lets it through)', async () => {
    const activity = { ...cardAction('no.such.verb', {}), serviceUrl: connector.url };
    const response = await invoke(activity);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { value: unknown }).value).toBe(
      'That button is no longer available.',
    );
  });

  it('when the pupil search carries a query operator key, then it is refused with 400 and the codebase’s shape', async () => {
    const token = await tokenFor(PRIYA);
    const response = await fetch(`${app!.baseUrl}/api/tab/pupils?q=Sasha&q[$gt]=`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      code: 'TAB.BAD_REQUEST',
      message: 'The request was not understood.',
    });
    // The plain search still works.
    const plain = await fetch(`${app!.baseUrl}/api/tab/pupils?q=Sasha`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(plain.status).toBe(200);
  });

  it('when /devz/runtime is asked in development, then it answers process figures only', async () => {
    // A teacher's token is not needed and not looked at: the figures name nothing.
    void (await tokenFor(SAM));
    const response = await fetch(`${app!.baseUrl}/devz/runtime`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ['eventLoop', 'memoryMb', 'pid', 'seconds', 'uptimeSeconds'].sort(),
    );
    expect(body.memoryMb).toEqual(
      expect.objectContaining({ rss: expect.any(Number), heapUsed: expect.any(Number) }),
    );
  });
});
