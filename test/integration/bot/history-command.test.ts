import type { Connection } from 'mongoose';
import type { AppServices } from '../../../src/app-services';
import { cardAction, DEMO_TENANT, messageActivity, STAFF_USER } from '../../support/activities';
import { startBotHarness } from '../../support/bot-harness';
import { cardOf, inputsOf, invokeAnswer, textsOf } from '../../support/cards';
import { PupilRepository } from '../../../src/pupils';
import { SchoolLists, SchoolListsRepository, SchoolRepository } from '../../../src/schools';
import { StaffRepository } from '../../../src/staff';
import { aPupil, aStaffMember } from '../../support/directory-builders';
import { anIncidentInput } from '../../support/incident-builders';
import type { RecordingTestAdapter } from '../../support/recording-test-adapter';
import { dropTestStore } from '../../support/test-store';

const fixedNow = new Date('2026-11-23T09:00:00.000Z');
const PUPIL = 'EP1003'; // Alexander "Sasha" Novak: one pupil by that name
const AISHA = {
  id: '29:aisha',
  name: 'Aisha Begum',
  aadObjectId: '00000000-0000-0000-0000-000000000e06',
};
const PRIYA = {
  id: '29:priya',
  name: 'Priya Shah',
  aadObjectId: '00000000-0000-0000-0000-000000000e02',
};
const RIVERSIDE_DSL = '44444444-4444-4444-8444-0000000000c1';
const JOANNE = {
  id: '29:joanne',
  name: 'Joanne Clarke',
  aadObjectId: '00000000-0000-0000-0000-000000000e10',
};

type Card = Record<string, unknown>;
const actionsOf = (card: Card) => (card.actions ?? []) as Record<string, unknown>[];

