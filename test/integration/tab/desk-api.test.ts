import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningApp } from '../../../src/app';
import { createAppServices } from '../../../src/app-services';
import { systemClock } from '../../../src/shared/clock';
import { EntraStandIn } from '../../support/entra-stand-in';
import { anIncidentInput } from '../../support/incident-builders';
import { capturingLogger } from '../../support/silent-logger';
import { startTestApp, stopTestApp, testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const CLIENT_ID = '7d1f2b3c-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const SAM = '00000000-0000-0000-0000-000000000e01'; // teacher, the recorder
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // DSL
const DANIEL = '00000000-0000-0000-0000-000000000e03'; // deputy DSL
const STEP_UP = { acrs: ['c1'] };

describe('the desk and reviewing a new concern in the tab API (real store, real HTTP)', () => {
  const log = capturingLogger();
  let app: RunningApp;
  let entra: EntraStandIn;
  let clientDir: string;
  let incidentId: string;

  const call = async (
    method: 'GET' | 'POST',
    url: string,
    oid: string,
    claims: Record<string, unknown> = {},
  ): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${app.baseUrl}/api/tab/${url}`, {
      method,
      headers: {
        authorization: `Bearer ${await entra.token(TENANT, oid, CLIENT_ID, claims)}`,
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  };
  const auditActions = async () =>
    (
      await app.store.connection
        .collection('audit_events')
        .find({ 'target.id': incidentId })
        .toArray()
    ).map((e) => `${String(e.action)}:${String(e.actorAadObjectId)}`);

  beforeAll(async () => {
    entra = await EntraStandIn.create();
    clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tab-client-'));
    fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>tab</title>');
    app = await startTestApp(
      __filename,
      log.logger,
      { TAB_CLIENT_ID: CLIENT_ID, DEMO_SEED: 'true' },
      { tab: { keys: entra.keys, clientDir } },
    );
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
  afterAll(async () => {
    await stopTestApp(app);
    fs.rmSync(clientDir, { recursive: true, force: true });
  });

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
