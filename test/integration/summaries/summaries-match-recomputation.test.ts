import type { Connection } from 'mongoose';
import type { AccessActor } from '../../../src/access';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { DEMO_TENANT } from '../../support/activities';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const aad = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const SAM = aad('01'); // teacher, the recorder
const PRIYA = aad('02'); // DSL
const GRACE = aad('07'); // deputy DSL with a conflict of interest about EP1003
const MONTHS = ['2026-10', '2026-11'];
const HOUR = 3_600_000;

/**
 * The summaries kept by events against the same summaries built from the stores: after records,
 * an acknowledgement, an escalation, a referral, closes, a reopen, an amendment of category, and
 * events announced again (some out of order), both must hold the same.
 */
describe('the summaries (open cases, report months) equal a recomputation from the stores', () => {
  let connection: Connection;
  let services: AppServices;
  const clock = new MutableClock(new Date('2026-10-01T08:00:00.000Z'));
  const ids: Record<string, string> = {};

  const actor = async (oid: string, steppedUp = true): Promise<AccessActor> => ({
    ...(await services.staff.resolveActor(DEMO_TENANT, oid)),
    steppedUp,
  });
  const record = async (name: string, pupilId: string, categoryIds: string[], linked = '') => {
    clock.advance(HOUR);
    const { incident } = await services.incidents.recordIncident(
      await actor(SAM, false),
      anIncidentInput({
        pupilId,
        happenedAt: new Date(clock.now().getTime() - 600_000),
        categoryIds,
        linkedPupils: linked ? [{ pupilId: linked, role: 'victim' }] : [],
        agencyIds: [],
        bodyMap: [],
        alertStaffIds: [],
      }),
      `summaries-${name}`,
    );
    ids[name] = incident.incidentId;
    await services.events.publish({ type: 'incident.recorded', ...SCOPE, incidentId: ids[name] });
  };
  const decide = async (name: string) => {
    clock.advance(HOUR);
    return services.actions.add(await actor(PRIYA), ids[name]!, {
      details: { kind: 'decision', outcome: 'no-further-action', reason: 'Nothing more to do' },
      happenedAt: clock.now(),
      text: 'Decided.',
      alertStaffIds: [],
      idempotencyKey: `decide-${name}`,
    });
  };
  const snapshot = async () => {
    const facts = await services.summaries.reportFactsOf(SCOPE, MONTHS);
    const byId = <T extends { incidentId?: string; actionId?: string }>(xs: readonly T[]) =>
      [...xs].sort((a, b) =>
        `${a.incidentId}${a.actionId ?? ''}`.localeCompare(`${b.incidentId}${b.actionId ?? ''}`),
      );
    return {
      open: await services.summaries.oldestOpen(SCOPE, [], 50),
      openWithoutEP1003: await services.summaries.oldestOpen(SCOPE, ['EP1003'], 50),
      concerns: byId(facts?.concerns ?? []),
      actions: byId(facts?.actions ?? []),
    };
  };

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    await seedDemo(connection, DEMO_TENANT);
    services = await createAppServices(connection, clock);
    await connection
      .collection('staff')
      .updateOne({ aadObjectId: GRACE }, { $set: { conflictPupilIds: ['EP1003'] } });
    await record('linked', 'EP1001', ['bullying'], 'EP1003');
    await record('amended', 'EP1002', ['behaviour']);
    await record('escalated', 'EP1004', ['attendance']);
    await record('reopened', 'EP1005', ['bullying']);
    await record('closed', 'EP1006', ['bullying']);
    await record('conflicted', 'EP1003', ['online-safety']);

    const priya = await actor(PRIYA);
    clock.advance(600_000);
    const [alert] = (
      await services.alertRepository.forIncident(SCOPE, ids.linked!, 'incident')
    ).filter((a) => a.recipientAadObjectId === PRIYA);
    await services.alerts.acknowledge(priya, alert!.alertId);
    clock.advance(HOUR);
    await services.alerts.escalate(SCOPE, ids.escalated!);
    clock.advance(HOUR);
    const referral = await services.actions.add(priya, ids.escalated!, {
      details: {
        kind: 'referral',
        agencyId: 'social-care-mash',
        agencyReference: 'MASH-9',
        referredAt: clock.now(),
      },
      happenedAt: clock.now(),
      text: 'Referred.',
      alertStaffIds: [],
      idempotencyKey: 'refer-escalated',
    });
    await decide('reopened');
    await services.cases.close(priya, ids.reopened!);
    await decide('closed');
    await services.cases.close(priya, ids.closed!);
    clock.advance(30 * 24 * HOUR); // 31 October: the reopened case counts from here
    await services.cases.reopen(priya, ids.reopened!, 'New information from the school nurse');
    await services.amendments.amend(priya, ids.amended!, {
      reason: 'It was self-harm, not behaviour.',
      changes: { categoryIds: ['self-harm'] },
    });

    // Announced again, some out of order: a closed case's recording, an old reopen and close.
    await services.events.publish({ type: 'incident.recorded', ...SCOPE, incidentId: ids.closed! });
    await services.events.publish({ type: 'case.reopened', ...SCOPE, incidentId: ids.closed! });
    await services.events.publish({
      type: 'case.closed',
      ...SCOPE,
      incidentId: ids.reopened!,
      outcomeActionId: 'x',
    });
    await services.events.publish({ type: 'incident.recorded', ...SCOPE, incidentId: ids.linked! });
    await services.events.publish({
      type: 'action.added',
      ...SCOPE,
      incidentId: ids.escalated!,
      actionId: referral.action.actionId,
    });
  });
  afterAll(() => dropTestStore(connection));

  it('when events (replayed ones too) have kept the summaries, then they hold what a rebuild from the stores holds', async () => {
    const maintained = await snapshot();
    const summaries = ['open_cases', 'open_case_weeks', 'report_months'];
    for (const name of [...summaries, 'report_month_versions', 'report_month_packs']) {
      await connection.collection(name).deleteMany({});
    }
    await services.summaries.rebuild();
    expect(await snapshot()).toEqual(maintained);
  });

  it('when a case was closed and another reopened, then open cases leave the closed one out and count the reopened one from its reopening', async () => {
    const { open } = await snapshot();
    // As the desk counted before the summaries: every record, less those closed now.
    const changes = await services.cases.statusChangesOfSchool(SCOPE);
    const records = await connection.collection('incidents').find(SCOPE).toArray();
    expect(open?.count).toBe(
      records.filter((r) => !changes.closedIds.includes(String(r.incidentId))).length,
    );
    expect(open?.count).toBe(5);
    expect(open?.oldest.map((c) => c.incidentId)).toEqual(
      ['linked', 'amended', 'escalated', 'conflicted', 'reopened'].map((n) => ids[n]),
    );
    expect(open?.oldest.at(-1)).toEqual(
      expect.objectContaining({ reopened: true, openSince: new Date('2026-10-31T18:10:00.000Z') }),
    );
  });

  it('when someone has a conflict with a pupil, then the cases about that pupil, linked or subject, are neither listed nor counted', async () => {
    const { openWithoutEP1003 } = await snapshot();
    expect(openWithoutEP1003?.count).toBe(3);
    expect(openWithoutEP1003?.oldest.map((c) => c.incidentId)).toEqual(
      ['amended', 'escalated', 'reopened'].map((n) => ids[n]),
    );
    const grace = await services.desk.deskFor(await actor(GRACE, false));
    expect(grace.kind === 'team' && grace.openCaseCount).toBe(3);
  });

  it('when a record was amended, acknowledged or escalated, then the month counts it as it is now', async () => {
    const { concerns, actions } = await snapshot();
    const of = (name: string) => concerns.find((c) => c.incidentId === ids[name]);
    expect(of('amended')?.categoryIds).toEqual(['self-harm']);
    expect(of('linked')?.firstTeamAck).toEqual(new Date('2026-10-01T14:10:00.000Z'));
    expect(of('escalated')?.highestEscalation).toBeGreaterThanOrEqual(1);
    expect(of('closed')?.caseStatus).toBe('closed');
    expect(of('reopened')?.caseStatus).toBe('reopened');
    expect(actions.map((a) => a.kind).sort()).toEqual(['decision', 'decision', 'referral']);
    const report = await services.reports.report(await actor(PRIYA), {
      from: '2026-10-01',
      to: '2026-11-30',
    });
    const byCategory = report.tables.find((t) => t.id === 'concerns-by-category');
    const cell = (label: string) => byCategory?.rows.find((r) => r.label === label)?.cells[0];
    expect(cell('Behaviour')).toBe(0);
    expect(cell('Self-harm')).toBe(1);
  });
});