describe('history <pupil name>, through TestAdapter, on the real store', () => {
  let connection: Connection;
  let services: AppServices;
  let adapter: RecordingTestAdapter;
  let logLines: string[];

  beforeAll(async () => {
    ({ connection, services, adapter, logLines } = await startBotHarness(__filename, {
      now: () => fixedNow,
    }));
    const sam = await services.staff.resolveActor(DEMO_TENANT, STAFF_USER.aadObjectId!);
    // Twelve records about Sasha, one a day in November, the 12th newest.
    for (let day = 1; day <= 12; day += 1) {
      await services.incidents.recordIncident(
        sam,
        anIncidentInput({
          pupilId: PUPIL,
          happenedAt: new Date(`2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`),
          categoryIds: ['behaviour'],
          linkedPupils: [],
          agencyIds: [],
          bodyMap: [],
          alertStaffIds: [],
        }),
        `history-${day}`,
      );
    }
    await services.reindexRecent(new Date(0));
  });
  afterAll(() => dropTestStore(connection));

  it('when the name matches one pupil, then a summary card lists the newest ten, without narrative', async () => {
    const [reply] = await adapter.exchange(messageActivity('history sasha novak'));
    const card = cardOf(reply);
    const texts = textsOf(card);
    expect(texts[0]).toBe('History: Sasha Novak (Alexander Novak) (Reception)');
    const headings = texts.filter((t) => t.includes('\u00B7 Behaviour'));
    expect(headings).toHaveLength(10);
    expect(headings[0]).toContain('12 Nov 2026');
    expect(headings[9]).toContain('3 Nov 2026');
    expect(texts.join('\n')).toContain('recorded by Sam Taylor \u00B7 subject');
    const json = JSON.stringify(card);
    expect(json).not.toContain('DAD HIT ME');
    expect(json).not.toContain('frightened');
    const open = actionsOf(card).find((a) => a.title === 'Open chronology');
    const url = new URL(String(open?.url));
    expect(url.origin + url.pathname).toBe(
      'https://teams.microsoft.com/l/entity/00000000-0000-0000-0000-00000000a001/chronology',
    );
    expect(JSON.parse(url.searchParams.get('context')!)).toEqual({ subEntityId: `pupil:${PUPIL}` });
    expect(actionsOf(card).some((a) => a.title === 'More')).toBe(true);
  });

  it('when More is pressed, then the next page follows from the cursor, and ends there', async () => {
    const [first] = await adapter.exchange(messageActivity('history sasha'));
    const more = actionsOf(cardOf(first)).find((a) => a.title === 'More')!;
    const replies = await adapter.exchange(
      cardAction('chronology.more', more.data as Record<string, unknown>),
    );
    const { card } = invokeAnswer(replies);
    const headings = textsOf(card).filter((t) => t.includes('\u00B7 Behaviour'));
    expect(headings.map((h) => h.slice(0, 10))).toEqual(['2 Nov 2026', '1 Nov 2026']);
    expect(actionsOf(card!).some((a) => a.title === 'More')).toBe(false);
  });

  it('when the name matches several pupils, then a choice card, and choosing shows that pupil', async () => {
    const [reply] = await adapter.exchange(messageActivity('history a'));
    const card = cardOf(reply);
    const choices = inputsOf(card).get('pupilId')?.choices as { value: string }[];
    expect(choices.length).toBeGreaterThan(1);
    expect(choices.length).toBeLessThanOrEqual(15);
    const { card: shown } = invokeAnswer(
      await adapter.exchange(cardAction('chronology.show', { pupilId: PUPIL })),
    );
    expect(textsOf(shown)[0]).toContain('Sasha Novak');
  });

  it('when no pupil has that name, then it says so without echoing markup', async () => {
    const [reply] = await adapter.exchange(
      messageActivity('history <b>Nobody</b> [x](http://e.vil)'),
    );
    expect(reply?.text).toContain('No pupil called');
    expect(reply?.text).not.toContain('<b>');
    expect(reply?.text).not.toContain('[x](');
  });

  it('when the asker has no part in any record, then the card lists nothing and offers no More', async () => {
    const [reply] = await adapter.exchange(messageActivity('history sasha novak', { from: AISHA }));
    const card = cardOf(reply);
    expect(textsOf(card)).toContain('No records you can see for this pupil.');
    expect(actionsOf(card).some((a) => a.title === 'More')).toBe(false);
  });

  it('when the asker has a conflict of interest with the pupil, then they are refused', async () => {
    const conflict = await services.pupils.getPupil(
      { tenantId: DEMO_TENANT, schoolId: 'elm-park' },
      'EP1152',
    );
    const name = `${conflict!.legalFirstName} ${conflict!.legalLastName}`;
    const [reply] = await adapter.exchange(messageActivity(`history ${name}`, { from: JOANNE }));
    // Either the choice card (a common name) or the refusal; choosing them is refused.
    if (reply?.text) expect(reply.text).toContain('only available');
    const answer = invokeAnswer(
      await adapter.exchange(
        cardAction('chronology.show', { pupilId: 'EP1152' }, { from: JOANNE }),
      ),
    );
    expect(answer.text).toBeDefined();
  });

  it('when a concern is reported through the bot, then history lists it at once', async () => {
    const [form] = await adapter.exchange(messageActivity('report sasha novak'));
    const submit = actionsOf(cardOf(form)).find((a) => a.verb === 'incident.submit');
    const draftId = (submit?.data as { draftId?: string } | undefined)?.draftId;
    expect(draftId).toBeDefined();
    const values = {
      pupilId: PUPIL,
      happenedDate: '2026-11-20',
      happenedTime: '09:00',
      transcribedFromPaper: 'false',
      location: 'Hall',
      facts: 'Reported through the form.',
      categoryIds: 'bullying',
      agencyIds: '',
      alertStaffIds: '',
    };
    await adapter.exchange(cardAction('incident.submit', { ...values, draftId }));
    // No rebuild here: the form's hook wrote the index entry when the record was stored.
    const [reply] = await adapter.exchange(messageActivity('history sasha novak'));
    expect(textsOf(cardOf(reply)).find((t) => t.includes('\u00B7 '))).toContain(
      '20 Nov 2026, 09:00 \u00B7 Bullying',
    );
  });

  it('when a file another school sent was imported for the pupil, then the team’s history lists its records as transferred in', async () => {
    // Riverside (another school of the deployment) sends its file on the child; Elm Park imports.
    const riverside = { tenantId: DEMO_TENANT, schoolId: 'riverside' };
    await new SchoolRepository(connection).upsert({
      ...riverside,
      name: 'Riverside Academy',
      referencePrefix: 'RSA',
    });
    await new SchoolLists(new SchoolListsRepository(connection)).seedDefaultLists(riverside);
    await new PupilRepository(connection).upsertMany(riverside, [aPupil({ pupilId: 'R-9' })]);
    await new StaffRepository(connection).upsertMany(riverside, [
      aStaffMember({
        aadObjectId: RIVERSIDE_DSL,
        displayName: 'Grace Okafor',
        roles: ['staff', 'dsl'],
      }),
    ]);
    const grace = {
      ...(await services.staff.resolveActor(DEMO_TENANT, RIVERSIDE_DSL)),
      steppedUp: true,
    };
    const { incident } = await services.incidents.recordIncident(
      grace,
      anIncidentInput({
        pupilId: 'R-9',
        happenedAt: new Date('2026-09-10T10:00:00.000Z'),
        categoryIds: ['safeguarding'],
        linkedPupils: [],
        agencyIds: [],
        bodyMap: [],
        alertStaffIds: [],
      }),
      'history-transfer-1',
    );
    await services.reindexRecent(new Date(0));
    const opened = await services.transfers.open(grace, { pupilId: 'R-9' });
    const sent = await services.transferDelivery.send(grace, opened.transfer.transferId, {
      recipientName: 'Priya Shah',
      recipientSchool: 'Elm Park Community School',
    });
    const token = sent.downloadPath.split('/').at(-1)!;
    const receipt = { name: 'Priya Shah', school: 'Elm Park', role: 'DSL' };
    const { ticket } = await services.transferDelivery.confirm(token, {
      ...receipt,
      code: sent.oneTimeCode,
    });
    const { envelope } = await services.transferDelivery.download(token, ticket);
    const priya = {
      ...(await services.staff.resolveActor(DEMO_TENANT, PRIYA.aadObjectId)),
      steppedUp: true,
    };
    await services.transferImport.importPackage(priya, {
      envelope: envelope.toString('base64'),
      code: sent.oneTimeCode,
      pupilId: 'EP1004',
    });

    const { card } = invokeAnswer(
      await adapter.exchange(cardAction('chronology.show', { pupilId: 'EP1004' }, { from: PRIYA })),
    );
    expect(textsOf(card)).toContainEqual(
      expect.stringContaining(
        `Concern transferred in from Riverside Academy, original reference ${incident.reference}, received 23 Nov 2026`,
      ),
    );
    // Someone with no part in the pupil's records sees none of it.
    const { card: teacher } = invokeAnswer(
      await adapter.exchange(cardAction('chronology.show', { pupilId: 'EP1004' }, { from: AISHA })),
    );
    expect(JSON.stringify(teacher)).not.toContain('transferred in');
  });

  it('when history runs, then no pupil name reaches the log', () => {
    expect(logLines.join('\n')).not.toMatch(/Novak|Sasha/);
  });
});
