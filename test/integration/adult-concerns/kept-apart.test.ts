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
import { anIncidentInput } from '../../support/incident-builders';
import { dropTestStore, openTestStore } from '../../support/test-store';

const now = new Date('2026-11-23T11:00:00.000Z');
const NAME = 'Quentin Markerperson';
const MARKER = 'ZQXMARKER';

/** Collections that may hold a concern about an adult's id: its own, the outbox and the audit. */
const ALLOWED = [
  'adult_concerns',
  'adult_concern_drafts',
  'adult_concern_steps',
  'alerts',
  'audit_events',
  'leases',
];

/**
 * The promise: no pupil-side query, export, report or chronology returns an adult record.
 * A concern is recorded, then every pupil-side read path is walked as the people who see most
 * (the DSL and the head, stepped up; the recorder), and every collection of the store is searched.
 */
describe('concerns about adults are kept apart from everything about pupils', () => {
  let connection: Connection;
  let services: AppServices;
  let concernId: string;
  let reference: string;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    services = await createAppServices(connection, { now: () => now });
    await seedDemo(connection, DEMO_TENANT);
    await addAllegationsRoles(connection);
    const sam = await adultActor(services, ADULTS.sam, false);
    // Pupil records for the pupil side to show: the same teacher, the same morning.
    for (const pupil of await services.pupils.searchPupils(sam, 'a', 4)) {
      const { incident } = await services.incidents.recordIncident(
        sam,
        anIncidentInput({
          pupilId: pupil.pupilId,
          categoryIds: ['safeguarding'],
          linkedPupils: [],
          agencyIds: [],
          alertStaffIds: [],
          bodyMap: [],
        }),
        randomUUID(),
      );
      await services.events.publish({ type: 'incident.recorded', ...incident });
    }
    const outcome = await services.adultConcernForms.submit(
      sam,
      randomUUID(),
      aConcernForm({
        adultName: NAME,
        whatHappened: `${MARKER}: seen taking photographs of pupils on a personal phone.`,
        location: `${MARKER} changing room`,
      }),
    );
    if (outcome.kind !== 'recorded') throw new Error('not recorded');
    ({ concernId, reference } = outcome.concern);
  });
  afterAll(() => dropTestStore(connection));

  function expectNothingOfTheConcern(what: string, value: unknown): void {
    const json = JSON.stringify(value) ?? '';
    for (const needle of [concernId, reference, NAME, MARKER, 'adult-concern']) {
      if (json.includes(needle)) throw new Error(`${what} holds ${needle}`);
    }
  }

  it('when every pupil-side service is walked by the DSL, the head and the recorder, then none returns the concern', async () => {
    const dsl = await adultActor(services, ADULTS.dsl);
    const head = await adultActor(services, ADULTS.head);
    const sam = await adultActor(services, ADULTS.sam);
    const records = await services.incidentRepository.listRecentIn(ELM_PARK, new Date(0), 5_000);
    expect(records.length).toBe(4);
    expectNothingOfTheConcern('the records', records);
    const pupilIds = [
      ...new Set(records.flatMap((r) => [r.pupilId, ...r.linkedPupils.map((p) => p.pupilId)])),
    ];

    let walked = 0;
    for (const actor of [dsl, head, sam]) {
      expectNothingOfTheConcern('the desk', await services.desk.deskFor(actor));
      expectNothingOfTheConcern(
        'pupil search',
        await services.pupils.searchPupils(actor, 'Quentin'),
      );
      expectNothingOfTheConcern(
        'the history command',
        await services.history.start(actor, 'Quentin'),
      );
      for (const pupilId of pupilIds) {
        const readings = await Promise.allSettled([
          services.chronology.page(actor, pupilId, { limit: 200, filter: {} }),
          services.chronology.chart(actor, pupilId, {}),
          services.chronology.entriesForExport(actor, pupilId, {}),
          services.pupilStatus.view(actor, pupilId),
          services.history.show(actor, pupilId),
        ]);
        for (const reading of readings) {
          // Refusals (the teacher's) are fine; what is returned must not hold the concern.
          if (reading.status === 'fulfilled')
            expectNothingOfTheConcern(`pupil ${pupilId}`, reading.value);
          walked += 1;
        }
      }
    }
    expectNothingOfTheConcern('the team alerts', await services.alerts.listOpen(dsl));
    const exported = await services.recordView.recordsForExport(
      dsl,
      records.map((r) => r.incidentId),
    );
    expectNothingOfTheConcern('the record export', [...exported.values()]);
    expect(walked).toBe(3 * 4 * 5);

    // What leaves the school about pupils: reports, the sharing log and a subject access bundle.
    const dslNow = await adultActor(services, ADULTS.dsl, true);
    expectNothingOfTheConcern('the reports', await services.reports.report(dslNow, {}));
    for (const pupilId of pupilIds) {
      expectNothingOfTheConcern(
        `the sharing log of ${pupilId}`,
        await services.sharing.listForPupil(dslNow, pupilId),
      );
      const request = await services.sars.register(dslNow, {
        requestKey: `kept-apart-${pupilId}`,
        pupilId,
        requesterName: 'A parent',
        relationship: 'parent',
        identityCheck: 'Passport seen',
        scopeOfRequest: 'Everything the school holds',
        receivedAt: new Date('2026-11-20T09:00:00.000Z'),
      });
      expectNothingOfTheConcern(
        `the subject access bundle of ${pupilId}`,
        await services.sarBundles.review(dslNow, request.sarId),
      );
    }
  });

  it('when every collection of the store is searched, then the concern is only in its own, the outbox and the audit trail, and its narrative nowhere in clear', async () => {
    const db = connection.db!;
    const holding: string[] = [];
    for (const { name } of await db.listCollections().toArray()) {
      const docs = await db.collection(name).find({}).toArray();
      const json = JSON.stringify(docs);
      if (json.includes(concernId) || json.includes(reference)) holding.push(name);
      expect([name, json.includes(MARKER) || json.includes(NAME)]).toEqual([name, false]);
    }
    expect(holding.sort()).toEqual(
      expect.arrayContaining(['adult_concerns', 'alerts', 'audit_events']),
    );
    expect(holding.filter((name) => !ALLOWED.includes(name))).toEqual([]);
  });
});
