import type { RunningApp } from '../../src/app';
import { inputsOf } from '../support/cards';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { adaptiveCards, cardTexts, type PlaygroundClient } from '../support/playground-client';

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
    const inputs = inputsOf(form);
    const pupilId = inputs.get('pupilId')?.value;
    expect(pupilId).toBeTruthy();
    const submit = (form!.actions as { verb: string; data: { draftId: string } }[]).find(
      (a) => a.verb === 'incident.submit',
    )!;

    const facts =
      'At 09:10 in the playground Sasha said an older pupil took his lunch money again.';
    const response = await sam.executeAction(formMessage.messageId, {
      verb: 'incident.submit',
      data: {
        ...submit.data,
        pupilId,
        happenedDate: inputs.get('happenedDate')?.value,
        happenedTime: '09:10',
        facts,
        childsWords: 'HE SAID HE WOULD HURT ME IF I TOLD',
        categoryIds: 'bullying',
      },
    });
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
});
