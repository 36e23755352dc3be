import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { AuditRepository, verifyAuditChain } from '../../../src/audit';
import { seedDemo } from '../../../src/demo/seed-demo';
import { capturingLogger } from '../../support/silent-logger';
import { DEMO_TENANT } from '../../support/activities';
import {
  aConcernForm,
  addAllegationsRoles,
  adultActor,
  ADULTS,
  ELM_PARK,
} from '../../support/adult-concern-builders';
import { codeOf } from '../../support/error-code';
import { MutableClock } from '../../support/mutable-clock';
import { dropTestStore, openTestStore } from '../../support/test-store';

// Monday 23 November 2026, 11:00 in London: school time.
const START = new Date('2026-11-23T11:00:00.000Z');
const MINUTE = 60_000;

describe('concerns about adults on the real store', () => {
  let connection: Connection;
  let services: AppServices;
  const clock = new MutableClock(START);

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
    await addAllegationsRoles(connection);
  });
  afterAll(() => dropTestStore(connection));

  async function record(by: string, form = aConcernForm()) {
    const actor = await adultActor(services, by, false);
    const draftId = randomUUID();
    const outcome = await services.adultConcernForms.submit(actor, draftId, form);
    if (outcome.kind !== 'recorded') throw new Error(`not recorded: ${JSON.stringify(outcome)}`);
    return { concern: outcome.concern, draftId, actor };
  }

  const alertsOf = (concernId: string) =>
    services.alertRepository.forIncident(ELM_PARK, concernId, 'adult-concern');

  it('when a teacher records an allegation about a colleague, then it is stored once per form and only the head is alerted, with no name or detail', async () => {
    const { concern, draftId, actor } = await record(ADULTS.sam);
    const again = await services.adultConcernForms.submit(actor, draftId, aConcernForm());
    expect(again).toMatchObject({ kind: 'recorded', created: false });
    expect(again.kind === 'recorded' && again.concern.concernId).toBe(concern.concernId);
    expect(concern).toMatchObject({ route: 'allegation', caseManagerRoute: 'head' });
    // KCSIE: the LADO within one working day.
    expect(concern.ladoReferralDueAt?.toISOString()).toBe('2026-11-24T11:00:00.000Z');

    const alerts = await alertsOf(concern.concernId);
    expect(alerts.map((a) => a.recipientAadObjectId)).toEqual([ADULTS.head]);
    const outbox = JSON.stringify(alerts);
    expect(outbox).not.toMatch(/Tom Reilly|store room|Year 6|Sam Taylor/);
  });

  it('when the recorder, the DSL or the subject asks to read it, then it is "not found" and the refusal is audited; the head reads it', async () => {
    const { concern } = await record(ADULTS.aisha);
    for (const who of [ADULTS.aisha, ADULTS.dsl, ADULTS.tom]) {
      const actor = await adultActor(services, who);
      await expect(services.adultConcerns.view(actor, concern.concernId)).rejects.toMatchObject({
        code: 'ADULT_CONCERN.NOT_FOUND',
      });
      expect(await services.adultConcerns.list(actor)).toEqual([]);
    }
    const head = await adultActor(services, ADULTS.head);
    const full = await services.adultConcerns.view(head, concern.concernId);
    expect(full.details).toMatchObject({ adultName: 'Tom Reilly', location: 'Year 6 classroom' });
    const denials = await new AuditRepository(connection).listForTarget(
      ELM_PARK,
      concern.concernId,
      50,
    );
    expect(denials.filter((e) => e.action === 'access.denied')).toHaveLength(3);
    expect(denials.map((e) => e.action)).toEqual(
      expect.arrayContaining(['adult-concern.create', 'adult-concern.view']),
    );
  });

  it('when the concern is about the head, then the chair of governors is the case manager and the head and their deputy cannot see it', async () => {
    const { concern } = await record(
      ADULTS.sam,
      aConcernForm({
        subjectAadObjectId: ADULTS.head,
        adultName: 'Helen Marsh',
        adultRole: 'Head teacher',
      }),
    );
    expect(concern.caseManagerRoute).toBe('chair');
    expect((await alertsOf(concern.concernId)).map((a) => a.recipientAadObjectId)).toEqual([
      ADULTS.chair,
    ]);
    for (const who of [ADULTS.head, ADULTS.deputy]) {
      await expect(
        services.adultConcerns.view(await adultActor(services, who), concern.concernId),
      ).rejects.toMatchObject({ code: 'ADULT_CONCERN.NOT_FOUND' });
    }
    const chair = await adultActor(services, ADULTS.chair);
    expect((await services.adultConcerns.view(chair, concern.concernId)).details.adultName).toBe(
      'Helen Marsh',
    );
  });

  it('when nobody acknowledges, then it escalates to the named deputy, then the chair; once acknowledged it stops', async () => {
    clock.advance(24 * 60 * MINUTE); // Tuesday 11:00: the earlier concerns are long overdue.
    const escalation = services.adultConcernEscalation('test', capturingLogger().logger);
    await escalation.runDue();
    const { concern } = await record(ADULTS.sam);
    clock.advance(16 * MINUTE);
    await escalation.runDue();
    expect(
      (await alertsOf(concern.concernId)).map((a) => [a.recipientAadObjectId, a.wave]),
    ).toEqual(
      expect.arrayContaining([
        [ADULTS.head, 0],
        [ADULTS.deputy, 1],
      ]),
    );
    clock.advance(16 * MINUTE);
    await escalation.runDue();
    expect((await alertsOf(concern.concernId)).map((a) => a.recipientAadObjectId)).toContain(
      ADULTS.chair,
    );

    const deputy = await adultActor(services, ADULTS.deputy, false);
    expect(await services.adultConcerns.acknowledge(deputy, concern.concernId)).toMatchObject({
      changed: true,
    });
    expect(await services.adultConcerns.acknowledge(deputy, concern.concernId)).toMatchObject({
      changed: false,
    });
    const before = (await alertsOf(concern.concernId)).length;
    clock.advance(120 * MINUTE);
    await escalation.runDue();
    expect(await alertsOf(concern.concernId)).toHaveLength(before);
    // Never to the subject or the DSL, whatever the step.
    const everyone = (await alertsOf(concern.concernId)).map((a) => a.recipientAadObjectId);
    expect(everyone).not.toContain(ADULTS.tom);
    expect(everyone).not.toContain(ADULTS.dsl);
  });

  it('when the head declares a conflict with the adult, then the head is neither alerted nor let in, and the deputy is the case manager', async () => {
    const head = await adultActor(services, ADULTS.head);
    await services.adultConcernConflicts.declareConflict(head, {
      aadObjectId: ADULTS.head,
      subjectAadObjectId: ADULTS.aisha,
    });
    const { concern } = await record(
      ADULTS.sam,
      aConcernForm({ subjectAadObjectId: ADULTS.aisha, adultName: 'Aisha Begum' }),
    );
    expect(await alertsOf(concern.concernId)).toEqual([]);
    await expect(services.adultConcerns.view(head, concern.concernId)).rejects.toMatchObject({
      code: 'ADULT_CONCERN.NOT_FOUND',
    });
    clock.advance(16 * MINUTE);
    await services.adultConcernEscalation('test', capturingLogger().logger).runDue();
    expect((await alertsOf(concern.concernId)).map((a) => a.recipientAadObjectId)).toEqual([
      ADULTS.deputy,
    ]);
    // A teacher cannot record a conflict for someone else.
    const sam = await adultActor(services, ADULTS.sam);
    expect(
      await codeOf(
        services.adultConcernConflicts.declareConflict(sam, {
          aadObjectId: ADULTS.dsl,
          subjectAadObjectId: ADULTS.tom,
        }),
      ),
    ).toBe('ACCESS.DENIED');
  });

  it('when the case manager runs the LADO route, then the referral stops the clock, advice needs a note, and only a statutory outcome is accepted, once', async () => {
    const { concern } = await record(ADULTS.sam);
    const head = await adultActor(services, ADULTS.head);
    const { date } = { date: '2026-11-24' };
    const referred = await services.adultConcernCases.addStep(head, concern.concernId, {
      kind: 'lado-referral',
      date,
      time: '11:30',
      note: 'Phoned the LADO duty line.',
    });
    expect(referred.ladoReferredAt).toBeDefined();
    expect(
      await codeOf(
        services.adultConcernCases.addStep(head, concern.concernId, {
          kind: 'lado-advice',
          date,
          time: '11:40',
          note: ' ',
        }),
      ),
    ).toBe('ADULT_CONCERN.INVALID');
    for (const kind of ['lado-advice', 'lado-decision', 'suspension-considered', 'hr']) {
      await services.adultConcernCases.addStep(head, concern.concernId, {
        kind,
        date,
        time: '11:45',
        note: `${kind} noted`,
      });
    }
    const outcome = services.adultConcernCases.recordOutcome(head, concern.concernId, {
      outcome: 'partly-true',
      date,
      learning: '',
    });
    await expect(outcome).rejects.toMatchObject({ code: 'ADULT_CONCERN.INVALID' });
    await expect(outcome).rejects.toMatchObject({
      fieldErrors: {
        outcome: 'Choose one of: substantiated, false, malicious, unsubstantiated, unfounded.',
      },
    });
    const closed = await services.adultConcernCases.recordOutcome(head, concern.concernId, {
      outcome: 'unfounded',
      date,
      learning: 'Store room door lock to be removed.',
      subjectDateOfBirth: '1985-04-02',
    });
    expect(closed.retention).toMatchObject({
      rule: 'pension-age-or-10-years',
      reviewOn: '2052-04-02',
    });
    expect(
      await codeOf(
        services.adultConcernCases.recordOutcome(head, concern.concernId, {
          outcome: 'false',
          date,
          learning: '',
        }),
      ),
    ).toBe('ADULT_CONCERN.OUTCOME_RECORDED');
    const full = await services.adultConcerns.view(head, concern.concernId);
    expect(full.steps.map((s) => s.kind)).toEqual([
      'lado-referral',
      'lado-advice',
      'lado-decision',
      'suspension-considered',
      'hr',
    ]);
    expect(full.outcome?.learning).toBe('Store room door lock to be removed.');
    // A teacher cannot add to it, nor an invited DSL.
    await services.adultConcerns.invite(head, concern.concernId, ADULTS.dsl);
    const dsl = await adultActor(services, ADULTS.dsl);
    expect((await services.adultConcerns.view(dsl, concern.concernId)).reference).toBe(
      concern.reference,
    );
    expect(
      await codeOf(
        services.adultConcernCases.addStep(dsl, concern.concernId, {
          kind: 'note',
          date,
          time: '12:00',
          note: 'x',
        }),
      ),
    ).toBe('ADULT_CONCERN.NOT_FOUND');
  });

  it('when one volunteer has several low-level concerns, then pattern review groups them and one can be escalated to the LADO route', async () => {
    const volunteer = aConcernForm({
      adultKind: 'volunteer',
      subjectAadObjectId: 'none',
      adultName: 'Vic  Volunteer',
      harmThreshold: 'no',
    });
    const first = (await record(ADULTS.sam, volunteer)).concern;
    const second = (await record(ADULTS.aisha, { ...volunteer, adultName: 'vic volunteer' }))
      .concern;
    expect(first.route).toBe('low-level');
    expect(first.ladoReferralDueAt).toBeUndefined();
    const head = await adultActor(services, ADULTS.head);
    expect(
      await codeOf(
        services.adultConcernCases.addStep(head, first.concernId, {
          kind: 'lado-referral',
          date: '2026-11-24',
          time: '09:00',
          note: '',
        }),
      ),
    ).toBe('ADULT_CONCERN.INVALID');
    const patterns = await services.adultConcernCases.patterns(head);
    const group = patterns.find((p) => p.concernIds.includes(first.concernId));
    expect(group?.references).toEqual([first.reference, second.reference]);
    expect(JSON.stringify(patterns)).not.toMatch(/vic/i);

    const escalated = await services.adultConcernCases.escalateToAllegation(
      head,
      second.concernId,
      'A pattern',
    );
    expect(escalated.route).toBe('allegation');
    expect(escalated.ladoReferralDueAt).toBeDefined();
  });

  it('when the head records a concern herself, then it is acknowledged at once and nobody is alerted or escalated to', async () => {
    const { concern } = await record(ADULTS.head);
    expect(concern.acknowledgedBy).toBe('Helen Marsh');
    clock.advance(60 * MINUTE);
    await services.adultConcernEscalation('test', capturingLogger().logger).runDue();
    expect(
      (await alertsOf(concern.concernId)).filter((a) => a.reason !== 'referral-clock'),
    ).toEqual([]);
  });

  it('when an acknowledged allegation is not referred to the LADO within its working day, then everyone who may manage it is told once', async () => {
    const { concern } = await record(ADULTS.sam);
    const head = await adultActor(services, ADULTS.head, false);
    await services.adultConcerns.acknowledge(head, concern.concernId);
    const escalation = services.adultConcernEscalation('test', capturingLogger().logger);
    clock.advance(23 * 60 * MINUTE);
    await escalation.runDue();
    const chases = async () =>
      (await alertsOf(concern.concernId)).filter((a) => a.reason === 'referral-clock');
    expect(await chases()).toEqual([]);
    clock.advance(2 * 60 * MINUTE);
    await escalation.runDue();
    await escalation.runDue();
    expect((await chases()).map((a) => a.recipientAadObjectId).sort()).toEqual(
      [ADULTS.head, ADULTS.deputy, ADULTS.chair].sort(),
    );
  });

  it('when everything above is done, then the audit chain of the school verifies, with the adult-concern kinds in it', async () => {
    const events = new AuditRepository(connection);
    const report = await verifyAuditChain(ELM_PARK, events.walk(ELM_PARK));
    expect(report.problem).toBeUndefined();
    const kinds = new Set<string>();
    for await (const e of events.walk(ELM_PARK)) kinds.add(e.action);
    expect([...kinds].filter((k) => k.startsWith('adult-concern.')).sort()).toEqual([
      'adult-concern.acknowledge',
      'adult-concern.change',
      'adult-concern.conflict-declared',
      'adult-concern.create',
      'adult-concern.invite',
      'adult-concern.list',
      'adult-concern.outcome',
      'adult-concern.view',
    ]);
  });
});
