import type { RunningApp } from '../../../src/app';
import { createAppServices } from '../../../src/app-services';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { capturingLogger } from '../../support/silent-logger';
import { startTabApiApp, type TabApiApp } from '../../support/tab-api-app';
import { testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SAM = '00000000-0000-0000-0000-000000000e01'; // teacher, the recorder
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // DSL
const HELEN = '00000000-0000-0000-0000-000000000e04'; // head and SLT, not on the team
const CHAIR = '00000000-0000-0000-0000-000000000e21'; // chair of governors
const STEP_UP = { acrs: ['c1'] };
const PUPIL = 'EP1070';

jest.setTimeout(120_000);

describe('retention, legal holds and disposal in the tab API (real store, real HTTP)', () => {
  const log = capturingLogger();
  let app: RunningApp;
  let tab: TabApiApp;
  let scheduleId: string;
  let reference: string;
  const call: TabApiApp['call'] = (...args) => tab.call(...args);
  const asDsl = (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) =>
    call(method, path, PRIYA, STEP_UP, body);

  beforeAll(async () => {
    tab = await startTabApiApp(__filename, log.logger);
    app = tab.app;
    // A record stored in June 2025 (a second service graph whose clock stands then): with a
    // one-year rule for bullying it has been due since June 2026, whatever day the test runs.
    const then = new MutableClock(new Date('2025-06-02T10:00:00.000Z'));
    const past = await createAppServices(app.store.connection, then, {
      cipher: await testAppCipher(),
    });
    const sam = await past.staff.resolveActor(TENANT, SAM);
    const { incident } = await past.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId: PUPIL,
        happenedAt: new Date('2025-06-02T09:00:00.000Z'),
        categoryIds: ['bullying'],
        linkedPupils: [],
        agencyIds: [],
        bodyMap: [],
        alertStaffIds: [],
      }),
      'retention-api-1',
    );
    scheduleId = `incident:${incident.incidentId}`;
    reference = incident.reference;
    // Recorded without an event (as the demo history is): the start-up sweep schedules it once.
    expect(await past.scheduleExistingRecords()).toBe(1);
    expect(await past.scheduleExistingRecords()).toBe(0);
    expect(await past.retentionStores.schedule.findScheduled(incident, scheduleId)).toMatchObject({
      reviewOn: '2031-06-02',
      rule: 'default: date recorded + 6 years',
    });
  });
  afterAll(() => tab?.stop());

  it('when anyone but the team asks, then they are refused; the team needs a second factor', async () => {
    for (const [path, method] of [
      ['retention/due', 'GET'],
      ['retention/rules', 'GET'],
      ['retention/holds', 'GET'],
      ['retention/holds', 'POST'],
      [`retention/records/${scheduleId}/outcome`, 'POST'],
    ] as const) {
      for (const who of [SAM, HELEN, CHAIR]) {
        const body = { decision: 'dispose', scope: 'school', reason: 'x', reference: 'y' };
        expect({
          path,
          who,
          status: (await call(method, path, who, STEP_UP, body)).status,
        }).toEqual({ path, who, status: 403 });
      }
      expect({ path, status: (await call(method, path, PRIYA, {}, {})).status }).toEqual({
        path,
        status: 401,
      });
    }
  });

  it('when the rules are set badly, then the answer says why in words and nothing changes', async () => {
    const noDefault = await asDsl('PUT', 'retention/rules', {
      rules: [{ recordType: 'bullying', basis: 'recorded', years: 1 }],
    });
    expect(noDefault).toMatchObject({ status: 400, body: { code: 'RETENTION.INVALID' } });
    expect(noDefault.body.message).toMatch(/default rule/);
    const zero = await asDsl('PUT', 'retention/rules', {
      rules: [{ recordType: 'default', basis: 'recorded', years: 0 }],
    });
    expect(zero.body.message).toBe('Keep a record for at least 1 year.');
    const unknown = await asDsl('PUT', 'retention/rules', {
      rules: [
        { recordType: 'default', basis: 'recorded', years: 6 },
        { recordType: 'astrology', basis: 'recorded', years: 6 },
      ],
    });
    expect(unknown.body.message).toBe('"astrology" is not one of the school\'s categories.');
    expect((await asDsl('GET', 'retention/rules')).body).toMatchObject({ isDefault: true });
  });

  it('when the team sets a one-year rule for bullying, then the old record is due, listed with its pupil and counted on the desk', async () => {
    const set = await asDsl('PUT', 'retention/rules', {
      rules: [
        { recordType: 'child-protection', basis: 'date-of-birth', years: 25 },
        { recordType: 'bullying', basis: 'recorded', years: 1 },
        { recordType: 'default', basis: 'recorded', years: 6 },
      ],
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ isDefault: false, redated: expect.any(Number) });
    const due = await asDsl('GET', 'retention/due');
    expect(due.status).toBe(200);
    expect(due.body.records).toEqual([
      expect.objectContaining({
        scheduleId,
        reference,
        reviewOn: '2026-06-02',
        rule: 'bullying: date recorded + 1 years',
        categoryNames: ['Bullying'],
        holds: [],
        lastRetained: null,
      }),
    ]);
    expect(due.body.records[0].pupilName).not.toBe('');
    expect((await asDsl('GET', 'desk')).body.retentionReviewsDue).toBe(1);
    const audit = await app.store.connection
      .collection('audit_events')
      .find({
        action: { $in: ['retention.rules-change', 'retention.list', 'retention.rules-view'] },
      })
      .toArray();
    expect(new Set(audit.map((e) => e.action))).toEqual(
      new Set(['retention.rules-change', 'retention.list', 'retention.rules-view']),
    );
  });

  it('when a hold is in force, then disposal through the tab is refused naming the hold; lifted, the record is disposed and its tombstone shown', async () => {
    const placed = await asDsl('POST', 'retention/holds', {
      scope: 'pupil',
      targetId: PUPIL,
      reason: 'Local authority review of the bullying complaint',
      reference: 'LA-REVIEW-204',
    });
    expect(placed.status).toBe(200);
    const listed = await asDsl('GET', 'retention/due');
    expect(listed.body.records[0].holds).toEqual([
      { holdId: placed.body.hold.holdId, reference: 'LA-REVIEW-204' },
    ]);
    const refused = await asDsl('POST', `retention/records/${scheduleId}/outcome`, {
      decision: 'dispose',
    });
    expect(refused).toMatchObject({ status: 409, body: { code: 'RETENTION.HELD' } });
    expect(refused.body.message).toContain('legal hold LA-REVIEW-204 on this pupil');
    expect(refused.body.message).toContain(reference);

    const missingReason = await asDsl(
      'POST',
      `retention/holds/${placed.body.hold.holdId}/lift`,
      {},
    );
    expect(missingReason.body.message).toBe('Give the reason for lifting the hold.');
    const lifted = await asDsl('POST', `retention/holds/${placed.body.hold.holdId}/lift`, {
      reason: 'Review concluded',
    });
    expect(lifted.body.hold.lifted).toMatchObject({
      byName: 'Priya Shah',
      reason: 'Review concluded',
    });

    const disposed = await asDsl('POST', `retention/records/${scheduleId}/outcome`, {
      decision: 'dispose',
    });
    expect(disposed.status).toBe(200);
    expect(disposed.body.tombstone).toMatchObject({
      reference,
      rule: 'bullying: date recorded + 1 years',
      disposedByName: 'Priya Shah',
    });
    expect((await asDsl('GET', 'retention/disposed')).body.disposed).toHaveLength(1);
    const again = await asDsl('POST', `retention/records/${scheduleId}/outcome`, {
      decision: 'dispose',
    });
    expect(again).toMatchObject({ status: 410, body: { code: 'RETENTION.DISPOSED' } });
    const chronology = await asDsl('GET', `pupils/${PUPIL}/chronology`);
    expect(chronology.body.entries).toEqual([
      expect.objectContaining({
        reference,
        title: expect.stringMatching(/^Disposed on .* under rule bullying/),
      }),
    ]);
    expect((await asDsl('GET', 'desk')).body.retentionReviewsDue).toBe(0);
    const record = await asDsl('GET', `incidents/${scheduleId.slice('incident:'.length)}`);
    expect(record).toMatchObject({ status: 410, body: { code: 'RETENTION.DISPOSED' } });
    expect(record.body.message).toContain(`${reference} was disposed of on`);
    const asTeacher = await call(
      'GET',
      `incidents/${scheduleId.slice('incident:'.length)}`,
      SAM,
      STEP_UP,
    );
    expect(asTeacher.status).toBe(404);
  });
});
