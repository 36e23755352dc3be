import type { Connection } from 'mongoose';
import type { AppServices } from '../../../src/app-services';
import { renderAlertCard } from '../../../src/bot/alerts/alert-cards';
import { cardAction, messageActivity } from '../../support/activities';
import {
  aConcernForm,
  addAllegationsRoles,
  ADULTS,
  ELM_PARK,
} from '../../support/adult-concern-builders';
import { startBotHarness } from '../../support/bot-harness';
import { cardOf, inputsOf, invokeAnswer, textsOf } from '../../support/cards';
import type { RecordingTestAdapter } from '../../support/recording-test-adapter';
import { dropTestStore } from '../../support/test-store';
import { validateAdaptiveCard } from '../../support/adaptive-card-validator';

// 11:00 in London on a school day; the form defaults to this.
const now = new Date('2026-11-23T11:00:00.000Z');
const HEAD_USER = { id: '29:head-helen', name: 'Helen Marsh', aadObjectId: ADULTS.head };

describe('a concern about an adult through the bot (TestAdapter, real store, demo school)', () => {
  let connection: Connection;
  let services: AppServices;
  let adapter: RecordingTestAdapter;
  let logLines: string[];

  beforeAll(async () => {
    ({ connection, services, adapter, logLines } = await startBotHarness(__filename, {
      now: () => now,
    }));
    await addAllegationsRoles(connection);
  });
  afterAll(() => dropTestStore(connection));

  type Action = { verb?: string; data?: Record<string, unknown> };
  const actionsOf = (card: Record<string, unknown>) => (card.actions ?? []) as Action[];

  async function openForm(): Promise<{ card: Record<string, unknown>; draftId: string }> {
    let card = cardOf((await adapter.exchange(messageActivity('concern about an adult')))[0]);
    const carryOn = actionsOf(card).find((a) => a.verb === 'adultConcern.newForm');
    if (carryOn) {
      card = invokeAnswer(
        await adapter.exchange(cardAction('adultConcern.newForm', carryOn.data!)),
      ).card!;
    }
    const submit = actionsOf(card).find((a) => a.verb === 'adultConcern.submit');
    return { card, draftId: String(submit?.data?.draftId) };
  }

  it('when staff type "concern about an adult", then a short valid form opens, with the time now and the staff list', async () => {
    const { card, draftId } = await openForm();
    expect(validateAdaptiveCard(card as never)).toEqual([]);
    expect(draftId).toMatch(/^[0-9a-f-]{36}$/);
    const inputs = inputsOf(card);
    expect([...inputs.keys()]).toEqual([
      'adultKind',
      'subjectAadObjectId',
      'adultName',
      'adultRole',
      'happenedDate',
      'happenedTime',
      'location',
      'whatHappened',
      'harmThreshold',
    ]);
    expect(inputs.get('happenedDate')?.value).toBe('2026-11-23');
    expect(JSON.stringify(inputs.get('subjectAadObjectId'))).toContain(ADULTS.tom);
    // The recorder is not offered as the subject.
    expect(JSON.stringify(inputs.get('subjectAadObjectId'))).not.toContain(ADULTS.sam);
  });

  it('when something is missing, then the form comes back with what was typed and each problem, and nothing is recorded', async () => {
    const { draftId } = await openForm();
    const answer = invokeAnswer(
      await adapter.exchange(
        cardAction('adultConcern.submit', { ...aConcernForm({ whatHappened: '' }), draftId }),
      ),
    );
    const texts = textsOf(answer.card);
    expect(texts.join(' ')).toMatch(/Nothing has been recorded yet/);
    expect(texts.join(' ')).toMatch(/Describe what happened/);
    expect(inputsOf(answer.card).get('adultName')?.value).toBe('Tom Reilly');
    expect(
      await services.adultConcerns.list({
        ...(await services.staff.resolveActor(ELM_PARK.tenantId, ADULTS.head)),
        steppedUp: true,
      }),
    ).toEqual([]);
  });

  it('when the form is submitted, then the chat keeps a confirmation with no name or detail, twice pressed is one record, and the head acknowledges from the alert card', async () => {
    const { draftId } = await openForm();
    adapter.updates.splice(0);
    const press = () =>
      adapter.exchange(cardAction('adultConcern.submit', { ...aConcernForm(), draftId }));
    const answer = invokeAnswer(await press());
    const texts = textsOf(answer.card).join(' ');
    expect(texts).toMatch(/Concern about an adult recorded/);
    expect(texts).toMatch(/The head teacher/);
    expect(texts).not.toMatch(/Tom Reilly|store room|Year 6/);
    // The form message itself is replaced: the transcript keeps no details.
    expect(JSON.stringify(adapter.updates)).not.toMatch(/Tom Reilly|store room/);
    expect(adapter.updates).toHaveLength(1);
    const again = invokeAnswer(await press());
    expect(textsOf(again.card)).toEqual(textsOf(answer.card));

    const head = {
      ...(await services.staff.resolveActor(ELM_PARK.tenantId, ADULTS.head)),
      steppedUp: false,
    };
    const [concern] = await services.adultConcerns.list(head);
    const [alert] = await services.alertRepository.forIncident(
      ELM_PARK,
      concern!.concernId,
      'adult-concern',
    );
    const alertCard = renderAlertCard(alert!, []);
    expect(validateAdaptiveCard(alertCard as never)).toEqual([]);
    expect(JSON.stringify(alertCard)).not.toMatch(/Tom Reilly|store room|Sam Taylor/);
    const ack = actionsOf(alertCard).find((a) => a.verb === 'adultConcern.acknowledge')!;

    // Sam cannot acknowledge it (not theirs); the head can.
    const refused = invokeAnswer(await adapter.exchange(cardAction(ack.verb!, ack.data!)));
    expect(refused.text).toMatch(/could not find that concern/);
    const done = invokeAnswer(
      await adapter.exchange(cardAction(ack.verb!, ack.data!, { from: HEAD_USER })),
    );
    expect(textsOf(done.card).join(' ')).toMatch(/Acknowledged by you at/);
    expect(actionsOf(done.card!)).toEqual([]);
    expect(JSON.stringify(logLines)).not.toMatch(/Tom Reilly|store room|about an adult/);
  });

  it('when saved for later, then the chat keeps a card without details, and typing concern again offers the draft', async () => {
    const { draftId } = await openForm();
    const saved = invokeAnswer(
      await adapter.exchange(cardAction('adultConcern.saveDraft', { ...aConcernForm(), draftId })),
    );
    expect(textsOf(saved.card).join(' ')).not.toMatch(/Tom Reilly/);
    const offer = cardOf((await adapter.exchange(messageActivity('concern')))[0]);
    const resume = actionsOf(offer).find((a) => a.verb === 'adultConcern.resume')!;
    const form = invokeAnswer(await adapter.exchange(cardAction(resume.verb!, resume.data!))).card!;
    expect(inputsOf(form).get('whatHappened')?.value).toBe(aConcernForm().whatHappened);
  });
});
