import type { Connection } from 'mongoose';
import type { AccessActor } from '../../../src/access';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { importPupils } from '../../../src/directory-import';
import { PupilRepository } from '../../../src/pupils';
import { DEMO_TENANT } from '../../support/activities';
import { csv, PUPILS_HEADER, pupilLine } from '../../support/directory-builders';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { capturingLogger } from '../../support/silent-logger';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const aad = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const SAM = aad('01'); // staff
const PRIYA = aad('02'); // DSL
const DAY = 86_400_000;

describe('a transfer case: a leaver with a file opens one, with the 5-school-day clock on the desk', () => {
  let connection: Connection;
  let services: AppServices;
  let clock: MutableClock;
  let keys = 0;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    // Wednesday 20 May 2026, 10:00 BST; Monday 25 May is a bank holiday.
    clock = new MutableClock(new Date('2026-05-20T09:00:00.000Z'));
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
  });
  afterAll(() => dropTestStore(connection));

  async function actor(aadObjectId: string, steppedUp = false): Promise<AccessActor> {
    return { ...(await services.staff.resolveActor(DEMO_TENANT, aadObjectId)), steppedUp };
  }

  async function recordAbout(pupilId: string) {
    const input = anIncidentInput({
      pupilId,
      happenedAt: new Date(clock.now().getTime() - 60_000),
      linkedPupils: [],
      agencyIds: [],
      alertStaffIds: [],
      categoryIds: ['bullying'],
      bodyMap: [],
    });
    await services.incidents.recordIncident(await actor(SAM), input, `transfer-${++keys}`);
    // The form publishes incident.recorded (the chronology indexes it); here the index is mended.
    await services.reindexRecent(new Date(clock.now().getTime() - DAY));
  }

  const leaversFile = (...ids: string[]) =>
    csv(
      `${PUPILS_HEADER},leaving_date,destination_school,destination_urn`,
      ...ids.map(
        (id) => `${pupilLine({ mis_id: id, on_roll: 'no' })},2026-05-20,Riverside Academy,123456`,
      ),
    );

  it('when the pupils file marks a pupil with a file as leaving, then one case opens (and only one on a second import)', async () => {
    await recordAbout('EP1010');
    const pupils = new PupilRepository(connection);
    const file = leaversFile('EP1010', 'EP1011'); // EP1011 has no records: no case
    const first = await importPupils(pupils, SCOPE, file, {
      now: clock.now(),
      leavers: services.transfers,
    });
    expect(first).toMatchObject({ ok: true, transfersOpened: 1 });
    const again = await importPupils(pupils, SCOPE, file, {
      now: clock.now(),
      leavers: services.transfers,
    });
    expect(again).toMatchObject({ ok: true, transfersOpened: 0 });

    const [line, ...others] = await services.transfers.list(await actor(PRIYA, true));
    expect(others).toEqual([]);
    expect(line).toMatchObject({
      state: 'awaiting-send',
      overdue: false,
      chasesDue: 0,
      transfer: {
        pupilId: 'EP1010',
        source: 'import',
        leavingDate: '2026-05-20',
        destination: { schoolName: 'Riverside Academy', urn: '123456' },
        // Thu 21, Fri 22, (weekend, bank holiday), Tue 26, Wed 27, Thu 28 May.
        dueBy: new Date('2026-05-28T09:00:00.000Z'),
      },
    });
    const audited = await services.auditEvents.listForTarget(SCOPE, line!.transfer.transferId, 10);
    expect(audited.map((e) => e.action)).toContain('transfer.open');
  });

  it('when a leaving_date or destination_urn is not valid, then nothing is imported and the line is named', async () => {
    const pupils = new PupilRepository(connection);
    const bad = csv(
      `${PUPILS_HEADER},leaving_date,destination_urn`,
      `${pupilLine({ mis_id: 'EP1012', on_roll: 'no' })},31/02/2026,12345`,
    );
    const outcome = await importPupils(pupils, SCOPE, bad, { leavers: services.transfers });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors.map((e) => e.column).sort()).toEqual([
      'destination_urn',
      'leaving_date',
    ]);
  });

  it('when the DSL opens a transfer in the tab and records the advance notice, then the desk shows it against its clock', async () => {
    await recordAbout('EP1020');
    const priya = await actor(PRIYA, true);
    const opened = await services.transfers.open(priya, {
      pupilId: 'EP1020',
      destinationSchool: 'Hillside Primary',
    });
    expect(opened).toMatchObject({ state: 'awaiting-send', transfer: { source: 'tab' } });
    const noticed = await services.transfers.recordNotice(priya, opened.transfer.transferId, {
      how: 'Phone call to their DSL',
    });
    expect(noticed.transfer.notice).toMatchObject({
      how: 'Phone call to their DSL',
      by: { aadObjectId: PRIYA },
      at: clock.now(),
    });

    const desk = await services.desk.deskFor(priya);
    expect(desk.kind === 'team' && desk.transfers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          transferId: opened.transfer.transferId,
          destinationSchool: 'Hillside Primary',
          state: 'awaiting-send',
          overdue: false,
          chasesDue: 0,
        }),
      ]),
    );
  });

  it('when no receipt comes by day 5, then the desk says overdue and counts a chase each school day', async () => {
    await recordAbout('EP1030');
    const priya = await actor(PRIYA, true);
    const opened = await services.transfers.open(priya, { pupilId: 'EP1030' });
    const onDesk = async () => {
      const desk = await services.desk.deskFor(priya);
      return desk.kind === 'team'
        ? desk.transfers?.find((t) => t.transferId === opened.transfer.transferId)
        : undefined;
    };
    clock.advance(8 * DAY); // Thursday 28 May, 10:00: day 5
    expect(await onDesk()).toMatchObject({ overdue: true, chasesDue: 1 });
    clock.advance(3 * DAY); // Sunday 31 May: the weekend adds no chase
    expect(await onDesk()).toMatchObject({ overdue: true, chasesDue: 2 });
    clock.advance(DAY); // Monday 1 June
    expect(await onDesk()).toMatchObject({ chasesDue: 3 });
  });

  it('when no receipt comes by day 5, then the clock jobs prompt the team to chase once each school day, and stop at the receipt', async () => {
    await recordAbout('EP1040');
    const priya = await actor(PRIYA, true);
    const opened = await services.transfers.open(priya, {
      pupilId: 'EP1040',
      destinationSchool: 'Hillside Primary',
    });
    const { transferId } = opened.transfer;
    const jobs = services.actionJobs('transfer-test', capturingLogger().logger);
    const chases = async () =>
      await services.alertRepository.forIncident(SCOPE, transferId, 'transfer-chase');
    const waves = async () => [...new Set((await chases()).map((a) => a.wave))].sort();

    await jobs.runDue();
    expect(await chases()).toEqual([]); // not due yet
    clock.advance(opened.transfer.dueBy.getTime() - clock.now().getTime()); // day 5
    await jobs.runDue();
    const first = await chases();
    expect(first.map((a) => a.recipientAadObjectId)).toContain(PRIYA);
    expect(first[0]).toMatchObject({
      reason: 'transfer-clock',
      reference: 'File transfer to Hillside Primary',
      action: { kind: 'transfer', actionId: transferId },
    });
    expect(await waves()).toEqual([1001]);
    await jobs.runDue(); // again the same day: nothing new
    expect(await waves()).toEqual([1001]);
    clock.advance(DAY);
    await jobs.runDue();
    expect(await waves()).toEqual([1001, 1002]);

    const sent = await services.transferDelivery.send(priya, transferId, {
      recipientName: 'Mr Adeyemi',
      recipientSchool: 'Hillside Primary',
    });
    await services.transferDelivery.confirm(sent.downloadPath.split('/').at(-1)!, {
      code: sent.oneTimeCode,
      name: 'Tunde Adeyemi',
      school: 'Hillside Primary',
      role: 'DSL',
    });
    clock.advance(DAY);
    await jobs.runDue();
    expect(await waves()).toEqual([1001, 1002]); // received: no more chases
  });

  it('when someone off the team or without step-up asks, then it is refused (denials audited)', async () => {
    await expect(services.transfers.list(await actor(SAM, true))).rejects.toMatchObject({
      code: 'ACCESS.DENIED',
    });
    await expect(services.transfers.list(await actor(PRIYA, false))).rejects.toMatchObject({
      code: 'ACCESS.STEP_UP_REQUIRED',
    });
    await expect(
      services.transfers.open(await actor(PRIYA, true), {
        pupilId: 'EP1020',
        destinationUrn: '12',
      }),
    ).rejects.toMatchObject({ code: 'TRANSFER.INVALID' });
  });
  it('when a pupil leaves, their file is received, they rejoin and leave again, then a second case opens (once)', async () => {
    await recordAbout('EP1035');
    const pupils = new PupilRepository(connection);
    const leaving = (date: string) =>
      csv(
        `${PUPILS_HEADER},leaving_date,destination_school`,
        `${pupilLine({ mis_id: 'EP1035', on_roll: 'no' })},${date},Riverside Academy`,
      );
    const importing = (file: string) =>
      importPupils(pupils, SCOPE, file, { now: clock.now(), leavers: services.transfers });
    expect(await importing(leaving('2026-05-20'))).toMatchObject({ transfersOpened: 1 });
    const priya = await actor(PRIYA, true);
    const [first] = (await services.transfers.list(priya)).filter(
      (l) => l.transfer.pupilId === 'EP1035',
    );
    // Still open: the same file again, or the team in the tab, finds the same case.
    expect(await importing(leaving('2026-05-20'))).toMatchObject({ transfersOpened: 0 });
    expect((await services.transfers.open(priya, { pupilId: 'EP1035' })).transfer.transferId).toBe(
      first!.transfer.transferId,
    );
    const sent = await services.transferDelivery.send(priya, first!.transfer.transferId, {
      recipientName: 'Grace Okafor',
      recipientSchool: 'Riverside Academy',
    });
    await services.transferDelivery.confirm(sent.downloadPath.split('/').at(-1)!, {
      code: sent.oneTimeCode,
      name: 'Grace Okafor',
      school: 'Riverside Academy',
      role: 'DSL',
    });
    // Received: the old leaving again opens nothing; a later leaving opens the next case.
    expect(await importing(leaving('2026-05-20'))).toMatchObject({ transfersOpened: 0 });
    expect(await importing(leaving('2026-07-10'))).toMatchObject({ transfersOpened: 1 });
    expect(await importing(leaving('2026-07-10'))).toMatchObject({ transfersOpened: 0 });
    const cases = (await services.transfers.list(priya)).filter(
      (l) => l.transfer.pupilId === 'EP1035',
    );
    expect(cases.map((l) => l.state).sort()).toEqual(['awaiting-send', 'received']);
    const second = cases.find((l) => l.state === 'awaiting-send')!;
    expect(second.transfer).toMatchObject({ leavingDate: '2026-07-10', source: 'import' });
    expect(second.transfer.transferId).not.toBe(first!.transfer.transferId);
  });
});
