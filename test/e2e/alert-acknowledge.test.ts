import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { startPlayground, type RunningPlayground } from '../../src/dev/playground';
import { createLogger } from '../../src/shared/logger';
import { connectStore } from '../../src/store/connection';
import { inputsOf } from '../support/cards';
import {
  adaptiveCards,
  cardTexts,
  PlaygroundClient,
  type PlaygroundMessage,
} from '../support/playground-client';
import { dropTestStore, testDatabaseName, testStoreUri } from '../support/test-store';

// Two Agents Playground instances against one bot, one per person: Sam Taylor (staff, the root
// .m365agentsplayground.yml) and Priya Shah (the DSL, playground-dsl.m365agentsplayground.yml).
// Sam records a concern; the delivery worker sends the alert proactively through the real
// CloudAdapter to Priya's saved reference (her Playground's serviceUrl); she acknowledges; Sam's
// Playground receives the receipt. Daniel Okafor (deputy DSL) has no Playground of his own.
jest.setTimeout(120_000);

const DSL_CONFIG = 'test/e2e/playground-dsl.m365agentsplayground.yml';
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const DANIEL = '00000000-0000-0000-0000-000000000e03';
const REFERENCE = /^EPC-\d{4}-\d{5}$/;
// The pupil's names and the narrative Sam types: none of it may reach a chat.
const SECRETS = ['Sasha', 'Novak', 'Alexander', 'lunch money', 'HURT ME'];

interface ActionJson {
  type: string;
  verb: string;
  data: Record<string, unknown>;
}

/** The one Adaptive Card in a bot message (fails loudly otherwise). */
function onlyCard(message: PlaygroundMessage): Record<string, unknown> {
  const cards = adaptiveCards(message);
  expect(cards).toHaveLength(1);
  return cards[0]!;
}

function factValue(card: unknown, title: string): string | undefined {
  const texts = cardTexts(card);
  const at = texts.indexOf(title);
  return at >= 0 ? texts[at + 1] : undefined;
}

