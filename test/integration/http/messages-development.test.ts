import type { RunningApp } from '../../../src/app';
import { messageActivity } from '../../support/activities';
import { cardOf, textsOf } from '../../support/cards';
import { LocalConnector } from '../../support/local-connector';
import { capturingLogger } from '../../support/silent-logger';
import { startTestApp, stopTestApp } from '../../support/test-app';

describe('POST /api/messages through the real CloudAdapter, development mode', () => {
  let app: RunningApp | undefined;
  const connector = new LocalConnector();

  beforeAll(async () => {
    await connector.start();
    app = await startTestApp(__filename, capturingLogger().logger);
  });
  afterAll(async () => {
    await stopTestApp(app).catch(() => undefined);
    await connector.stop();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app!.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('when a user sends help, then the reply reaches the connector as a help card', async () => {
    const activity = { ...messageActivity('help'), id: 'incoming-1', serviceUrl: connector.url };
    const response = await post(activity);
    expect(response.status).toBe(200);

    const [call] = await connector.waitForCalls(1);
    expect(call?.method).toBe('POST');
    expect(call?.path).toBe(
      `/v3/conversations/${encodeURIComponent(activity.conversation!.id)}/activities/incoming-1`,
    );
    // Development mode: no credentials, so no token is sent.
    expect(call?.authorization).toBeUndefined();
    const texts = textsOf(cardOf(call?.body));
    expect(texts).toEqual(expect.arrayContaining(['report', 'history', 'actions', 'help']));
  });

  it('when the probes are asked, then /healthz and /readyz answer 200', async () => {
    expect((await fetch(`${app!.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app!.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('when a body is larger than the limit, then it is refused with 413 before the bot sees it', async () => {
    const before = connector.calls.length;
    const huge = { ...messageActivity('x'.repeat(300_000)), serviceUrl: connector.url };
    const response = await post(huge);
    expect(response.status).toBe(413);
    expect(connector.calls.length).toBe(before);
  });

  it('when the body is not JSON, then it is refused with 400', async () => {
    const response = await post('{not json');
    expect(response.status).toBe(400);
  });

  it('when the store goes away, then /readyz answers 503 while /healthz stays 200', async () => {
    await app!.store.connection.close();
    expect((await fetch(`${app!.baseUrl}/readyz`)).status).toBe(503);
    expect((await fetch(`${app!.baseUrl}/healthz`)).status).toBe(200);
  });
});
