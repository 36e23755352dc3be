import { startTwoPlaygroundApp, type TwoPlaygroundApp } from '../support/e2e-app';
import {
  ADAPTIVE_CARD,
  cardTexts,
  factValue,
  onlyCard,
  type PlaygroundClient,
  type PlaygroundMessage,
} from '../support/playground-client';
import { capturingLogger } from '../support/silent-logger';

// Two Agents Playground instances against one bot: Sam Taylor (staff) raises a concern about a
// colleague, Tom Reilly; Helen Marsh (the head, so the case manager) has a Playground of her own
// (playground-head.m365agentsplayground.yml). The delivery worker sends her the alert
// proactively; she acknowledges. Neither chat, nor any log line, holds the adult's name or what
// Sam wrote.
jest.setTimeout(120_000);

const HEAD_PLAYGROUND_CONFIG = 'test/e2e/playground-head.m365agentsplayground.yml';
const TOM = '00000000-0000-0000-0000-000000000e05';
const REFERENCE = /^AC-\d{4}-[2-9A-Z]{5}$/;
const SECRETS = ['Tom Reilly', 'Reilly', 'store cupboard', 'door locked'];

describe('a concern about an adult between two Agents Playgrounds (staff and head)', () => {
  let e2e: TwoPlaygroundApp | undefined;
  let sam: PlaygroundClient;
  let helen: PlaygroundClient;
  let reference: string;
  let alertMessage: PlaygroundMessage;
  const appLog = capturingLogger();

  beforeAll(async () => {
    e2e = await startTwoPlaygroundApp(
      __filename,
      { appLogger: appLog.logger },
      HEAD_PLAYGROUND_CONFIG,
    );
    ({ sam, priya: helen } = e2e);
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('when both install the app, then each is welcomed in their own Playground', async () => {
    expect(helen.currentUser.name).toBe('Helen Marsh');
    await sam.install();
    expect(cardTexts(onlyCard(await sam.nextBotMessage())).join('\n')).toContain('Welcome, Sam.');
    await helen.install();
    expect(cardTexts(onlyCard(await helen.nextBotMessage())).join('\n')).toContain(
      'Welcome, Helen.',
    );
  });

  it('when Sam raises a concern about an adult and submits, then his chat keeps only the reference', async () => {
    await sam.sendMessage('concern about an adult');
    const formMessage = await sam.nextBotMessage();
    expect(cardTexts(onlyCard(formMessage))).toContain('A concern about an adult');
    // When it happened is left as the form offers it (now), so the test holds at any hour.
    const response = await sam.press(
      formMessage.messageId,
      { verb: 'adultConcern.submit' },
      {
        adultKind: 'staff',
        subjectAadObjectId: TOM,
        adultName: 'Tom Reilly',
        adultRole: 'Year 6 teacher',
        whatHappened: 'Seen with a pupil in the store cupboard with the door locked.',
        harmThreshold: 'yes',
      },
    );
    expect(response.type).toBe(ADAPTIVE_CARD);
    expect(cardTexts(response.value)).toContain('Concern about an adult recorded');
    reference = factValue(response.value, 'Reference')!;
    expect(reference).toMatch(REFERENCE);
    expect(factValue(response.value, 'Passed to')).toBe('The head teacher');
    for (const secret of SECRETS) expect(JSON.stringify(response)).not.toContain(secret);
  });

  it('when the alert reaches Helen, then it shows the reference only, and her Acknowledge is answered "Acknowledged by you"', async () => {
    alertMessage = await helen.nextBotMessage({ timeoutMs: 20_000 });
    const card = onlyCard(alertMessage);
    expect(cardTexts(card)).toContain('A concern about an adult');
    expect(factValue(card, 'Reference')).toBe(reference);
    expect(factValue(card, 'Status')).toBe('Not yet acknowledged');
    const shown = JSON.stringify(alertMessage);
    for (const secret of [...SECRETS, 'Sam Taylor']) expect(shown).not.toContain(secret);

    const answer = await helen.press(alertMessage.messageId, { verb: 'adultConcern.acknowledge' });
    expect(answer.type).toBe(ADAPTIVE_CARD);
    expect(factValue(answer.value, 'Status')).toMatch(/^Acknowledged by you at /);
    expect((answer.value as { actions?: unknown[] }).actions ?? []).toEqual([]);
    // Sam gets nothing more: no receipt names who manages it, no alert of his own.
    await sam.expectNoBotMessage();
  });

  it('when the story has run, then no log line holds the adult’s name or the narrative', () => {
    const lines = appLog.lines;
    expect(lines.length).toBeGreaterThan(10);
    const leaks = lines.filter((line) =>
      SECRETS.some((s) => line.toLowerCase().includes(s.toLowerCase())),
    );
    expect(leaks).toEqual([]);
  });
});