async function waitUntil<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('an alert between two Agents Playgrounds (staff and DSL) against one bot', () => {
  const dbName = testDatabaseName(__filename);
  let app: RunningApp | undefined;
  let samPlayground: RunningPlayground | undefined;
  let priyaPlayground: RunningPlayground | undefined;
  let sam: PlaygroundClient;
  let priya: PlaygroundClient;
  // Carried from one step to the next: the scenario is one story, told in order.
  let reference: string;
  let alertMessage: PlaygroundMessage;

  beforeAll(async () => {
    const logger = createLogger('silent');
    app = await startApp(
      loadConfig({
        APP_MODE: 'development',
        PORT: '0',
        MONGODB_URI: testStoreUri(),
        MONGODB_DB_NAME: dbName,
        LOG_LEVEL: 'silent',
        PLAYGROUND: 'false',
      }),
      logger,
    );
    const botEndpoint = `${app.baseUrl}/api/messages`;
    // One after the other: two free-port probes at once could be handed the same port.
    samPlayground = await startPlayground({ botEndpoint, port: 0, logger });
    priyaPlayground = await startPlayground({
      botEndpoint,
      port: 0,
      logger,
      configFile: DSL_CONFIG,
    });
    // Connect before acting: each Playground streams its events to the first client only.
    [sam, priya] = await Promise.all([
      PlaygroundClient.connect(samPlayground.url),
      PlaygroundClient.connect(priyaPlayground.url),
    ]);
  });

  afterAll(async () => {
    sam?.close();
    priya?.close();
    // The app first: its delivery worker keeps retrying Daniel's alert, and must not write to the
    // database (a lease, an outbox update) after it is dropped.
    await app?.stop();
    await Promise.all([samPlayground?.stop(), priyaPlayground?.stop()]);
    const connection = await connectStore(testStoreUri(), dbName);
    await dropTestStore(connection);
  });

  it('when each person installs the app in their own Playground, then each is welcomed there and their reference carries that Playground’s serviceUrl', async () => {
    expect(sam.currentUser.name).toBe('Sam Taylor');
    expect(priya.currentUser.name).toBe('Priya Shah');
    expect(priya.config.tenantId).toBe(sam.config.tenantId);
    expect(priya.config.bot.id).toBe(sam.config.bot.id);
    expect(priya.config.users).toHaveLength(5);
    expect(priya.user('Sam Taylor').aadObjectId).toBe(sam.currentUser.aadObjectId);

    await sam.install();
    expect(cardTexts(onlyCard(await sam.nextBotMessage())).join('\n')).toContain('Welcome, Sam.');
    await priya.install();
    expect(cardTexts(onlyCard(await priya.nextBotMessage())).join('\n')).toContain(
      'Welcome, Priya.',
    );

    const saved = await app!.store.connection
      .collection('conversation_references')
      .find({}, { projection: { _id: 0, aadObjectId: 1, reference: 1 } })
      .toArray();
    const serviceUrlOf = (aadObjectId: string) =>
      saved.find((r) => r.aadObjectId === aadObjectId)?.reference.serviceUrl;
    expect(serviceUrlOf(sam.currentUser.aadObjectId)).toBe(`${samPlayground!.url}/_connector`);
    expect(serviceUrlOf(priya.currentUser.aadObjectId)).toBe(`${priyaPlayground!.url}/_connector`);
    expect(samPlayground!.url).not.toBe(priyaPlayground!.url);
  });

  it('when Sam reports and submits, then the alert card reaches Priya’s Playground with the reference and Sam’s name, and no pupil name or narrative', async () => {
    await sam.sendMessage('report Sasha Novak');
    const formMessage = await sam.nextBotMessage();
    const form = onlyCard(formMessage);
    const inputs = inputsOf(form);
    const pupilId = inputs.get('pupilId')?.value;
    expect(pupilId).toBeTruthy();
    const submit = (form.actions as ActionJson[]).find((a) => a.verb === 'incident.submit')!;
    const response = await sam.executeAction(formMessage.messageId, {
      verb: 'incident.submit',
      data: {
        ...submit.data,
        pupilId,
        happenedDate: inputs.get('happenedDate')?.value,
        happenedTime: '09:10',
        facts: 'At 09:10 in the playground Sasha said an older pupil took his lunch money again.',
        childsWords: 'HE SAID HE WOULD HURT ME IF I TOLD',
        categoryIds: 'bullying',
      },
    });
    expect(response.type).toBe(ADAPTIVE_CARD);
    const confirmation = cardTexts(response.value).join('\n');
    expect(confirmation).toContain('Concern recorded');
    reference = factValue(response.value, 'Reference')!;
    expect(reference).toMatch(REFERENCE);

    // Sent by the delivery worker, proactively, to Priya's saved reference: her Playground only.
    alertMessage = await priya.nextBotMessage({ timeoutMs: 20_000 });
    const card = onlyCard(alertMessage);
    const texts = cardTexts(card);
    expect(texts).toContain('New safeguarding concern');
    expect(factValue(card, 'Reference')).toBe(reference);
    expect(factValue(card, 'Recorded by')).toBe('Sam Taylor');
    expect(factValue(card, 'Categories')).toBe('Bullying');
    expect(texts).toContain('Not yet acknowledged');
    const shown = JSON.stringify(alertMessage);
    for (const secret of SECRETS) expect(shown).not.toContain(secret);
    const [acknowledge, ...more] = card.actions as ActionJson[];
    expect(more).toHaveLength(0);
    expect(acknowledge).toMatchObject({
      type: 'Action.Execute',
      verb: 'alert.acknowledge',
      data: { alertId: expect.any(String) },
    });
  });

  it('when Priya clicks Acknowledge, then her card says "Acknowledged by you" and Sam’s Playground receives the receipt with the same reference', async () => {
    const [acknowledge] = onlyCard(alertMessage).actions as ActionJson[];
    const answer = await priya.executeAction(alertMessage.messageId, {
      verb: acknowledge!.verb,
      data: acknowledge!.data,
      title: 'Acknowledge: I have seen and understood this',
    });
    const answeredAt = Date.now();
    expect(answer.type).toBe(ADAPTIVE_CARD);
    const answerTexts = cardTexts(answer.value);
    expect(answerTexts.some((t) => t.startsWith('Acknowledged by you at '))).toBe(true);
    expect(factValue(answer.value, 'Reference')).toBe(reference);
    expect((answer.value as { actions?: unknown[] }).actions ?? []).toHaveLength(0);

    // Sam is the recorder: the only new message in his chat is the receipt (never an alert).
    const receipt = await sam.nextBotMessage({ timeoutMs: 20_000 });
    const receiptCard = onlyCard(receipt);
    expect(cardTexts(receiptCard)).toContain('The safeguarding team has your concern');
    expect(factValue(receiptCard, 'Reference')).toBe(reference);
    expect(factValue(receiptCard, 'Acknowledged by')).toBe('Priya Shah');
    for (const secret of SECRETS) expect(JSON.stringify(receipt)).not.toContain(secret);
    process.stdout.write(
      `alert-acknowledge: receipt reached Sam ${Date.now() - answeredAt} ms after Priya's answer\n`,
    );

    // Nothing else: one receipt, and no second alert in Priya's chat.
    await Promise.all([sam.expectNoBotMessage(), priya.expectNoBotMessage({ quietMs: 0 })]);
  });

  it('when Daniel (deputy DSL) has no Playground, then his alert is retried, not delivered to anyone else’s chat, and nothing crashes', async () => {
    const alerts = app!.store.connection.collection('alerts');
    // Daniel never installed the app: the worker opens a 1:1 chat by his Entra object id through
    // the newest saved reference's serviceUrl (one of the two Playgrounds). The Playground accepts
    // the createConversation but answers the send 500 UserNotFound (it knows people by their 29:
    // id, not their aadObjectId), which the worker treats as transient.
    const daniel = await waitUntil(async () => {
      const doc = await alerts.findOne({ recipientAadObjectId: DANIEL, kind: 'incident' });
      return doc && doc.attempts >= 1 ? doc : undefined;
    }, 'a first delivery attempt of Daniel’s alert');
    expect(daniel.reference).toBe(reference);
    expect(daniel.status).toBe('pending');
    expect(daniel.activityId).toBeUndefined();
    expect(daniel.lastError).toMatch(/^HTTP 5\d\d/);
    expect(daniel.nextAttemptAt.getTime()).toBeGreaterThan(daniel.createdAt.getTime());

    // Not given up on (that takes 24 h), so the team has no undeliverable notice yet.
    expect(await alerts.countDocuments({ kind: 'undeliverable-notice' })).toBe(0);

    // Neither Playground shows a message outside its own personal chat: Daniel's alert did not
    // surface in Sam's or Priya's emulator.
    for (const client of [sam, priya]) {
      const elsewhere = client.events.filter(
        (e) =>
          e.action === 'createMessage' && e.actionConversationId !== client.config.personalChat.id,
      );
      expect(elsewhere).toEqual([]);
    }

    // The app is still up and answering: Priya asks for open alerts and gets the list.
    expect((await fetch(`${app!.baseUrl}/healthz`)).ok).toBe(true);
    await priya.sendMessage('alerts');
    const open = cardTexts(onlyCard(await priya.nextBotMessage())).join('\n');
    expect(open).toContain('Alerts that need attention');
    // Priya has acknowledged, so the record is settled for the team; nothing is undeliverable yet.
    expect(open).toContain('Not yet acknowledged by the safeguarding team (0)');
    expect(open).toContain('Could not be delivered (0)');
  });
});
