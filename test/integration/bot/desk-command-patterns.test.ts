import type { Connection } from 'mongoose';
import type { AppServices } from '../../../src/app-services';
import { DEMO_TENANT, messageActivity } from '../../support/activities';
import { startBotHarness } from '../../support/bot-harness';
import { cardOf, textsOf } from '../../support/cards';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import type { RecordingTestAdapter } from '../../support/recording-test-adapter';
import { dropTestStore } from '../../support/test-store';

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const SAM = '00000000-0000-0000-0000-000000000e01';
const HOUR = 3_600_000;
/** Priya Shah, the demo school's DSL, as Teams would send her. */
const DSL_USER = {
  id: '29:dsl-priya',
  name: 'Priya Shah',
  aadObjectId: '00000000-0000-0000-0000-000000000e02',
};

describe('the desk command counts pattern flags and open cases for the team (botbuilder TestAdapter)', () => {
  const clock = new MutableClock(new Date('2026-11-23T09:00:00.000Z'));
  let connection: Connection;
  let services: AppServices;
  let adapter: RecordingTestAdapter;

  beforeAll(async () => {
    ({ connection, services, adapter } = await startBotHarness(__filename, clock));
    const sam = await services.staff.resolveActor(DEMO_TENANT, SAM);
    for (const [i, category] of ['bullying', 'attendance', 'medical'].entries()) {
      const { incident } = await services.incidents.recordIncident(
        sam,
        anIncidentInput({
          pupilId: 'EP1009',
          happenedAt: new Date(clock.now().getTime() - (4 - i) * HOUR),
          categoryIds: [category],
          linkedPupils: [],
          agencyIds: [],
          bodyMap: [],
          alertStaffIds: [],
        }),
        `desk-command-patterns-${i}`,
      );
      await services.events.publish({
        type: 'incident.recorded',
        ...SCOPE,
        incidentId: incident.incidentId,
      });
    }
  });
  afterAll(() => dropTestStore(connection));

  it('when the DSL types desk after a rule fired, then the card counts the flag and the open cases, and names no pupil', async () => {
    const [reply] = await adapter.exchange(messageActivity('desk', { from: DSL_USER }));
    const card = cardOf(reply);
    const texts = textsOf(card).join('\n');
    expect(texts).toContain('Needs attention');
    expect(texts).toContain('Pattern flags not reviewed\n1');
    expect(texts).toContain('Open cases\n3');
    expect(JSON.stringify(card)).not.toContain('EP1009');
    const [pupil] = await services.pupils.findPupils(SCOPE, ['EP1009']);
    expect(JSON.stringify(card)).not.toContain(pupil!.legalLastName);
  });
});
