import type { Connection } from 'mongoose';
import { cardAction, DEMO_TENANT, messageActivity, STAFF_USER } from '../../support/activities';
import type { AppServices } from '../../../src/app-services';
import { startBotHarness } from '../../support/bot-harness';
import type { RecordingTestAdapter } from '../../support/recording-test-adapter';
import { cardOf, inputsOf, invokeAnswer, textsOf } from '../../support/cards';
import { connectStore } from '../../../src/store/connection';
import { dropTestStore, testStoreUri } from '../../support/test-store';

// 11:00 in London on a school day; the form defaults to this.
const now = new Date('2026-11-23T11:00:00.000Z');
const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };

describe('recording a concern through the bot (TestAdapter, real store, demo school)', () => {
  let connection: Connection;
  let services: AppServices;
  let adapter: RecordingTestAdapter;
  let logLines: string[];
  let pupilId: string;
  let pupilName: string;
  let siblingId: string;

  beforeAll(async () => {
    ({ connection, services, adapter, logLines } = await startBotHarness(__filename, {
      now: () => now,
    }));
    const [first, second] = await services.pupils.searchPupils(SCOPE, 'a', 2);
    pupilId = first!.pupilId;
    pupilName = `${first!.legalFirstName} ${first!.legalLastName}`;
    siblingId = second!.pupilId;
  });
  afterAll(() => dropTestStore(connection));

  /** What a member of staff would fill in, as card values (strings). */
  function filledForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      pupilId,
      happenedDate: '2026-11-23',
      happenedTime: '10:15',
      transcribedFromPaper: 'false',
      location: 'Year 4 classroom',
      facts:
        'During maths the pupil said their dad hit them last night. Bruise seen on left upper arm.',
      childsWords: 'MY DAD HIT ME WITH A BELT',
      adultsWords: 'I said "Tell me more about that."',
      opinion: 'Seemed frightened to go home.',
      actionTaken: 'Told the DSL in person at 10:30.',
      actionRequired: 'DSL to decide on a referral before home time.',
      categoryIds: 'child-protection,safeguarding',
      agencyIds: '',
      alertStaffIds: '00000000-0000-0000-0000-000000000e05',
      linkedPupil1: siblingId,
      linkedRole1: 'sibling',
      bodyRegion1: 'upper arm',
      bodySide1: 'front',
      bodyLaterality1: 'left',
      bodyDescription1: '3 cm purple bruise',
      ...overrides,
    };
  }

  type CardAction = { verb?: string; data?: Record<string, unknown> };
  /** The Action.Execute buttons inside the card body's ActionSets. */
  function actionSetsOf(card: Record<string, unknown>): CardAction[] {
    const found: CardAction[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (record.type === 'ActionSet') found.push(...(record.actions as CardAction[]));
      Object.values(record).forEach(walk);
    };
    walk(card.body);
    return found;
  }

  function actionsOfCard(card: Record<string, unknown>): CardAction[] {
    return ((card.actions ?? []) as CardAction[]).concat(actionSetsOf(card));
  }

  function isPupilPicker(card: Record<string, unknown>): boolean {
    return actionSetsOf(card).some((a) => a.verb === 'incident.findPupil');
  }

  function formDraftId(card: Record<string, unknown>): string | undefined {
    const actions = (card.actions ?? []) as { verb?: string; data?: { draftId?: string } }[];
    return actions.find((a) => a.verb === 'incident.submit')?.data?.draftId;
  }

  /**
   * Types `report`; if an earlier draft is offered, discards it and starts again, and when asked
   * who the concern is about, finds and chooses the test's pupil, as staff would.
   */
  async function openForm(
    text = 'report',
  ): Promise<{ draftId: string; card: Record<string, unknown> }> {
    const [reply] = await adapter.exchange(messageActivity(text));
    let card = cardOf(reply);
    const press = async (
      verb: string,
      match: Record<string, unknown> = {},
      typed: Record<string, string> = {},
    ) => {
      const action = ((card.actions ?? []) as CardAction[])
        .concat(actionSetsOf(card))
        .find((a) => a.verb === verb && Object.entries(match).every(([k, v]) => a.data?.[k] === v));
      if (!action) throw new Error(`no ${verb} on ${JSON.stringify(textsOf(card))}`);
      return invokeAnswer(await adapter.exchange(cardAction(verb, { ...action.data, ...typed })))
        .card!;
    };
    if (!formDraftId(card) && !isPupilPicker(card)) card = await press('incident.newForm');
    if (isPupilPicker(card)) {
      card = await press('incident.findPupil', {}, { pupilSearch: pupilName });
      card = await press('incident.choosePupil', { pupilId });
    }
    return { draftId: formDraftId(card)!, card };
  }

  it('when staff type report alone, then they are asked who it is about, with a name box and their recent pupils', async () => {
    const [reply] = await adapter.exchange(messageActivity('report'));
    const card = cardOf(reply);
    expect(textsOf(card)).toContain('Who is this concern about?');
    expect(inputsOf(card).has('pupilSearch')).toBe(true);
    expect(formDraftId(card)).toBeUndefined();
  });

  it('when staff choose the pupil, then the form opens with the school lists and today as the default time', async () => {
    const { card } = await openForm();
    const inputs = inputsOf(card);
    expect(inputs.get('happenedDate')?.value).toBe('2026-11-23');
    expect(inputs.get('happenedTime')?.value).toBe('11:00');
    const categories = (inputs.get('categoryIds')?.choices as { title: string }[]).map(
      (c) => c.title,
    );
    expect(categories).toEqual(expect.arrayContaining(['Safeguarding', 'Attendance']));
    expect(textsOf(card).join('\n')).toContain('The safeguarding team is always alerted');
  });

  /** The pupils offered as buttons on a "Who is this about?" card. */
  function offeredPupils(card: Record<string, unknown>): string[] {
    return actionSetsOf(card)
      .filter((a) => a.verb === 'incident.choosePupil')
      .map((a) => String(a.data?.pupilId));
  }

  it('when a name matches several pupils, then each is a button and none is chosen for them', async () => {
    const [reply] = await adapter.exchange(messageActivity('report a'));
    const card = cardOf(reply);
    expect(formDraftId(card)).toBeUndefined();
    expect(offeredPupils(card).length).toBe(10);
    expect(textsOf(card).join('\n')).toContain('More than 10 pupils match');
    expect(inputsOf(card).get('pupilSearch')?.value).toBe('a');
  });

  it('when a name matches no one, then the name stays in the box with a note and nothing is offered', async () => {
    const [reply] = await adapter.exchange(messageActivity('report Zzyzx'));
    const card = cardOf(reply);
    expect(offeredPupils(card)).toEqual([]);
    expect(textsOf(card).join('\n')).toContain('No pupils match that name');
    expect(inputsOf(card).get('pupilSearch')?.value).toBe('Zzyzx');
  });

  it('when a pupil the school does not have is pressed, then the card asks again and no form opens', async () => {
    const answer = invokeAnswer(
      await adapter.exchange(
        cardAction('incident.choosePupil', {
          draftId: '11111111-2222-4333-8444-555555555555',
          pupilId: 'not-a-pupil',
        }),
      ),
    );
    expect(formDraftId(answer.card!)).toBeUndefined();
    expect(textsOf(answer.card).join('\n')).toContain('That pupil cannot be chosen');
  });

  it('when staff type report with a name, then the matching pupil is preselected', async () => {
    const { card } = await openForm(`report ${pupilName}`);
    expect(inputsOf(card).get('pupilId')?.value).toBe(pupilId);
  });

  it('when the form is submitted with problems, then it comes back with what was typed and a message by each field', async () => {
    const { draftId } = await openForm();
    const values = filledForm({ facts: '', happenedDate: '2026-11-24', categoryIds: '' });
    const answer = invokeAnswer(
      await adapter.exchange(cardAction('incident.submit', { ...values, draftId })),
    );
    const inputs = inputsOf(answer.card);
    expect(inputs.get('childsWords')?.value).toBe('MY DAD HIT ME WITH A BELT');
    expect(inputs.get('opinion')?.value).toBe('Seemed frightened to go home.');
    const texts = textsOf(answer.card).join('\n');
    expect(texts).toContain('Describe what happened');
    expect(texts).toContain('cannot be in the future');
    expect(texts).toContain('Choose at least one category');
    expect(await services.incidentRepository.count(SCOPE)).toBe(0);
  });

  it('when Mongo operators or arrays arrive where text belongs, then they are refused with a message', async () => {
    const { draftId } = await openForm();
    const values = filledForm({ facts: { $gt: '' }, pupilId: ['a', 'b'] });
    const answer = invokeAnswer(
      await adapter.exchange(cardAction('incident.submit', { ...values, draftId })),
    );
    const texts = textsOf(answer.card).join('\n');
    expect(texts).toContain('must be text');
    expect(await services.incidentRepository.count(SCOPE)).toBe(0);
  });

  it('when a valid form is submitted, then the record matches it and the chat keeps no name or narrative', async () => {
    const { draftId } = await openForm();
    adapter.updates.splice(0);
    const values = filledForm();
    const answer = invokeAnswer(
      await adapter.exchange(cardAction('incident.submit', { ...values, draftId })),
    );
    const confirmation = JSON.stringify(answer.card);
    expect(confirmation).toMatch(/EPC-2026-\d{5}/);
    expect(textsOf(answer.card).join('\n')).toContain('Priya Shah');
    for (const secret of [
      pupilName,
      'MY DAD HIT ME',
      'During maths',
      'frightened',
      '3 cm purple',
    ]) {
      expect(confirmation).not.toContain(secret);
    }
    // The form message itself is overwritten with the same narrative-free card.
    expect(adapter.updates).toHaveLength(1);
    expect(JSON.stringify(adapter.updates[0])).not.toContain('MY DAD HIT ME');

    const reference = /EPC-2026-\d{5}/.exec(confirmation)![0];
    const model = connection.model('Incident');
    const { incidentId } = (await model.findOne({ reference }).lean()) as unknown as {
      incidentId: string;
    };
    // Read through the repository: at rest the narrative is sealed (test/integration/encryption).
    const stored = await services.incidentRepository.findById(
      { tenantId: DEMO_TENANT, schoolId: 'elm-park' },
      incidentId,
    );
    expect(stored).toMatchObject({
      tenantId: DEMO_TENANT,
      schoolId: 'elm-park',
      pupilId,
      location: 'Year 4 classroom',
      facts: values.facts,
      childsWords: values.childsWords,
      adultsWords: values.adultsWords,
      opinion: values.opinion,
      actionTaken: values.actionTaken,
      actionRequired: values.actionRequired,
      categoryIds: ['child-protection', 'safeguarding'],
      linkedPupils: [{ pupilId: siblingId, role: 'sibling' }],
      bodyMap: [
        {
          region: 'upper arm',
          side: 'front',
          laterality: 'left',
          description: '3 cm purple bruise',
        },
      ],
      alertStaffIds: ['00000000-0000-0000-0000-000000000e05'],
      recordedBy: { aadObjectId: STAFF_USER.aadObjectId, displayName: 'Sam Taylor' },
      recordedAt: now,
      idempotencyKey: draftId,
    });
    // 10:15 London time on 23 November (GMT) is 10:15 UTC.
    expect(stored!.happenedAt.toISOString()).toBe('2026-11-23T10:15:00.000Z');
  });

  it('when the same form is submitted twice (a double click), then one record is made', async () => {
    const { draftId } = await openForm();
    const before = await services.incidentRepository.count(SCOPE);
    const click = () =>
      adapter.exchange(cardAction('incident.submit', { ...filledForm(), draftId }));
    const first = JSON.stringify(invokeAnswer(await click()).card);
    const second = JSON.stringify(invokeAnswer(await click()).card);
    expect(await services.incidentRepository.count(SCOPE)).toBe(before + 1);
    expect(/EPC-2026-\d{5}/.exec(second)![0]).toBe(/EPC-2026-\d{5}/.exec(first)![0]);
  });

  it('when the recorder has recorded about a pupil, then report alone offers that pupil first', async () => {
    const [reply] = await adapter.exchange(messageActivity('report'));
    let card = cardOf(reply);
    if (!isPupilPicker(card)) {
      const discard = actionsOfCard(card).find((a) => a.verb === 'incident.newForm')!;
      card = invokeAnswer(
        await adapter.exchange(cardAction('incident.newForm', discard.data!)),
      ).card!;
    }
    expect(offeredPupils(card)[0]).toBe(pupilId);
    expect(textsOf(card).join('\n')).toContain('Pupils you recorded concerns about recently');
  });

  it('when a form is saved for later, then report offers the draft and resuming brings back every word', async () => {
    const { draftId } = await openForm();
    const values = filledForm({ facts: 'Half written account' });
    const saved = invokeAnswer(
      await adapter.exchange(cardAction('incident.saveDraft', { ...values, draftId })),
    );
    expect(JSON.stringify(saved.card)).not.toContain('Half written');

    const [offer] = await adapter.exchange(messageActivity('report'));
    expect(textsOf(cardOf(offer)).join('\n')).toContain('You have an unfinished report');

    const resumed = invokeAnswer(
      await adapter.exchange(cardAction('incident.resumeDraft', { draftId })),
    );
    const inputs = inputsOf(resumed.card);
    expect(inputs.get('facts')?.value).toBe('Half written account');
    expect(inputs.get('childsWords')?.value).toBe('MY DAD HIT ME WITH A BELT');
    expect(inputs.get('linkedPupil1')?.value).toBe(siblingId);

    // Starting again sets the draft aside; the next report starts afresh (no draft offered).
    await adapter.exchange(
      cardAction('incident.newForm', { discardDraftId: draftId, pupilQuery: '' }),
    );
    const [next] = await adapter.exchange(messageActivity('report'));
    expect(textsOf(cardOf(next)).join('\n')).toContain('Who is this concern about?');
  });

  it('when staff search for a pupil, then matches are offered and what they typed is kept', async () => {
    const { draftId } = await openForm();
    const values = filledForm({
      pupilId: '',
      pupilSearch: pupilName.split(' ')[1],
      facts: 'Typed before searching',
    });
    const answer = invokeAnswer(
      await adapter.exchange(cardAction('incident.searchPupils', { ...values, draftId })),
    );
    const inputs = inputsOf(answer.card);
    expect(inputs.get('facts')?.value).toBe('Typed before searching');
    const choices = (inputs.get('pupilId')?.choices as { value: string }[]).map((c) => c.value);
    expect(choices).toContain(pupilId);
  });

  it('when a pupil of another school is named, then the form says to choose from the school list', async () => {
    const { draftId } = await openForm();
    const answer = invokeAnswer(
      await adapter.exchange(
        cardAction('incident.submit', { ...filledForm({ pupilId: 'OTHER-SCHOOL-1' }), draftId }),
      ),
    );
    expect(textsOf(answer.card).join('\n')).toContain('Choose a pupil from your school');
  });

  it('when someone not in the directory clicks submit, then they are refused and nothing is stored', async () => {
    const before = await services.incidentRepository.count(SCOPE);
    const stranger = {
      id: '29:x',
      name: 'Alex Stranger',
      aadObjectId: '99999999-0000-0000-0000-000000000009',
    };
    const answer = invokeAnswer(
      await adapter.exchange(
        cardAction(
          'incident.submit',
          { ...filledForm(), draftId: '2b7c1f3e-4d5a-4b6c-8d9e-0f1a2b3c4d5e' },
          { from: stranger },
        ),
      ),
    );
    expect(answer.text).toContain("can't find you in your school's staff list");
    expect(await services.incidentRepository.count(SCOPE)).toBe(before);
  });

  it('when the flow is logged, then no pupil name, narrative or typed text appears', () => {
    const all = logLines.join('\n');
    expect(all).toContain('bot.verb');
    for (const secret of [
      pupilName,
      'MY DAD HIT ME',
      'During maths',
      'Half written',
      'frightened',
    ]) {
      expect(all).not.toContain(secret);
    }
  });

  it('when the store goes away mid-form, then the answer says nothing was lost and the card is left alone', async () => {
    const { draftId } = await openForm();
    await connection.close();
    const answer = invokeAnswer(
      await adapter.exchange(cardAction('incident.submit', { ...filledForm(), draftId })),
    );
    expect(answer.type).toBe('application/vnd.microsoft.activity.message');
    expect(answer.text).toContain("couldn't reach the records store");
    // Reconnect to the same database so afterAll can drop it.
    connection = await connectStore(testStoreUri(), connection.name);
  });
});
