import type { RunningApp } from '../../src/app';
import { inputsOf } from '../support/cards';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { adaptiveCards, cardTexts, type PlaygroundClient } from '../support/playground-client';
import { actionsOf, TeamsWouldRefuse } from '../support/teams-card-driver';

// Sam Taylor records a concern in the Agents Playground: report → form → submit → confirmation.
jest.setTimeout(120_000);

describe('recording a concern in the Agents Playground', () => {
  let e2e: E2eApp;
  let app: RunningApp;
  let sam: PlaygroundClient;

  beforeAll(async () => {
    e2e = await startE2eApp(__filename);
    ({ app, client: sam } = e2e);
    await sam.install();
    await sam.nextBotMessage(); // the welcome card
  });
  afterAll(() => e2e?.stop());

  it('when Sam reports, fills the form and submits, then a confirmation replaces it with no name or narrative', async () => {
    // "Sasha" is the preferred name of a demo pupil whose legal name is Alexander Novak.
    await sam.sendMessage('report Sasha Novak');
    const formMessage = await sam.nextBotMessage();
    const [form] = adaptiveCards(formMessage);
    const pupilId = inputsOf(form).get('pupilId')?.value;
    expect(pupilId).toBeTruthy();

    // When it happened is left as the form offers it (now), so the test holds at any hour.
    const response = await sam.press(
      formMessage.messageId,
      { verb: 'incident.submit' },
      {
        facts: 'In the playground Sasha said an older pupil took his lunch money again.',
        childsWords: 'HE SAID HE WOULD HURT ME IF I TOLD',
        categoryIds: 'bullying',
      },
    );
    expect(response.type).toBe('application/vnd.microsoft.card.adaptive');
    const confirmation = cardTexts(response.value).join('\n');
    expect(confirmation).toContain('Concern recorded');
    expect(confirmation).toMatch(/EPC-\d{4}-\d{5}/);
    expect(confirmation).toContain('Priya Shah');

    // The chat's copy of the form is overwritten too, so the transcript keeps no narrative.
    const updated = await sam.nextUpdate(formMessage.messageId);
    const kept = JSON.stringify(updated);
    for (const secret of ['Sasha', 'Novak', 'lunch money', 'HURT ME']) {
      expect(kept).not.toContain(secret);
      expect(JSON.stringify(response.value)).not.toContain(secret);
    }
    expect(await app.store.connection.collection('incidents').countDocuments({ pupilId })).toBe(1);
  });

  it('when Sam types report alone, finds the pupil by part of a name, fills and submits, then the concern is recorded', async () => {
    await sam.sendMessage('report');
    const message = await sam.nextBotMessage();
    const id = message.messageId;
    expect(cardTexts(sam.shownCard(id))).toContain('Who is this concern about?');

    // Part of the surname: several pupils may match, each a button.
    let answer = await sam.press(id, { verb: 'incident.findPupil' }, { pupilSearch: 'nova' });
    const buttons = actionsOf(answer.value).filter((a) => a.verb === 'incident.choosePupil');
    const sasha = buttons.find((b) => b.title?.startsWith('Sasha Novak'));
    expect(sasha).toBeDefined();
    expect(sasha!.associatedInputs).toBe('none');

    answer = await sam.press(id, { verb: 'incident.choosePupil', title: sasha!.title });
    expect(cardTexts(answer.value)).toContain('Record a concern');
    const pupilId = inputsOf(answer.value).get('pupilId')?.value;
    expect(pupilId).toBe(sasha!.data!.pupilId);

    // Teams would refuse a choice the list does not hold, so the client does too.
    await expect(
      sam.press(id, { verb: 'incident.submit' }, { categoryIds: 'not-a-category' }),
    ).rejects.toThrow(TeamsWouldRefuse);

    // The form's own search still reaches the bot with the facts box empty (linking a pupil):
    // what is typed survives it.
    answer = await sam.press(
      id,
      { verb: 'incident.searchPupils' },
      { pupilSearch: 'smith', location: 'Top corridor' },
    );
    expect(inputsOf(answer.value).get('location')?.value).toBe('Top corridor');
    expect(inputsOf(answer.value).get('pupilId')?.value).toBe(pupilId);

    answer = await sam.press(
      id,
      { verb: 'incident.submit' },
      {
        facts: 'Sasha was crying by the lockers and said he did not want to go home.',
        categoryIds: 'well-being',
      },
    );
    const confirmation = cardTexts(answer.value).join('\n');
    expect(confirmation).toContain('Concern recorded');
    expect(confirmation).toMatch(/EPC-\d{4}-\d{5}/);
    expect(await app.store.connection.collection('incidents').countDocuments({ pupilId })).toBe(2);
  });
});
