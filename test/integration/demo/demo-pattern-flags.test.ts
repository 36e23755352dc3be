import type { Connection } from 'mongoose';
import { createAppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { seedDemoHistory } from '../../../src/demo/seed-demo-history';
import { DEMO_DSL_ID } from '../../../src/demo/demo-pattern-reviews';
import { planDemoHistory } from '../../../src/demo/demo-history-plan';
import { demoStatusLines } from '../../../src/demo/demo-statuses';
import { MutableClock } from '../../support/mutable-clock';
import { capturingLogger } from '../../support/silent-logger';
import { dropTestStore, openTestStore } from '../../support/test-store';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SEEDED_AT = new Date('2026-11-18T00:05:00Z');
const REVIEW_LAG_MS = 4 * 86_400_000;

jest.setTimeout(600_000);

describe('the demo school’s pattern flags', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    await seedDemo(connection, TENANT);
    await seedDemoHistory({
      connection,
      tenantId: TENANT,
      clock: new MutableClock(SEEDED_AT),
      logger: capturingLogger().logger,
      services: (historyClock) => createAppServices(connection, historyClock),
    });
  });
  afterAll(() => dropTestStore(connection));

  it('when the demo DSL opens the desk, then a rule has fired on a busy pupil and shows, with only the last days’ flags left to review', async () => {
    const services = await createAppServices(connection, new MutableClock(SEEDED_AT));
    const dsl = { ...(await services.staff.resolveActor(TENANT, DEMO_DSL_ID)), steppedUp: false };
    const desk = await services.desk.deskFor(dsl);
    if (desk.kind !== 'team') throw new Error('the DSL sees the team desk');
    expect(desk.patternFlags.length).toBeGreaterThan(0);
    expect(desk.patternFlags[0]!.records.length).toBeGreaterThan(0);
    const flags = await connection.collection('pattern_flags').find().toArray();
    const open = flags.filter((f) => !f.reviewedAt);
    expect(flags.length).toBeGreaterThan(open.length);
    // The busiest pupil (on a child protection plan) keeps their latest flag open, whatever the day.
    const busiest = demoStatusLines(planDemoHistory('2026-11-18'))[0];
    const busiestOpen = open.filter((f) => f.pupilId === busiest?.pupilId);
    expect(busiestOpen).toHaveLength(1);
    // Everyone else's open flags are the last few days' (the review lag).
    const lagStart = SEEDED_AT.getTime() - REVIEW_LAG_MS - 86_400_000;
    const others = open.filter((f) => f.pupilId !== busiest?.pupilId);
    expect(others.every((f) => (f.raisedAt as Date).getTime() >= lagStart)).toBe(true);
    // The past year's flag cards were never sent, like every other alert of the history.
    expect(
      await connection.collection('alerts').countDocuments({ kind: 'pattern', status: 'pending' }),
    ).toBe(0);
    expect(desk.openCaseCount).toBeGreaterThan(0);
  });
});
