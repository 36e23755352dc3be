import type { Connection } from 'mongoose';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { startPatternCatchUp } from '../../../src/patterns';
import { UNKNOWN_STATUS } from '../../../src/pupil-status/pupil-status.types';
import { DEMO_TENANT } from '../../support/activities';
import { codeOf } from '../../support/error-code';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { capturingLogger } from '../../support/silent-logger';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const aad = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const SAM = aad('01'); // teacher, the recorder
const PRIYA = aad('02'); // DSL
const DANIEL = aad('03'); // deputy DSL
const GRACE = aad('07'); // deputy DSL, a relative of the busy pupil (conflict of interest)
const RACHEL = aad('08'); // SENDCo, on the team
const BUSY = 'EP1003';
const at = (iso: string) => new Date(`${iso}T10:00:00.000Z`);

describe('pattern rules on the real store: one flag and one card per pupil, rule and window', () => {
  let connection: Connection;
  let services: AppServices;
  const clock = new MutableClock(new Date('2026-11-30T12:00:00.000Z'));
  let keys = 0;
  const log = capturingLogger();

  const flags = () => connection.collection('pattern_flags').find().sort({ raisedAt: 1 }).toArray();
  const patternCards = () =>
    connection
      .collection('alerts')
      .find({ kind: 'pattern' })
      .sort({ recipientAadObjectId: 1 })
      .toArray();
  const raisedAudits = () =>
    connection.collection('audit_events').countDocuments({ action: 'pattern.flag-raise' });
  const actor = async (aadObjectId: string) => ({
    ...(await services.staff.resolveActor(DEMO_TENANT, aadObjectId)),
    steppedUp: false,
  });
  /** A concern recorded as the form records it (stored, then announced). */
  async function record(pupilId: string, day: string, categoryIds: string[]) {
    const { incident } = await services.incidents.recordIncident(
      await actor(SAM),
      anIncidentInput({
        pupilId,
        happenedAt: at(day),
        categoryIds,
        linkedPupils: [],
        agencyIds: [],
        bodyMap: [],
        alertStaffIds: [],
      }),
      `pattern-${++keys}`,
    );
    // As the form does once the record is stored: the subscribers follow up.
    await services.events.publish({
      type: 'incident.recorded',
      ...SCOPE,
      incidentId: incident.incidentId,
    });
    return incident;
  }

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    services = await createAppServices(connection, clock, { logger: log.logger });
    await seedDemo(connection, DEMO_TENANT);
    await connection
      .collection('staff')
      .updateOne({ aadObjectId: GRACE }, { $set: { conflictPupilIds: [BUSY] } });
  });
  afterAll(() => dropTestStore(connection));

  it('when a third concern about a pupil falls in 30 days, then one flag is raised and the team (not the conflicted member) gets one private card each, audited', async () => {
    await record(BUSY, '2026-11-03', ['bullying']);
    await record(BUSY, '2026-11-10', ['attendance']);
    expect(await flags()).toEqual([]);
    const third = await record(BUSY, '2026-11-17', ['medical']);

    const [flag, ...more] = await flags();
    expect(more).toEqual([]);
    expect(flag).toMatchObject({
      pupilId: BUSY,
      ruleId: 'three-in-30-days',
      ruleText: '3 concerns in 30 days',
      triggerIncidentId: third.incidentId,
    });
    expect(flag?.incidentIds).toHaveLength(3);
    const cards = await patternCards();
    expect(cards.map((c) => c.recipientAadObjectId)).toEqual([PRIYA, DANIEL, RACHEL].sort());
    // The card carries the rule and the record's reference: no pupil, no narrative.
    expect(cards[0]).toMatchObject({
      incidentId: third.incidentId,
      reference: third.reference,
      pattern: { ruleText: '3 concerns in 30 days', recordCount: 3 },
      status: 'pending',
    });
    expect(JSON.stringify(cards)).not.toContain(BUSY);
    expect(JSON.stringify(cards)).not.toContain('Jamie');
    expect(await raisedAudits()).toBe(1);
  });

  it('when the same event is announced again and two instances evaluate at once, then there is still one flag and one card each', async () => {
    const [flag] = await flags();
    const event = {
      type: 'incident.recorded',
      ...SCOPE,
      incidentId: String(flag?.triggerIncidentId),
    } as const;
    await services.events.publish(event);
    const second = await createAppServices(connection, clock);
    await Promise.all([
      services.patterns.evaluate(SCOPE, event.incidentId),
      second.patterns.evaluate(SCOPE, event.incidentId),
    ]);
    expect(await flags()).toHaveLength(1);
    expect(await patternCards()).toHaveLength(3);
    expect(await raisedAudits()).toBe(1);
  });

  it('when a fourth concern follows in the same window, then no second flag or card is raised', async () => {
    await record(BUSY, '2026-11-24', ['well-being']);
    expect((await flags()).map((f) => f.ruleId)).toEqual(['three-in-30-days']);
    expect(await patternCards()).toHaveLength(3);
  });

  it('when a record was stored but the process died before evaluating it, then the catch-up after a restart raises its flag once', async () => {
    // Another pupil with two concerns evaluated, then a third stored without its event: what a
    // crash between the write and the handlers leaves.
    await record('EP1004', '2026-11-18', ['bullying']);
    await record('EP1004', '2026-11-19', ['attendance']);
    const written = await services.incidentRepository.findById(
      SCOPE,
      (await flags())[0]!.triggerIncidentId as string,
    );
    await services.incidentRepository.insert({
      ...written!,
      incidentId: '3f1f4c57-0000-4000-8000-00000000c4a5',
      reference: 'EPC-2026-09999',
      referenceNumber: 9999,
      idempotencyKey: 'crashed-before-evaluation',
      pupilId: 'EP1004',
      happenedAt: at('2026-11-20'),
      categoryIds: ['medical'],
      recordedAt: clock.now(),
    });
    expect((await flags()).filter((f) => f.pupilId === 'EP1004')).toEqual([]);

    // The restart: a new service graph on the same store, and the app's catch-up.
    const restarted = await createAppServices(connection, clock);
    await startPatternCatchUp(restarted.patterns, clock, capturingLogger().logger).stop();
    const raised = (await flags()).filter((f) => f.pupilId === 'EP1004');
    expect(raised).toEqual([
      expect.objectContaining({
        ruleId: 'three-in-30-days',
        triggerIncidentId: '3f1f4c57-0000-4000-8000-00000000c4a5',
      }),
    ]);
    // Grace's conflict is with another pupil: she is told of this one.
    const cards = (await patternCards()).filter((c) => c.reference === 'EPC-2026-09999');
    expect(cards.map((c) => c.recipientAadObjectId)).toEqual([PRIYA, DANIEL, GRACE, RACHEL].sort());
    // A second restart finds nothing left to do.
    expect(await restarted.patterns.catchUp(new Date(clock.now().getTime() - 7 * 86_400_000))).toBe(
      0,
    );
    expect((await patternCards()).filter((c) => c.reference === 'EPC-2026-09999')).toHaveLength(4);
  });

  it('when a child is on a child protection plan, then any concern raises the status flag', async () => {
    await services.pupilStatus.change({ ...(await actor(PRIYA)), steppedUp: true }, 'EP1005', {
      status: { ...UNKNOWN_STATUS, childProtectionPlan: true, nhsNumberMissingReason: 'Not given' },
      reason: 'Conference',
    });
    clock.advance(60_000);
    await record('EP1005', '2026-11-30', ['well-being']);
    expect((await flags()).filter((f) => f.pupilId === 'EP1005').map((f) => f.ruleId)).toEqual([
      'any-concern-on-cp-plan',
    ]);
  });

  it("when the conflicted team member asks for open flags, then the busy pupil's flag is not among them; the others see it", async () => {
    const forGrace = await services.patterns.openFlags(await actor(GRACE));
    expect(forGrace.map((f) => f.pupilId)).not.toContain(BUSY);
    const forPriya = await services.patterns.openFlags(await actor(PRIYA));
    expect(forPriya.map((f) => f.pupilId)).toContain(BUSY);
    expect(await services.patterns.openFlags(await actor(SAM))).toEqual([]);
    const busyFlag = forPriya.find((f) => f.pupilId === BUSY)!;
    expect(await codeOf(services.patterns.markReviewed(await actor(GRACE), busyFlag.flagId))).toBe(
      'PATTERN.FLAG_NOT_FOUND',
    );
    expect(await codeOf(services.patterns.markReviewed(await actor(SAM), busyFlag.flagId))).toBe(
      'ACCESS.DENIED',
    );
  });

  it('when a school sets rules that do not make sense, then it is told what is wrong and its rules stay as they were', async () => {
    const priya = await actor(PRIYA);
    const error = await services.patterns
      .setRules(priya, [{ ruleId: 'x', kind: 'concerns-in-days', count: 1, days: 0 }])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PATTERN.INVALID_RULES',
      message:
        'Rule 1: A pattern needs at least 2 concerns (use a status rule for any one). Rule 1: A rule counts over at least 1 day.',
    });
    expect((await services.patterns.rulesFor(SCOPE)).map((r) => r.ruleId)).toEqual([
      'three-in-30-days',
      'two-in-a-category-in-7-days',
      'any-concern-on-cp-plan',
    ]);
    await services.patterns.setRules(priya, [
      { ruleId: 'four-in-14-days', kind: 'concerns-in-days', count: 4, days: 14 },
    ]);
    expect(await services.patterns.rulesFor(SCOPE)).toEqual([
      { ruleId: 'four-in-14-days', kind: 'concerns-in-days', count: 4, days: 14 },
    ]);
    expect(await codeOf(services.patterns.setRules(await actor(SAM), []))).toBe('ACCESS.DENIED');
  });
});
