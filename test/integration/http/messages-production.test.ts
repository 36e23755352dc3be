import type { RunningApp } from '../../../src/app';
import { messageActivity } from '../../support/activities';
import { LocalBotFrameworkKeys } from '../../support/bot-framework-keys';
import { LocalConnector } from '../../support/local-connector';
import { capturingLogger } from '../../support/silent-logger';
import { startTestApp, stopTestApp } from '../../support/test-app';

const APP_ID = '6a3c8c1e-0d5f-4f7e-9a53-3f0b7c2d9e11';

describe('POST /api/messages in production mode: only genuine Bot Framework requests pass', () => {
  let app: RunningApp | undefined;
  const keys = new LocalBotFrameworkKeys();
  const connector = new LocalConnector();
  const appLog = capturingLogger();
  const tokensSent: string[] = [];

  beforeAll(async () => {
    await keys.start();
    await connector.start();
    app = await startTestApp(
      __filename,
      appLog.logger,
      {
        APP_MODE: 'production',
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'test-secret-not-real',
        MicrosoftAppTenantId: '2f4a1d7e-8b3c-4e5f-9a6b-7c8d9e0f1a2b',
        TAB_CLIENT_ID: APP_ID,
        PUBLIC_BASE_URL: 'https://safeguarding.example.org',
        // No Key Vault here: the explicit opt-in to a local key file (startTestApp gives its path).
        ENCRYPTION_KEY_SOURCE: 'file',
        ENCRYPTION_ALLOW_KEY_FILE_IN_PRODUCTION: 'true',
      },
      {
        // Everything as in Azure's public cloud except where the signing keys are published.
        botAuthOverrides: {
          ToBotFromChannelOpenIdMetadataUrl: keys.metadataUrl,
          ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
          ToChannelFromBotOAuthScope: 'https://api.botframework.com',
          ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
          ValidateAuthority: true,
        },
      },
    );
  });
  afterAll(async () => {
    await stopTestApp(app).catch(() => undefined);
    await connector.stop();
    await keys.stop();
  });

  const activity = () => ({ ...messageActivity('help'), serviceUrl: connector.url });
  const post = (body: unknown, token?: string) =>
    fetch(`${app!.baseUrl}/api/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${(tokensSent.push(token), token)}` } : {}),
      },
      body: JSON.stringify(body),
    });
  const genuineClaims = () => ({
    iss: 'https://api.botframework.com',
    aud: APP_ID,
    serviceurl: connector.url,
  });

  it('when a request has no token, then it gets 401', async () => {
    expect((await post(activity())).status).toBe(401);
  });

  it('when a token is signed by a key Bot Framework never published, then it gets 401', async () => {
    expect((await post(activity(), keys.token(genuineClaims(), { forged: true }))).status).toBe(
      401,
    );
  });

  it('when a token is for another bot, then it gets 401', async () => {
    const token = keys.token({ ...genuineClaims(), aud: '00000000-1111-2222-3333-444444444444' });
    expect((await post(activity(), token)).status).toBe(401);
  });

  it('when a token has expired, then it gets 401', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const token = keys.token({ ...genuineClaims(), nbf: past - 600, exp: past });
    expect((await post(activity(), token)).status).toBe(401);
  });

  it('when the token names another service URL, then it gets 401', async () => {
    const token = keys.token({ ...genuineClaims(), serviceurl: 'https://evil.example.invalid/' });
    expect((await post(activity(), token)).status).toBe(401);
  });

  it('when the bearer value is not a JWT at all, then it gets 401', async () => {
    expect((await post(activity(), 'not-a-jwt')).status).toBe(401);
  });

  it('when refused requests arrive, then the bot never acted on them', () => {
    expect(connector.calls).toHaveLength(0);
  });

  it('when a genuine token arrives, then the request is accepted (the checks above are not blanket refusals)', async () => {
    // A typing activity needs no reply, so no outbound token from Entra is needed here.
    const typing = { ...activity(), type: 'typing', text: undefined };
    expect((await post(typing, keys.token(genuineClaims()))).status).toBe(200);
  });

  it('when all of the above was logged, then no token (nor any part of one) and no secret is in the logs', () => {
    expect(tokensSent.length).toBeGreaterThanOrEqual(6);
    expect(appLog.lines.length).toBeGreaterThan(0);
    const leaks = appLog.lines.filter(
      (line) =>
        line.includes('test-secret-not-real') ||
        tokensSent.some((token) =>
          token.split('.').some((part) => part.length > 8 && line.includes(part)),
        ),
    );
    expect(leaks).toEqual([]);
  });
});
