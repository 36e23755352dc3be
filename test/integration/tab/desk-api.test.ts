import type { RunningApp } from '../../../src/app';
import { createAppServices } from '../../../src/app-services';
import { systemClock } from '../../../src/shared/clock';
import { anIncidentInput } from '../../support/incident-builders';
import { capturingLogger } from '../../support/silent-logger';
import { startTabApiApp, type TabApiApp } from '../../support/tab-api-app';
import { testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SAM = '00000000-0000-0000-0000-000000000e01'; // teacher, the recorder
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // DSL
const DANIEL = '00000000-0000-0000-0000-000000000e03'; // deputy DSL
const STEP_UP = { acrs: ['c1'] };

describe('the desk and reviewing a new concern in the tab API (real store, real HTTP)', () => {
  const log = capturingLogger();
  let app: RunningApp;
  let tab: TabApiApp;
  let incidentId: string;

  const call: TabApiApp['call'] = (...args) => tab.call(...args);
  const auditActions = async () =>
    (
      await app.store.connection
        .collection('audit_events')
        .find({ 'target.id': incidentId })
        .toArray()
    ).map((e) => `${String(e.action)}:${String(e.actorAadObjectId)}`);

  beforeAll(async () => {
    tab = await startTabApiApp(__filename, log.logger);
    app = tab.app;
    const services = await createAppServices(app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    const sam = await services.staff.resolveActor(TENANT, SAM);
    const { incident } = await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId: 'EP1001',
        happenedAt: new Date(Date.now() - 3_600_000),
        categoryIds: ['behaviour'],
        linkedPupils: [],
        agencyIds: [],
        bodyMap: [],
        alertStaffIds: [],
      }),
      'review-api-1',
    );
    incidentId = incident.incidentId;
  });
  afterAll(() => tab?.stop());

  it('when a concern is new, then the DSL desk lists it as not reviewed, with the pupil and who recorded it', async () => {
    const desk = await call('GET', 'desk', PRIYA);
    expect(desk.status).toBe(200);
    expect(desk.body.kind).toBe('team');
    expect(desk.body.newConcerns).toEqual([
      expect.objectContaining({
        incidentId,
        recordedByName: 'Sam Taylor',
        categoryNames: ['Behaviour'],
      }),
    ]);
    expect(desk.body.newConcerns[0].pupilName).toBeTruthy();
  });

  it("when a teacher opens the desk, then it is their own records and tasks, not the team's lists", async () => {
    const desk = await call('GET', 'desk', SAM);
    expect(desk.body).toEqual({
      kind: 'staff',
      myRecords: [expect.objectContaining({ incidentId })],
      myTasks: [],
    });
  });

  it('when the DSL reads a new concern, then it is shown as not reviewed: reading does not review it', async () => {
    const read = await call('GET', `incidents/${incidentId}`, PRIYA, STEP_UP);
    expect(read.status).toBe(200);
    expect(read.body.review).toBeNull();
  });

  it('when the recorder (a teacher) tries to mark it reviewed, then 403', async () => {
    expect((await call('POST', `incidents/${incidentId}/review`, SAM)).status).toBe(403);
  });

  it('when the DSL marks it reviewed without a second factor, then it is reviewed once, audited, and the record says by whom', async () => {
    const first = await call('POST', `incidents/${incidentId}/review`, PRIYA);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ first: true, review: { reviewedByName: 'Priya Shah' } });
    // Daniel clicks a moment later: the first review stands.
    const second = await call('POST', `incidents/${incidentId}/review`, DANIEL);
    expect(second.body).toMatchObject({ first: false, review: { reviewedByName: 'Priya Shah' } });
    const read = await call('GET', `incidents/${incidentId}`, SAM);
    expect(read.body.review).toEqual({
      reviewedByName: 'Priya Shah',
      reviewedAt: first.body.review.reviewedAt,
    });
    expect((await auditActions()).filter((a) => a.startsWith('record.review'))).toEqual([
      `record.review:${PRIYA}`,
    ]);
    // Reviewed: off the desk.
    expect((await call('GET', 'desk', DANIEL)).body.newConcerns).toEqual([]);
  });

  it('when a record of no such id is reviewed, then 404', async () => {
    expect((await call('POST', 'incidents/no-such-record/review', PRIYA)).status).toBe(404);
  });
});
