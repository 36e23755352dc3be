import type { RunningApp } from '../../../src/app';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { systemClock } from '../../../src/shared/clock';
import { anIncidentInput } from '../../support/incident-builders';
import { capturingLogger } from '../../support/silent-logger';
import { startTabApiApp, type TabApiApp } from '../../support/tab-api-app';
import { testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SCOPE = { tenantId: TENANT, schoolId: 'elm-park' };
const aad = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const SAM = aad('01'); // teacher, the recorder
const PRIYA = aad('02'); // DSL
const DANIEL = aad('03'); // deputy DSL
const GRACE = aad('07'); // deputy DSL with a conflict of interest for the pupil
const PUPIL = 'EP1001';
const HOUR = 3_600_000;

describe('pattern flags and open cases on the desk in the tab API (real store, real HTTP)', () => {
  const log = capturingLogger();
  let app: RunningApp;
  let tab: TabApiApp;
  let services: AppServices;
  const references: string[] = [];

  const call: TabApiApp['call'] = (...args) => tab.call(...args);
  const myFlags = async (oid: string) =>
    (
      (await call('GET', 'desk', oid)).body.patternFlags as {
        flagId: string;
        records: { reference: string }[];
      }[]
    ).filter((f) => f.records.some((r) => references.includes(r.reference)));

  beforeAll(async () => {
    tab = await startTabApiApp(__filename, log.logger);
    app = tab.app;
    services = await createAppServices(app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    await app.store.connection
      .collection('staff')
      .updateOne({ aadObjectId: GRACE }, { $set: { conflictPupilIds: [PUPIL] } });
    const sam = await services.staff.resolveActor(TENANT, SAM);
    // Three concerns in the last few hours, each announced as the form does.
    for (const [i, categoryIds] of [['bullying'], ['attendance'], ['medical']].entries()) {
      const { incident } = await services.incidents.recordIncident(
        sam,
        anIncidentInput({
          pupilId: PUPIL,
          happenedAt: new Date(Date.now() - (4 - i) * HOUR),
          categoryIds,
          linkedPupils: [],
          agencyIds: [],
          bodyMap: [],
          alertStaffIds: [],
        }),
        `flag-api-${i}`,
      );
      references.push(incident.reference);
      await services.events.publish({
        type: 'incident.recorded',
        ...SCOPE,
        incidentId: incident.incidentId,
      });
    }
  });
  afterAll(() => tab?.stop());

  it('when three concerns about a pupil fall in 30 days, then the DSL desk shows one flag: the pupil, the rule, the records and when', async () => {
    const flags = await myFlags(PRIYA);
    expect(flags).toEqual([
      {
        flagId: expect.stringMatching(/^[0-9a-f]{32}$/),
        pupilName: expect.any(String),
        ruleText: '3 concerns in 30 days',
        raisedAt: expect.any(String),
        records: references.map((reference) => ({ incidentId: expect.any(String), reference })),
      },
    ]);
    expect(flags[0]).toHaveProperty('pupilName', expect.stringMatching(/\w/));
  });

  it("when the team member with a conflict of interest opens the desk, then the flag is not there and the pupil's open cases are not counted", async () => {
    expect(await myFlags(GRACE)).toEqual([]);
    const grace = (await call('GET', 'desk', GRACE)).body;
    const priya = (await call('GET', 'desk', PRIYA)).body;
    expect(priya.openCaseCount - grace.openCaseCount).toBe(3);
    expect(grace.openCases.map((c: { reference: string }) => c.reference)).not.toContain(
      references[0],
    );
  });

  it('when the DSL opens the desk, then open cases are listed oldest first with how long they have been open', async () => {
    const desk = (await call('GET', 'desk', PRIYA)).body;
    const mine = desk.openCases.filter((c: { reference: string }) =>
      references.includes(c.reference),
    );
    expect(mine.map((c: { reference: string }) => c.reference)).toEqual(references);
    expect(mine[0]).toMatchObject({ daysOpen: 0, reopened: false, pupilName: expect.any(String) });
  });

  it('when a teacher tries to mark the flag reviewed, then 403; a flag of no such id is 404; the conflicted member gets 404', async () => {
    const flagId = (await myFlags(PRIYA))[0]?.flagId ?? 'none';
    expect((await call('POST', `pattern-flags/${flagId}/review`, SAM)).status).toBe(403);
    expect(
      (await call('POST', 'pattern-flags/0123456789abcdef0123456789abcdef/review', PRIYA)).status,
    ).toBe(404);
    expect((await call('POST', `pattern-flags/${flagId}/review`, GRACE)).status).toBe(404);
  });

  it('when the DSL marks the flag reviewed, then it leaves the desk, once, audited; a second click answers with the first review', async () => {
    const flagId = (await myFlags(PRIYA))[0]?.flagId ?? 'none';
    const first = await call('POST', `pattern-flags/${flagId}/review`, PRIYA);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ first: true, reviewedByName: 'Priya Shah' });
    const second = await call('POST', `pattern-flags/${flagId}/review`, DANIEL);
    expect(second.body).toEqual({ ...first.body, first: false });
    expect(await myFlags(PRIYA)).toEqual([]);
    expect(await myFlags(DANIEL)).toEqual([]);
    const reviews = await app.store.connection
      .collection('audit_events')
      .find({ action: 'pattern.flag-review' })
      .toArray();
    expect(reviews.map((e) => e.actorAadObjectId)).toEqual([PRIYA]);
  });

  it('when the school reads and sets its pattern rules, then the team and an admin may, a teacher may not, and a bad rule is refused in words', async () => {
    const GARETH = aad('09'); // admin
    const read = await call('GET', 'pattern-rules', PRIYA);
    expect(read.status).toBe(200);
    expect(read.body.rules.map((r: { text: string }) => r.text)).toEqual([
      '3 concerns in 30 days',
      '2 concerns in one category in 7 days',
      'A concern about a child on a child protection plan',
    ]);
    expect((await call('GET', 'pattern-rules', SAM)).status).toBe(403);
    const bad = await call(
      'PUT',
      'pattern-rules',
      GARETH,
      {},
      {
        rules: [{ ruleId: 'four', kind: 'concerns-in-days', count: 4 }],
      },
    );
    expect(bad).toEqual({
      status: 400,
      body: {
        code: 'PATTERN.INVALID_RULES',
        message: 'Rule 1: Say over how many days the rule counts (a whole number).',
      },
    });
    const set = await call(
      'PUT',
      'pattern-rules',
      GARETH,
      {},
      {
        rules: [{ ruleId: 'four', kind: 'concerns-in-days', count: 4, days: 14 }],
      },
    );
    expect(set.body.rules).toEqual([
      {
        ruleId: 'four',
        kind: 'concerns-in-days',
        count: 4,
        days: 14,
        text: '4 concerns in 14 days',
      },
    ]);
    expect((await call('PUT', 'pattern-rules', SAM, {}, { rules: [] })).status).toBe(403);
  });
});
