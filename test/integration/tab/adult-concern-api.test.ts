import { randomUUID } from 'node:crypto';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { systemClock } from '../../../src/shared/clock';
import { aConcernForm, ADULTS, adultActor } from '../../support/adult-concern-builders';
import { capturingLogger } from '../../support/silent-logger';
import { startTabApiApp, type TabApiApp } from '../../support/tab-api-app';
import { testAppCipher } from '../../support/test-app';

const STEP_UP = { acrs: ['c1'] };

describe('concerns about adults in the tab API (real store, real HTTP)', () => {
  const log = capturingLogger();
  let tab: TabApiApp;
  let services: AppServices;
  let concernId: string;

  beforeAll(async () => {
    tab = await startTabApiApp(__filename, log.logger);
    // A second graph on the app's store (same keys) records the concern as the bot would.
    services = await createAppServices(tab.app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    const sam = await adultActor(services, ADULTS.sam, false);
    const outcome = await services.adultConcernForms.submit(sam, randomUUID(), aConcernForm());
    if (outcome.kind !== 'recorded') throw new Error('not recorded');
    concernId = outcome.concern.concernId;
  });
  afterAll(() => tab?.stop());

  it('when the head lists concerns, then the line has the LADO clock and retention but no name or detail', async () => {
    const answer = await tab.call('GET', 'adult-concerns', ADULTS.head);
    expect(answer.status).toBe(200);
    expect(answer.body.concerns).toHaveLength(1);
    expect(answer.body.concerns[0]).toMatchObject({
      concernId,
      route: 'allegation',
      acknowledged: false,
      lado: { state: 'due' },
      retention: { rule: 'until-outcome' },
    });
    expect(JSON.stringify(answer.body)).not.toMatch(/Tom Reilly|store room/);
  });

  it('when the head opens it without a second factor, then 401 asks for one; with it, the details', async () => {
    const refused = await tab.call('GET', `adult-concerns/${concernId}`, ADULTS.head);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('ACCESS.STEP_UP_REQUIRED');
    const opened = await tab.call('GET', `adult-concerns/${concernId}`, ADULTS.head, STEP_UP);
    expect(opened.status).toBe(200);
    expect(opened.body.details.adultName).toBe('Tom Reilly');
    expect(opened.body.recordedByName).toBe('Sam Taylor');
  });

  it.each([
    ['the DSL, not invited', ADULTS.dsl],
    ['the recorder', ADULTS.sam],
    ['the subject', ADULTS.tom],
  ])('when %s asks, then the list is empty and the concern is 404', async (_who, oid) => {
    expect((await tab.call('GET', 'adult-concerns', oid, STEP_UP)).body.concerns).toEqual([]);
    const answer = await tab.call('GET', `adult-concerns/${concernId}`, oid, STEP_UP);
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('ADULT_CONCERN.NOT_FOUND');
  });

  it('when the head invites the DSL, then the DSL may read it but not run it; a teacher cannot be invited', async () => {
    const invite = (oid: string) =>
      tab.call('POST', `adult-concerns/${concernId}/invite`, ADULTS.head, STEP_UP, {
        aadObjectId: oid,
      });
    const teacher = await invite(ADULTS.aisha);
    expect(teacher.status).toBe(400);
    expect(teacher.body.code).toBe('ADULT_CONCERN.INVALID');
    expect((await invite(ADULTS.dsl)).status).toBe(200);
    const read = await tab.call('GET', `adult-concerns/${concernId}`, ADULTS.dsl, STEP_UP);
    expect(read.status).toBe(200);
    const run = await tab.call(
      'POST',
      `adult-concerns/${concernId}/escalate`,
      ADULTS.dsl,
      STEP_UP,
      {
        reason: 'x',
      },
    );
    expect(run.status).toBe(404);
  });

  it('when the head records the referral and an outcome outside the statutory list, then the clock stops and the outcome is refused with the list; a valid one is kept once', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const step = await tab.call('POST', `adult-concerns/${concernId}/steps`, ADULTS.head, STEP_UP, {
      kind: 'lado-referral',
      date: today,
      time: '00:00',
      note: 'Referred by phone.',
    });
    expect(step.status).toBe(200);
    expect(step.body.concerns[0].lado.state).toBe('referred');

    const outcome = (value: string) =>
      tab.call('POST', `adult-concerns/${concernId}/outcome`, ADULTS.head, STEP_UP, {
        outcome: value,
        date: today,
      });
    const wrong = await outcome('proven');
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toContain(
      'substantiated, false, malicious, unsubstantiated, unfounded',
    );
    const right = await outcome('malicious');
    expect(right.status).toBe(200);
    expect(right.body.concerns[0]).toMatchObject({
      outcome: 'malicious',
      retention: { rule: 'remove-from-personnel-record', reviewOn: today },
    });
    expect((await outcome('unfounded')).status).toBe(409);
    // A teacher cannot add a step.
    const teacher = await tab.call(
      'POST',
      `adult-concerns/${concernId}/steps`,
      ADULTS.sam,
      STEP_UP,
      {
        kind: 'note',
        date: today,
        time: '00:00',
        note: 'x',
      },
    );
    expect(teacher.status).toBe(404);
  });
});
