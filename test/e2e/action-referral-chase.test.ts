import { toSchoolDateTime } from '../../src/shared/school-time';
import { inputsOf } from '../support/cards';
import { startTwoPlaygroundApp, type TwoPlaygroundApp } from '../support/e2e-app';
import { MutableClock } from '../support/mutable-clock';
import {
  ADAPTIVE_CARD,
  cardTexts,
  factValue,
  onlyCard,
  type PlaygroundClient,
  type PlaygroundMessage,
} from '../support/playground-client';

// Sam (staff) reports in his Playground; Priya (DSL) gets the alert in hers, acknowledges it and,
// from the same card, adds a referral to children's social care. The app's clock is injected: it
// is moved a week on with no decision recorded, and the chase prompt arrives in Priya's chat,
// sent by the durable clock job and the delivery worker through the real CloudAdapter.
jest.setTimeout(120_000);

const DAY = 24 * 3_600_000;
// The pupil's names and every narrative typed: none of it may reach a chat.
const SECRETS = ['Sasha', 'Novak', 'lunch money', 'duty social worker'];

interface ActionJson {
  type: string;
  verb: string;
  data: Record<string, unknown>;
}

function actionsOf(card: unknown): ActionJson[] {
  return ((card as { actions?: ActionJson[] }).actions ?? []).filter(
    (a) => a.type === 'Action.Execute',
  );
}

describe('a referral added from the alert card, then chased when the clock passes (two Playgrounds)', () => {
  const clock = new MutableClock(new Date());
  let e2e: TwoPlaygroundApp | undefined;
  let sam: PlaygroundClient;
  let priya: PlaygroundClient;
  let reference: string;
  let alertMessage: PlaygroundMessage;

  beforeAll(async () => {
    e2e = await startTwoPlaygroundApp(__filename, {
      clock,
      env: { ACTION_CLOCK_CHECK_SECONDS: '1' },
    });
    ({ sam, priya } = e2e);
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('when Sam reports a concern, then Priya’s alert card offers Add action', async () => {
    await sam.install();
    await sam.nextBotMessage();
    await priya.install();
    await priya.nextBotMessage();

    await sam.sendMessage('report Sasha Novak');
    const formMessage = await sam.nextBotMessage();
    expect(inputsOf(onlyCard(formMessage)).get('pupilId')?.value).toBeTruthy();
    const response = await sam.press(
      formMessage.messageId,
      { verb: 'incident.submit' },
      {
        facts: 'Sasha said an older pupil took his lunch money again and threatened him.',
        categoryIds: 'bullying',
      },
    );
    expect(response.type).toBe(ADAPTIVE_CARD);
    reference = factValue(response.value, 'Reference')!;

    alertMessage = await priya.nextBotMessage({ timeoutMs: 20_000 });
    const card = onlyCard(alertMessage);
    expect(factValue(card, 'Reference')).toBe(reference);
    expect(actionsOf(card).map((a) => a.verb)).toEqual(['alert.acknowledge', 'action.openForm']);
  });

  it('when Priya acknowledges and adds a referral to children’s social care from the card, then it is added and the card says so without the text', async () => {
    await priya.press(alertMessage.messageId, { verb: 'alert.acknowledge' });
    await sam.nextBotMessage({ timeoutMs: 20_000 }); // the recorder's receipt

    const formAnswer = await priya.press(alertMessage.messageId, { verb: 'action.openForm' });
    expect(formAnswer.type).toBe(ADAPTIVE_CARD);
    expect(cardTexts(formAnswer.value).join('\n')).toContain(`Add an action to ${reference}`);
    // When it happened is left as the form offers it (the app's clock), so any hour will do.
    const today = toSchoolDateTime(clock.now());
    const added = await priya.press(
      alertMessage.messageId,
      { verb: 'action.submit' },
      {
        kind: 'referral',
        agencyId: 'social-care-mash',
        agencyReference: 'MASH-2026-1187',
        referredDate: today.date,
        text: 'Referred by phone to the MASH duty social worker; written referral to follow.',
      },
    );
    expect(added.type).toBe(ADAPTIVE_CARD);
    const texts = cardTexts(added.value);
    expect(texts).toContain('Action added');
    expect(factValue(added.value, 'Action')).toBe('Referral');
    for (const secret of SECRETS) expect(JSON.stringify(added)).not.toContain(secret);
  });

  it('when a week passes with no decision recorded, then the chase prompt arrives in Priya’s chat with the reference and no narrative', async () => {
    clock.advance(7 * DAY);
    // Other messages may come first (the deputies' alerts, never delivered here, give up after a
    // day and the team is told); wait for the chase among them.
    let chase: PlaygroundMessage | undefined;
    const deadline = Date.now() + 60_000;
    while (!chase && Date.now() < deadline) {
      const message = await priya.nextBotMessage({ timeoutMs: deadline - Date.now() });
      if (cardTexts(onlyCard(message)).includes('Chase the referral')) chase = message;
    }
    expect(chase).toBeDefined();
    const card = onlyCard(chase!);
    expect(factValue(card, 'Record')).toBe(reference);
    expect(factValue(card, 'Action')).toBe('Referral');
    expect(factValue(card, 'By')).toBe('Priya Shah');
    expect(actionsOf(card).map((a) => a.verb)).toEqual(['action.openForm']);
    for (const secret of SECRETS) expect(JSON.stringify(chase)).not.toContain(secret);
  });
});
