import net from 'node:net';
import type { RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { startPlayground } from '../../src/dev/playground';
import { AppError } from '../../src/shared/errors';
import { createLogger } from '../../src/shared/logger';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { adaptiveCards, cardTexts, type PlaygroundClient } from '../support/playground-client';

// The real bot over real HTTP, driven through Microsoft's Teams emulator as Sam Taylor (the
// current user in .m365agentsplayground.yml), in the demo school's tenant.
jest.setTimeout(120_000);

describe('the bot in the Agents Playground', () => {
  let e2e: E2eApp;
  let app: RunningApp;
  let sam: PlaygroundClient;

  beforeAll(async () => {
    e2e = await startE2eApp(__filename);
    ({ app, client: sam } = e2e);
  });
  afterAll(() => e2e?.stop());

  it('when the Playground starts, then it is Elm Park: the demo tenant and Sam Taylor', () => {
    expect(sam.config.tenantId).toBe(loadConfig({ APP_MODE: 'development' }).demo.tenantId);
    expect(sam.currentUser.name).toBe('Sam Taylor');
    expect(sam.config.users.map((u) => u.name)).toEqual(
      expect.arrayContaining(['Priya Shah', 'Daniel Okafor', 'Helen Marsh']),
    );
  });

  it('when Sam installs the app, then one welcome card arrives naming Elm Park Community School', async () => {
    await sam.install();

    const welcome = await sam.nextBotMessage();
    const [card, ...others] = adaptiveCards(welcome);
    expect(others).toHaveLength(0);
    expect(card).toMatchObject({ type: 'AdaptiveCard' });
    const text = cardTexts(card).join('\n');
    expect(text).toContain('Elm Park Community School');
    // The Playground sends installationUpdate and conversationUpdate: the bot greets once.
    await sam.expectNoBotMessage();
  });

  it('when Sam types help, then the help card lists every command, desk included', async () => {
    await sam.sendMessage('help');

    const reply = await sam.nextBotMessage();
    const [card] = adaptiveCards(reply);
    expect(card).toMatchObject({ type: 'AdaptiveCard' });
    const factSet = (card!.body as { type: string; facts?: { title: string }[] }[]).find(
      (element) => element.type === 'FactSet',
    );
    expect(factSet?.facts?.map((fact) => fact.title)).toEqual([
      'report',
      'history',
      'actions',
      'desk',
      'help',
      'alerts',
      'concern',
    ]);
  });

  it('when the Playground port is taken, then start-up fails naming the port and PLAYGROUND_PORT', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as net.AddressInfo;
    try {
      const started = startPlayground({
        botEndpoint: `${app.baseUrl}/api/messages`,
        port,
        logger: createLogger('silent'),
      });
      await expect(started).rejects.toBeInstanceOf(AppError);
      await expect(started).rejects.toMatchObject({
        code: 'PLAYGROUND.PORT_IN_USE',
        message: expect.stringMatching(new RegExp(`^Port ${port} .*PLAYGROUND_PORT[^\\n]*$`)),
      });
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
