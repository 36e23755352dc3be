import type { Connection } from 'mongoose';
import type { AccessActor } from '../../../src/access';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { effectiveRecord } from '../../../src/incidents';
import { DEMO_TENANT } from '../../support/activities';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const aad = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const SAM = aad('01'); // staff, the recorder
const PRIYA = aad('02'); // DSL
const DANIEL = aad('03'); // deputy DSL
const TOM = aad('05'); // staff, told of the record by the recorder

describe('amendments: the team corrects a record with a reason; the original stays', () => {
  let connection: Connection;
  let services: AppServices;
  let clock: MutableClock;
  let keys = 0;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    clock = new MutableClock(new Date('2026-11-23T10:00:00.000Z'));
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
  });
  afterAll(() => dropTestStore(connection));

  async function actor(aadObjectId: string, steppedUp = false): Promise<AccessActor> {
    return { ...(await services.staff.resolveActor(DEMO_TENANT, aadObjectId)), steppedUp };
  }

  async function record(options: { alert?: string[]; happenedAt?: Date } = {}) {
    const input = anIncidentInput({
      pupilId: 'EP1003',
      linkedPupils: [],
      agencyIds: [],
      alertStaffIds: options.alert ?? [],
      ...(options.happenedAt ? { happenedAt: options.happenedAt } : {}),
      categoryIds: ['bullying'],
      bodyMap: [],
      facts: 'Seen in the playground at 10:15.',
    });
    const { incident } = await services.incidents.recordIncident(
      await actor(SAM),
      input,
      `amend-${++keys}`,
    );
    return incident;
  }

  const denialsFor = async (incidentId: string) =>
    (await services.auditEvents.listForTarget(SCOPE, incidentId, 50)).filter(
      (e) => e.action === 'access.denied',
    );

  it('when the DSL amends after step-up, then a new version holds who, when, why and the new values', async () => {
    const incident = await record();
    clock.advance(4 * 60 * 60_000);
    const amendment = await services.amendments.amend(
      await actor(PRIYA, true),
      incident.incidentId,
      {
        reason: 'Recorder reported the wrong time to the DSL in person.',
        changes: {
          facts: 'Seen in the playground at 10:45.',
          categoryIds: ['bullying', 'well-being'],
        },
      },
    );
    expect(amendment).toMatchObject({
      version: 2,
      amendedBy: { aadObjectId: PRIYA },
      amendedAt: new Date('2026-11-23T14:00:00.000Z'),
      reason: 'Recorder reported the wrong time to the DSL in person.',
    });
    // The stored record is as submitted; the amendment reads on top of it.
    const original = await services.incidentRepository.findById(SCOPE, incident.incidentId);
    expect(original?.facts).toBe('Seen in the playground at 10:15.');
    const versions = await services.amendmentRepository.listForIncident(SCOPE, incident.incidentId);
    expect(versions.map((v) => v.version)).toEqual([2]);
    const current = effectiveRecord(original!, versions);
    expect(current.facts).toBe('Seen in the playground at 10:45.');
    expect(current.categoryIds).toEqual(['bullying', 'well-being']);
    const audited = await services.auditEvents.listForTarget(SCOPE, incident.incidentId, 10);
    expect(audited[0]).toMatchObject({
      action: 'record.amend',
      actorAadObjectId: PRIYA,
      reason: 'v2 (facts, categoryIds)',
    });
  });

  it('when two team members amend at once, then each gets its own version', async () => {
    const incident = await record();
    const [a, b] = await Promise.all([
      services.amendments.amend(await actor(PRIYA, true), incident.incidentId, {
        reason: 'Location corrected after speaking to the recorder.',
        changes: { location: 'Playground, by the gate' },
      }),
      services.amendments.amend(await actor(DANIEL, true), incident.incidentId, {
        reason: 'Action taken was missing from the original report.',
        changes: { actionTaken: 'Spoke with both pupils.' },
      }),
    ]);
    expect([a.version, b.version].sort()).toEqual([2, 3]);
  });

  it('when the recorder (not on the team) tries to amend, then it is refused and audited', async () => {
    const incident = await record();
    await expect(
      services.amendments.amend(await actor(SAM), incident.incidentId, {
        reason: 'I wrote the wrong time, sorry.',
        changes: { facts: 'Changed by the recorder.' },
      }),
    ).rejects.toMatchObject({ code: 'ACCESS.DENIED' });
    expect(await denialsFor(incident.incidentId)).toEqual([
      expect.objectContaining({ actorAadObjectId: SAM, reason: 'team-only-operation: amend' }),
    ]);
  });

  it('when a team member has not stepped up, then they are asked to, and it is audited', async () => {
    const incident = await record();
    await expect(
      services.amendments.amend(await actor(PRIYA), incident.incidentId, {
        reason: 'Needs correcting after a call.',
        changes: { opinion: 'x' },
      }),
    ).rejects.toMatchObject({ code: 'ACCESS.STEP_UP_REQUIRED' });
    expect(await denialsFor(incident.incidentId)).toEqual([
      expect.objectContaining({ reason: 'step-up-required: amend' }),
    ]);
  });

  it.each([
    [{ changes: { facts: 'New facts' } }, 'Give the reason for the amendment.'],
    [{ reason: 'too short', changes: { facts: 'x' } }, 'at least 10 characters'],
    [{ reason: 'A perfectly good reason.', changes: {} }, 'Say which fields'],
    [
      { reason: 'A perfectly good reason.', changes: { pupilId: 'EP1004' } },
      'These fields cannot be amended: pupilId.',
    ],
    [{ reason: 'A perfectly good reason.', changes: { facts: { $gt: '' } } }, 'facts:'],
    [{ reason: 'A perfectly good reason.', changes: { categoryIds: ['no-such'] } }, 'categories'],
    [
      {
        reason: 'A perfectly good reason.',
        changes: { facts: 'Seen in the playground at 10:15.' },
      },
      'does not change anything',
    ],
  ])('when the request is %j, then it is refused with a clear message', async (body, message) => {
    const incident = await record();
    await expect(
      services.amendments.amend(await actor(PRIYA, true), incident.incidentId, body),
    ).rejects.toMatchObject({
      code: 'AMENDMENT.INVALID',
      message: expect.stringContaining(message),
    });
    expect(await services.amendmentRepository.listForIncident(SCOPE, incident.incidentId)).toEqual(
      [],
    );
  });

  it('when a record id is unknown or of another school, then it is not found (and audited)', async () => {
    await expect(
      services.amendments.amend(await actor(PRIYA, true), 'no-such-record', {
        reason: 'A perfectly good reason.',
        changes: { facts: 'x' },
      }),
    ).rejects.toMatchObject({ code: 'INCIDENT.NOT_FOUND' });
    expect(await denialsFor('no-such-record')).toHaveLength(1);
  });

  it('when the team reads a record’s audit after step-up, then it shows who created and amended it and why; others are refused', async () => {
    const incident = await record();
    await services.amendments.amend(await actor(PRIYA, true), incident.incidentId, {
      reason: 'The pupil’s words were typed in the wrong box.',
      changes: { childsWords: 'IT WAS AT BREAK' },
    });
    const lines = await services.recordAudit.forRecord(
      await actor(DANIEL, true),
      incident.incidentId,
    );
    expect(lines.map((l) => [l.action, l.actorName])).toEqual([
      ['record.amend', 'Priya Shah'],
      ['record.create', 'Sam Taylor'],
    ]);
    expect(lines[0]!.reason).toBe('v2 (childsWords)');
    // Reading the audit is audited too.
    const after = await services.auditEvents.listForTarget(SCOPE, incident.incidentId, 1);
    expect(after[0]).toMatchObject({ action: 'audit.view', actorAadObjectId: DANIEL });

    await expect(
      services.recordAudit.forRecord(await actor(SAM), incident.incidentId),
    ).rejects.toMatchObject({ code: 'ACCESS.DENIED' });
    await expect(
      services.recordAudit.forRecord(await actor(DANIEL), incident.incidentId),
    ).rejects.toMatchObject({ code: 'ACCESS.STEP_UP_REQUIRED' });
  });

  it('when the team amends when a record happened and moves it into a team-only category, then its chronology line moves and staff outside the team no longer see it', async () => {
    const earlier = await record({
      alert: [TOM],
      happenedAt: new Date('2026-11-20T09:00:00.000Z'),
    });
    const later = await record({ alert: [TOM], happenedAt: new Date('2026-11-20T12:00:00.000Z') });
    await services.reindexRecent(new Date(0));
    const order = async (who: AccessActor) =>
      (await services.chronology.page(who, 'EP1003', { limit: 100, filter: {} })).entries
        .filter((e) => e.type === 'incident')
        .map((e) => e.incidentId)
        .filter((id) => id === earlier.incidentId || id === later.incidentId);
    expect(await order(await actor(TOM))).toEqual([later.incidentId, earlier.incidentId]);

    // Amended to have happened after the other: its line moves above it, for everyone.
    await services.amendments.amend(await actor(PRIYA, true), earlier.incidentId, {
      reason: 'The recorder gave the date of writing, not of the disclosure.',
      changes: { happenedAt: '2026-11-20T15:30:00.000Z' },
    });
    expect(await order(await actor(DANIEL))).toEqual([earlier.incidentId, later.incidentId]);
    expect(await order(await actor(TOM))).toEqual([earlier.incidentId, later.incidentId]);

    // Amended into child protection (team only): Tom, told of it, no longer sees or opens it;
    // the recorder still does, and so does the team.
    await services.amendments.amend(await actor(PRIYA, true), earlier.incidentId, {
      reason: 'A disclosure of harm: this is a child protection record.',
      changes: { categoryIds: ['child-protection'] },
    });
    expect(await order(await actor(TOM))).toEqual([later.incidentId]);
    expect(await order(await actor(DANIEL))).toEqual([earlier.incidentId, later.incidentId]);
    await expect(
      services.recordView.viewRecord(await actor(TOM), earlier.incidentId),
    ).rejects.toMatchObject({ code: 'INCIDENT.NOT_FOUND' });
    await expect(
      services.recordAccess.authorize(await actor(TOM), earlier.incidentId, 'addAction'),
    ).rejects.toMatchObject({ code: 'INCIDENT.NOT_FOUND' });
    await expect(
      services.recordAccess.authorize(await actor(SAM), earlier.incidentId, 'view'),
    ).resolves.toMatchObject({ incidentId: earlier.incidentId });
    // A restart (or a crash between the amendment and its index update) mends the index the same way.
    await services.reindexRecent(new Date(0));
    expect(await order(await actor(TOM))).toEqual([later.incidentId]);
  });

  it('when the team reads the record after an amendment, then it reads as amended and lists who, when and why', async () => {
    const incident = await record();
    await services.amendments.amend(await actor(PRIYA, true), incident.incidentId, {
      reason: 'Wrong time given by the recorder; corrected after a call.',
      changes: { facts: 'Seen in the playground at 11:05.' },
    });
    const view = await services.recordView.viewRecord(
      await actor(DANIEL, true),
      incident.incidentId,
    );
    expect(view.incident.facts).toBe('Seen in the playground at 11:05.');
    expect(view.amendments).toEqual([
      expect.objectContaining({
        version: 2,
        amendedByName: 'Priya Shah',
        reason: 'Wrong time given by the recorder; corrected after a call.',
        changedFields: ['facts'],
      }),
    ]);
    expect(view.incident.status).toBe('open');

    // The chronology marks the entry amended (the index itself is written once, at submit;
    // these records were stored straight through the service, so index them as start-up does).
    await services.reindexRecent(new Date(0));
    const page = await services.chronology.page(await actor(DANIEL), 'EP1003', {
      limit: 50,
      filter: {},
    });
    const line = page.entries.find(
      (e) => e.incidentId === incident.incidentId && e.type === 'incident',
    );
    expect(line).toMatchObject({ amended: true, status: 'open' });
    // The amendment is a line of its own: who and which fields, never the reason or values.
    const amendmentLine = page.entries.find(
      (e) => e.incidentId === incident.incidentId && e.type === 'amendment',
    );
    expect(amendmentLine).toMatchObject({
      title: 'Amended (version 2): facts',
      recordedByName: 'Priya Shah',
    });
    expect(JSON.stringify(page.entries)).not.toContain('Wrong time given by the recorder');
    // Only records that were amended say so: the flag is read per record, not set for all.
    const recordLines = page.entries.filter((e) => e.type === 'incident');
    const amendedIds = new Set(
      (
        await services.amendmentRepository.listHeadersForIncidents(
          SCOPE,
          recordLines.map((e) => e.incidentId),
        )
      ).map((h) => h.incidentId),
    );
    expect(recordLines.some((e) => !amendedIds.has(e.incidentId))).toBe(true);
    for (const e of recordLines) expect(e.amended).toBe(amendedIds.has(e.incidentId));
  });
});
