import { TestAdapter, type Activity } from 'botbuilder';
import type { Connection } from 'mongoose';
import { SafeguardingBot } from '../../../src/bot/safeguarding-bot';
import { ConversationReferenceRepository } from '../../../src/conversations';
import { seedDemoSchool } from '../../../src/demo/seed-demo-school';
import { SchoolRepository, SchoolService } from '../../../src/schools';
import { syncAllIndexes } from '../../../src/store/connection';
import {
  botAddedActivity,
  DEMO_TENANT,
  installActivity,
  messageActivity,
  STAFF_USER,
} from '../../support/activities';
import { cardOf, textsOf } from '../../support/cards';
import { capturingLogger } from '../../support/silent-logger';
import { dropTestStore, openTestStore } from '../../support/test-store';

const fixedNow = new Date('2026-11-23T09:00:00.000Z');

describe('the bot, through TestAdapter, on the real store', () => {
  let connection: Connection;
  let references: ConversationReferenceRepository;
  let adapter: TestAdapter;
  let logLines: string[];

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    const schools = new SchoolRepository(connection);
    references = new ConversationReferenceRepository(connection);
    await syncAllIndexes(connection);
    await seedDemoSchool(schools, DEMO_TENANT);
    const { logger, lines } = capturingLogger();
    logLines = lines;
    const bot = new SafeguardingBot({
      schools: new SchoolService(schools),
      references,
      clock: { now: () => fixedNow },
      logger,
    });
    adapter = new TestAdapter((context) => bot.run(context));
  });
  afterAll(() => dropTestStore(connection));

  async function replies(activity: Partial<Activity>): Promise<Partial<Activity>[]> {
    adapter.activeQueue.splice(0);
    await adapter.processActivity(activity);
    return adapter.activeQueue.splice(0);
  }

  it('when the app is installed, then the user gets one welcome card and their reference is saved', async () => {
    const [welcome, ...rest] = await replies(installActivity());
    expect(rest).toHaveLength(0);
    const texts = textsOf(cardOf(welcome)).join('\n');
    expect(texts).toContain('Welcome, Sam.');
    expect(texts).toContain('Elm Park Community School');

    const saved = await references.find(DEMO_TENANT, STAFF_USER.aadObjectId!);
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
    expect(await replies(botAddedActivity())).toHaveLength(0);
    expect(await replies(installActivity())).toHaveLength(0);
  });

  it('when a user types help, then the help card lists every command', async () => {
    const [reply] = await replies(messageActivity('help'));
    const card = cardOf(reply);
    const facts = textsOf(card);
    for (const command of ['report', 'history', 'actions', 'help'])
      expect(facts).toContain(command);
    expect(card.version).toBe('1.5');
  });

  it('when a user types something unknown, then a friendly help card answers instead of silence', async () => {
    const [reply] = await replies(messageActivity('what is this?'));
    expect(textsOf(cardOf(reply)).join('\n')).toContain("Sorry, I didn't understand that.");
  });

  it('when a command has not landed yet, then the card says so plainly', async () => {
    const [reply] = await replies(messageActivity('report Jamie'));
    expect(textsOf(cardOf(reply)).join('\n')).toContain(
      '"report" is not available in this version yet.',
    );
  });

  it('when a message arrives from a new service URL, then the saved reference is refreshed', async () => {
    const moved = { ...messageActivity('help'), serviceUrl: 'https://smba.example.invalid/emea/' };
    await replies(moved);
    const saved = await references.find(DEMO_TENANT, STAFF_USER.aadObjectId!);
    expect(saved?.reference.serviceUrl).toBe('https://smba.example.invalid/emea/');
  });

  it('when the tenant has no school configured, then the user is told and nothing is stored', async () => {
    const stranger = {
      id: '29:x',
      name: 'Alex Stranger',
      aadObjectId: '99999999-0000-0000-0000-000000000001',
    };
    const [reply] = await replies(
      messageActivity('help', { tenantId: 'another-tenant', from: stranger }),
    );
    expect(reply?.text).toContain("isn't set up for safeguarding records");
    expect(await references.find('another-tenant', stranger.aadObjectId)).toBeUndefined();
  });

  it('when the activity carries no Entra identity, then the bot refuses to guess', async () => {
    const anonymous = { id: '29:anon', name: 'Anon' };
    const [reply] = await replies(messageActivity('help', { from: anonymous }));
    expect(reply?.text).toContain('could not tell who you are');
  });

  it('when messages are logged, then no user text or name appears in the log', () => {
    const all = logLines.join('\n');
    expect(all).toContain('bot.command');
    expect(all).not.toContain('Sam Taylor');
    expect(all).not.toContain('what is this?');
    expect(all).not.toContain('Jamie');
  });
});
