import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
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
import { dumpDatabase } from './retention-support';

// Monday 23 November 2026, 11:00 in London.
const START = new Date('2026-11-23T11:00:00.000Z');
const YEAR = 365 * 24 * 3_600_000;

jest.setTimeout(120_000);

describe('disposal of a concern about an adult under its own stored rule (real store)', () => {
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

  it('when an open concern reaches the review date it stored, then the team sees it without a name and disposes of it, leaving a tombstone', async () => {
    const sam = await adultActor(services, ADULTS.sam, false);
    const outcome = await services.adultConcernForms.submit(sam, randomUUID(), aConcernForm());
    if (outcome.kind !== 'recorded') throw new Error('not recorded');
    const { concern } = outcome;
    expect(concern.retention).toMatchObject({ rule: 'until-outcome', reviewOn: '2027-11-23' });
    const dsl = await adultActor(services, ADULTS.dsl, true);
    const doc = await connection
      .collection('adult_concerns')
      .findOne({ concernId: concern.concernId });
    const wrapped = Buffer.from(
      (doc!.sealedDetails as { wrappedKey: { buffer: Uint8Array } }).wrappedKey.buffer,
    );

    // Not due before the date the concern itself stored.
    expect((await services.retention.due(dsl)).map((d) => d.record.reference)).not.toContain(
      concern.reference,
    );
    clock.advance(YEAR + 24 * 3_600_000);
    const [line] = (await services.retention.due(dsl)).filter(
      (d) => d.record.reference === concern.reference,
    );
    expect(line).toMatchObject({
      pupilName: 'Concern about an adult',
      record: {
        recordKind: 'adult-concern',
        reviewOn: '2027-11-23',
        rule: 'adult concern: until-outcome',
        pupilIds: [],
      },
    });
    expect(JSON.stringify(line)).not.toMatch(/Tom Reilly|store room/);

    const disposed = await services.retention.decide(dsl, line!.record.scheduleId, {
      decision: 'dispose',
    });
    expect(disposed).toMatchObject({
      decision: 'disposed',
      tombstone: {
        recordKind: 'adult-concern',
        reference: concern.reference,
        rule: 'adult concern: until-outcome',
      },
      removed: expect.objectContaining({ adult_concerns: 1 }),
    });
    const head = await adultActor(services, ADULTS.head, true);
    expect(await codeOf(services.adultConcerns.view(head, concern.concernId))).toBe(
      'ADULT_CONCERN.NOT_FOUND',
    );
    const dump = await dumpDatabase(connection.db! as never);
    expect(dump.includes(wrapped)).toBe(false);
    expect(dump.includes(Buffer.from(wrapped.toString('base64')))).toBe(false);
    const certificate = await connection
      .collection('audit_events')
      .findOne({ action: 'retention.disposal-certificate', 'target.id': concern.concernId });
    expect(certificate?.target).toEqual({ kind: 'adult-concern', id: concern.concernId });
    expect(ELM_PARK.schoolId).toBe(certificate?.schoolId);
  });
});
