import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import type { AccessActor } from '../../../src/access';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import type { Incident } from '../../../src/incidents';
import { RECOVERED_REASON } from '../../../src/incidents/record-audit-recovery';
import { DEMO_TENANT } from '../../support/activities';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { dropTestStore, openTestStore } from '../../support/test-store';
import { runVerifyAudit } from '../../support/verify-audit-cli';

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const SAM = '00000000-0000-0000-0000-000000000e01';
const MINUTE = 60_000;

// A record is stored, then its create event appended: with no transaction between the two, a
// crash can leave a record nobody audited. These tests make that state the way a crash does (the
// record inserted, the event never written) and check it is found and mended, once.

describe('records a crash left without their create event', () => {
  let connection: Connection;
  let services: AppServices;
  let clock: MutableClock;
  let sam: AccessActor;
  let cwd: string;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    clock = new MutableClock(new Date('2026-11-23T10:00:00.000Z'));
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
    sam = { ...(await services.staff.resolveActor(DEMO_TENANT, SAM)), steppedUp: false };
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-recovery-'));
  });
  afterAll(async () => {
    fs.rmSync(cwd, { recursive: true, force: true });
    await dropTestStore(connection);
  });

  const input = () =>
    anIncidentInput({
      pupilId: 'EP1003',
      linkedPupils: [],
      agencyIds: [],
      alertStaffIds: [],
      categoryIds: ['bullying'],
      bodyMap: [],
    });

  /** What a crash between the two writes leaves: the record, stored; its event, not. */
  async function crashAfterInsert(like: Incident, key: string): Promise<Incident> {
    const n = Math.floor(Math.random() * 90_000) + 10_000;
    const record: Incident = {
      ...like,
      incidentId: randomUUID(),
      idempotencyKey: key,
      reference: `EPC-2026-${n}`,
      referenceNumber: n,
      recordedAt: clock.now(),
    };
    await services.incidentRepository.insert(record);
    return record;
  }

  const createEvents = async (incidentId: string) =>
    (await services.auditEvents.listForTarget(SCOPE, incidentId, 20)).filter(
      (e) => e.action === 'record.create',
    );

  const runVerify = () =>
    runVerifyAudit({
      args: ['--tenant', SCOPE.tenantId, '--school', SCOPE.schoolId],
      dbName: connection.name,
      cwd,
    });

  it('when a record has no create event, then verify says so, start-up recovery appends one marked recovered (once), and verify is satisfied', async () => {
    const { incident: audited } = await services.incidents.recordIncident(sam, input(), 'rec-1');
    expect(await createEvents(audited.incidentId)).toHaveLength(1);
    const orphan = await crashAfterInsert(audited, 'rec-crashed-1');

    const before = await runVerify();
    expect(before.code).toBe(1);
    expect(before.stdout).toContain(
      `1 records have no record.create event (first: ${orphan.reference})`,
    );

    // Just stored, it may still be mid-submit on another instance: left alone for now.
    expect(await services.recoverRecordAudit(new Date(0))).toBe(0);
    clock.advance(2 * MINUTE);
    expect(await services.recoverRecordAudit(new Date(0))).toBe(1);
    expect(await createEvents(orphan.incidentId)).toEqual([
      expect.objectContaining({ actorAadObjectId: SAM, reason: RECOVERED_REASON }),
    ]);
    // Run again (the next start, another instance): nothing more.
    expect(await services.recoverRecordAudit(new Date(0))).toBe(0);
    expect(await createEvents(orphan.incidentId)).toHaveLength(1);
    expect(await createEvents(audited.incidentId)).toHaveLength(1);

    const after = await runVerify();
    expect(after.stdout).not.toContain('MISSING');
    expect(after.code).toBe(0);
  });

  it('when the person submits the same form again after the crash, then they get the record and it is audited, once', async () => {
    const { incident: audited } = await services.incidents.recordIncident(sam, input(), 'rec-2');
    const orphan = await crashAfterInsert(audited, 'rec-crashed-2');
    clock.advance(2 * MINUTE);

    const again = await services.incidents.recordIncident(sam, input(), 'rec-crashed-2');
    expect(again).toMatchObject({ created: false, incident: { incidentId: orphan.incidentId } });
    expect(await createEvents(orphan.incidentId)).toEqual([
      expect.objectContaining({ reason: RECOVERED_REASON }),
    ]);
    await services.incidents.recordIncident(sam, input(), 'rec-crashed-2');
    expect(await createEvents(orphan.incidentId)).toHaveLength(1);
  });
});
