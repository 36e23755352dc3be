import type { Connection } from 'mongoose';
import {
  botAddedActivity,
  DEMO_TENANT,
  installActivity,
  messageActivity,
  STAFF_USER,
} from '../../support/activities';
import type { AppServices } from '../../../src/app-services';
import { startBotHarness } from '../../support/bot-harness';
import { anIncidentInput } from '../../support/incident-builders';
import type { RecordingTestAdapter } from '../../support/recording-test-adapter';
import { cardOf, textsOf } from '../../support/cards';
import { dropTestStore } from '../../support/test-store';

const fixedNow = new Date('2026-11-23T09:00:00.000Z');

describe('the bot basics, through TestAdapter, on the real store', () => {
  let connection: Connection;
  let services: AppServices;
  let adapter: RecordingTestAdapter;
  let logLines: string[];

  beforeAll(async () => {
    ({ connection, services, adapter, logLines } = await startBotHarness(__filename, {
      now: () => fixedNow,
    }));
  });
  afterAll(() => dropTestStore(connection));

  it('when the app is installed, then the user gets one welcome card and their reference is saved', async () => {
    const [welcome, ...rest] = await adapter.exchange(installActivity());
    expect(rest).toHaveLength(0);
    const texts = textsOf(cardOf(welcome)).join('\n');
    // The first name comes from our directory, not from what Teams sent.
    expect(texts).toContain('Welcome, Sam.');
    expect(texts).toContain('Elm Park Community School');

    const saved = await services.references.find(DEMO_TENANT, STAFF_USER.aadObjectId!);
    expect(saved?.schoolId).toBe('elm-park');
    expect(saved?.updatedAt.toISOString()).toBe(fixedNow.toISOString());
    expect(saved?.reference).toMatchObject({
      channelId: 'msteams',
      serviceUrl: 'https://smba.example.invalid/uk/',
      conversation: { id: `a:personal-${STAFF_USER.id}`, tenantId: DEMO_TENANT },
      user: { aadObjectId: STAFF_USER.aadObjectId },
    });
  });

  it('when Teams also sends conversationUpdate for the same install, then no second welcome goes out', async () => {
    expect(await adapter.exchange(botAddedActivity())).toHaveLength(0);
    expect(await adapter.exchange(installActivity())).toHaveLength(0);
  });

  it('when a user types help, then the help card lists every command', async () => {
    const [reply] = await adapter.exchange(messageActivity('help'));
    const card = cardOf(reply);
    const facts = textsOf(card);
    for (const command of ['report', 'history', 'actions', 'help']) {
      expect(facts).toContain(command);
    }
    expect(card.version).toBe('1.5');
  });

  it('when a user types something unknown, then a friendly help card answers instead of silence', async () => {
    const [reply] = await adapter.exchange(messageActivity('what is this?'));
    expect(textsOf(cardOf(reply)).join('\n')).toContain("Sorry, I didn't understand that.");
  });

  it('when a message arrives from a new service URL, then the saved reference is refreshed', async () => {
    await adapter.exchange({
      ...messageActivity('help'),
      serviceUrl: 'https://smba.example.invalid/emea/',
    });
    const saved = await services.references.find(DEMO_TENANT, STAFF_USER.aadObjectId!);
    expect(saved?.reference.serviceUrl).toBe('https://smba.example.invalid/emea/');
  });

  it('when someone not in the staff directory writes, then they are refused and nothing is stored', async () => {
    const stranger = {
      id: '29:x',
      name: 'Alex Stranger',
      aadObjectId: '99999999-0000-0000-0000-000000000001',
    };
    for (const tenantId of [DEMO_TENANT, 'another-tenant']) {
      const [reply] = await adapter.exchange(
        messageActivity('report', { tenantId, from: stranger }),
      );
      expect(reply?.text).toContain("can't find you in your school's staff list");
      expect(await services.references.find(tenantId, stranger.aadObjectId)).toBeUndefined();
    }
  });

  it('when the activity carries no Entra identity, then the bot refuses to guess', async () => {
    const [reply] = await adapter.exchange(
      messageActivity('help', { from: { id: '29:anon', name: 'Anon' } }),
    );
    expect(reply?.text).toContain('could not tell who you are');
  });

  it('when a message on Sam’s 1:1 chat claims to be from the DSL, then it is refused and audited, and the DSL gains nothing', async () => {
    // Sam has used his chat (the install above saved it as his).
    const dsl = {
      id: '29:dsl',
      name: 'Priya Shah',
      aadObjectId: '00000000-0000-0000-0000-000000000e02',
    };
    const [reply, ...rest] = await adapter.exchange(
      messageActivity('alerts', { from: dsl, conversationId: `a:personal-${STAFF_USER.id}` }),
    );
    expect(rest).toHaveLength(0);
    expect(reply?.text).toContain('did not come from the person this chat belongs to');
    // Sam's chat is still Sam's: Priya's saved reference (if any) was not pointed at it.
    expect(await services.references.find(DEMO_TENANT, dsl.aadObjectId)).toBeUndefined();
    const events = await services.auditEvents.listForTarget(
      { tenantId: DEMO_TENANT, schoolId: 'elm-park' },
      'personal-chat',
      5,
    );
    expect(events[0]).toMatchObject({
      action: 'access.denied',
      actorAadObjectId: dsl.aadObjectId,
      reason: 'identity-mismatch: sender is not the owner of this 1:1 chat',
    });

    // Card data cannot name the actor either: an alert really addressed to Priya, clicked on Sam's
    // chat with Priya's identity, roles and another tenant in the button's data, stays refused.
    const sam = await services.staff.resolveActor(DEMO_TENANT, STAFF_USER.aadObjectId!);
    const { incident } = await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId: 'EP1003',
        linkedPupils: [],
        agencyIds: [],
        alertStaffIds: [],
        bodyMap: [],
        categoryIds: ['bullying'],
      }),
      'forged-card-data',
    );
    await services.alerts.enqueueForIncident(incident);
    const priyas = (
      await services.alertRepository.forIncident(
        { tenantId: DEMO_TENANT, schoolId: 'elm-park' },
        incident.incidentId,
        'incident',
      )
    ).find((a) => a.recipientAadObjectId === dsl.aadObjectId);
    expect(priyas).toBeDefined();
    const [answer] = await adapter.exchange({
      ...messageActivity('', {}),
      type: 'invoke',
      name: 'adaptiveCard/action',
      text: undefined,
      value: {
        action: {
          type: 'Action.Execute',
          verb: 'alert.acknowledge',
          data: {
            alertId: priyas!.alertId,
            aadObjectId: dsl.aadObjectId,
            roles: ['dsl'],
            tenantId: 'another-tenant',
          },
        },
      },
    });
    expect(
      await services.alertRepository.acknowledgements(
        { tenantId: DEMO_TENANT, schoolId: 'elm-park' },
        incident.incidentId,
      ),
    ).toEqual([]);
    expect(JSON.stringify(answer)).toContain('This alert was not sent to you');
  });

  it('when messages are logged, then no user text or name appears in the log', () => {
    const all = logLines.join('\n');
    expect(all).toContain('bot.command');
    expect(all).not.toContain('Sam Taylor');
    expect(all).not.toContain('Alex Stranger');
    expect(all).not.toContain('what is this?');
    expect(all).not.toContain('Jamie');
  });
});

