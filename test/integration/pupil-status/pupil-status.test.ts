import type { Connection } from 'mongoose';
import { AuditLog, AuditRepository } from '../../../src/audit';
import { importPupils } from '../../../src/directory-import/import-directory';
import { throwawayCipher } from '../../../src/encryption';
import { PupilDirectory, PupilRepository } from '../../../src/pupils';
import { PupilStatusRepository } from '../../../src/pupil-status';
import { PupilStatusService } from '../../../src/pupil-status/pupil-status.service';
import { UNKNOWN_STATUS } from '../../../src/pupil-status/pupil-status.types';
import { syncAllIndexes } from '../../../src/store/connection';
import { aPupil } from '../../support/directory-builders';
import { codeOf } from '../../support/error-code';
import { anActor, SCOPE } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { dropTestStore, openTestStore } from '../../support/test-store';

const HEADER = 'mis_id,legal_first_name,legal_last_name,date_of_birth,year_group,on_roll';
const priya = {
  ...anActor({ aadObjectId: 'aad-priya', displayName: 'Priya Shah', roles: ['dsl'] }),
  steppedUp: true,
};
const sam = { ...anActor(), steppedUp: true };

describe('pupil status (service, import and store on the real store)', () => {
  let connection: Connection;
  let service: PupilStatusService;
  let pupils: PupilRepository;
  const clock = new MutableClock(new Date('2026-12-03T10:00:00Z'));
  const auditOf = (pupilId: string) =>
    connection
      .collection('audit_events')
      .find({ 'target.id': pupilId })
      .sort({ sequence: 1 })
      .toArray();

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    pupils = new PupilRepository(connection);
    service = new PupilStatusService(
      new PupilStatusRepository(connection, throwawayCipher()),
      new PupilDirectory(pupils),
      new AuditLog(new AuditRepository(connection), clock),
      clock,
    );
    await syncAllIndexes(connection);
    await pupils.upsertMany(SCOPE, [aPupil({ pupilId: 'P1' }), aPupil({ pupilId: 'P2' })]);
  });
  afterAll(() => dropTestStore(connection));

  it('when nobody has said anything about a pupil, then the team sees no status and that it is unknown', async () => {
    expect(await service.view(priya, 'P2')).toEqual({
      status: UNKNOWN_STATUS,
      known: false,
      history: [],
    });
  });

  it('when the DSL records a child protection plan with a reason, then it reads back with who, when and why, and is audited without values', async () => {
    const change = {
      status: { ...UNKNOWN_STATUS, childProtectionPlan: true, nhsNumber: '943 476 5919' },
      reason: 'Initial child protection conference 2 Dec',
    };
    expect(await service.change(priya, 'P1', change, 'req-1')).toEqual({
      sequence: 1,
      changed: true,
    });
    const view = await service.view(priya, 'P1');
    expect(view.status).toMatchObject({ childProtectionPlan: true, nhsNumber: '9434765919' });
    expect(view.history[0]).toMatchObject({
      sequence: 1,
      reason: 'Initial child protection conference 2 Dec',
      changedBy: { displayName: 'Priya Shah' },
      changedFields: ['childProtectionPlan', 'nhsNumber'],
      source: 'tab',
    });
    const events = await auditOf('P1');
    expect(events.map((e) => e.action)).toEqual(['pupil.status-change', 'pupil.status-view']);
    expect(events[0]?.reason).toBe('#1 (childProtectionPlan, nhsNumber)');
    // Sealed at rest: neither the reason nor the values are readable in the store.
    const stored = JSON.stringify(
      await connection.collection('pupil_status_changes').find().toArray(),
    );
    expect(stored).not.toContain('conference');
    expect(stored).not.toContain('9434765919');
  });

  it('when a teacher asks for or changes a status, then it is refused and the refusal audited', async () => {
    expect(await codeOf(service.view(sam, 'P1'))).toBe('ACCESS.DENIED');
    expect(await codeOf(service.change(sam, 'P1', { status: UNKNOWN_STATUS, reason: 'x' }))).toBe(
      'ACCESS.DENIED',
    );
    const denied = (await auditOf('P1')).filter((e) => e.action === 'access.denied');
    expect(denied.map((e) => e.reason)).toEqual([
      'pupil-status-view:team-only',
      'pupil-status-change:team-only',
    ]);
  });

  it('when the DSL has not stepped up, then the status is not shown', async () => {
    expect(await codeOf(service.view({ ...priya, steppedUp: false }, 'P1'))).toBe(
      'ACCESS.STEP_UP_REQUIRED',
    );
  });

  it('when the pupil is not at the school, then it is not found', async () => {
    expect(await codeOf(service.view(priya, 'NOPE'))).toBe('CHRONOLOGY.PUPIL_NOT_FOUND');
  });

  it('when a change is invalid, then it is refused with its message and nothing is written', async () => {
    const error = await service
      .change(priya, 'P2', { status: UNKNOWN_STATUS, reason: 'r' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PUPIL_STATUS.INVALID',
      message: 'Give the NHS number, or say why there is none.',
    });
    expect(
      await connection.collection('pupil_status_changes').countDocuments({ pupilId: 'P2' }),
    ).toBe(0);
  });

  it('when the pupils file carries status columns, then statuses merge onto what the team set, and the same file twice changes nothing', async () => {
    const file = `${HEADER},fsm,looked_after\nP1,Alex,Example,2017-05-01,Year 4,yes,yes,no\nP2,Alex,Example,2017-05-01,Year 4,yes,,\n`;
    const first = await importPupils(pupils, SCOPE, file, { now: clock.now(), statuses: service });
    expect(first).toMatchObject({ ok: true, statuses: { changed: 1, unchanged: 0 } });
    const view = await service.view(priya, 'P1');
    // The team's plan stays; the MIS adds free school meals.
    expect(view.status).toMatchObject({ childProtectionPlan: true, freeSchoolMeals: true });
    expect(view.history[0]).toMatchObject({
      sequence: 2,
      source: 'import',
      changedFields: ['freeSchoolMeals'],
    });
    const again = await importPupils(pupils, SCOPE, file, { now: clock.now(), statuses: service });
    expect(again).toMatchObject({ ok: true, statuses: { changed: 0, unchanged: 1 } });
  });

  it('when a status cell is bad, then nothing of the file is written', async () => {
    const file = `${HEADER},cp_plan\nP3,Alex,Example,2017-05-01,Year 4,yes,perhaps\n`;
    const outcome = await importPupils(pupils, SCOPE, file, {
      now: clock.now(),
      statuses: service,
    });
    expect(outcome).toMatchObject({ ok: false, errors: [{ line: 2, column: 'cp_plan' }] });
    expect(await connection.collection('pupils').countDocuments({ pupilId: 'P3' })).toBe(0);
  });

  it('when two team members change the same pupil at once, then both changes are kept in order', async () => {
    const change = (reason: string, eal: boolean) =>
      service.change(priya, 'P2', {
        status: { ...UNKNOWN_STATUS, eal, nhsNumberMissingReason: 'Arrived from abroad' },
        reason,
      });
    const results = await Promise.all([change('first', true), change('second', false)]);
    expect(results.map((r) => r.sequence).sort()).toEqual([1, 2]);
  });
});