describe('the desk command, through TestAdapter, on the real store', () => {
  let connection: Connection;
  let services: AppServices;
  let adapter: RecordingTestAdapter;

  beforeAll(async () => {
    ({ connection, services, adapter } = await startBotHarness(`${__filename}-desk`, {
      now: () => fixedNow,
    }));
  });
  afterAll(() => dropTestStore(connection));

  it('when Sam (a teacher) types desk after recording a concern, then the card counts his own record, names no pupil and links to the tab', async () => {
    const sam = await services.staff.resolveActor(DEMO_TENANT, STAFF_USER.aadObjectId!);
    await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId: 'EP1003',
        happenedAt: new Date(fixedNow.getTime() - 3_600_000),
        linkedPupils: [],
        agencyIds: [],
        bodyMap: [],
        alertStaffIds: [],
      }),
      'desk-command-1',
    );
    const [reply] = await adapter.exchange(messageActivity('desk'));
    const card = cardOf(reply);
    const texts = textsOf(card).join('\n');
    expect(texts).toContain('Your desk');
    expect(texts).toContain('Your records in the last 30 days\n1');
    expect(texts).not.toMatch(/Sasha|Novak/);
    expect(JSON.stringify(card)).toContain('subEntityId%22%3A%22desk');
  });
});
