import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import type { AccessActor } from '../../../src/access';
import { ActionRepository } from '../../../src/actions';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { CHANGE_RECOVERED_REASON } from '../../../src/audit';
import { seedDemo } from '../../../src/demo/seed-demo';
import { throwawayCipher } from '../../../src/encryption';
import type { IncidentAmendment } from '../../../src/incidents';
import { anActionInput } from '../../support/action-builders';
import { DEMO_TENANT } from '../../support/activities';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { dropTestStore, openTestStore } from '../../support/test-store';
import { runVerifyAudit } from '../../support/verify-audit-cli';

const SCOPE = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const aad = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const SAM = aad('01');
const PRIYA = aad('02'); // DSL
const MINUTE = 60_000;

// An amendment, an action or an acknowledgement is stored, then its audit event appended: with no
// transaction between the two, a crash can leave a change nobody audited. These tests make that
// state the way a crash does (the change written, the event never) and check that it is found,
// mended once (marked recovered), on start-up or when the same operation is retried.

describe('amendments, actions and acknowledgements a crash left without their event', () => {
  let connection: Connection;
  let services: AppServices;
  let actions: ActionRepository;
  let clock: MutableClock;
  let cwd: string;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    clock = new MutableClock(new Date('2026-11-23T10:00:00.000Z'));
    const cipher = throwawayCipher();
    services = await createAppServices(connection, clock, { cipher });
    actions = new ActionRepository(connection, cipher);
    await seedDemo(connection, DEMO_TENANT);
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'change-audit-'));
  });
  afterAll(async () => {
    fs.rmSync(cwd, { recursive: true, force: true });
    await dropTestStore(connection);
  });

  const actor = async (aadObjectId: string, steppedUp = false): Promise<AccessActor> => ({
    ...(await services.staff.resolveActor(DEMO_TENANT, aadObjectId)),
    steppedUp,
  });
  const eventsOf = async (targetId: string, action: string) =>
    (await services.auditEvents.listForTarget(SCOPE, targetId, 50)).filter(
      (e) => e.action === action,
    );

  async function record(key: string): Promise<string> {
    const { incident } = await services.incidents.recordIncident(
      await actor(SAM),
      anIncidentInput({
        pupilId: 'EP1003',
        linkedPupils: [],
        agencyIds: [],
        alertStaffIds: [],
        categoryIds: ['bullying'],
        bodyMap: [],
      }),
      key,
    );
    return incident.incidentId;
  }

  /** What a crash between the two writes leaves: the amendment stored, its event not. */
  async function amendmentWithoutEvent(incidentId: string, version: number) {
    const amendment: IncidentAmendment = {
      amendmentId: randomUUID(),
      ...SCOPE,
      incidentId,
      version,
      amendedBy: { aadObjectId: PRIYA, displayName: 'Priya Shah' },
      amendedAt: clock.now(),
      reason: 'The recorder told me the time was wrong.',
      changes: { facts: 'Seen in the playground at 10:45.' },
    };
    await services.amendmentRepository.insert(amendment);
    return { reason: amendment.reason, changes: { facts: 'Seen in the playground at 10:45.' } };
  }

  const runVerify = () =>
    runVerifyAudit({
      args: ['--tenant', SCOPE.tenantId, '--school', SCOPE.schoolId],
      dbName: connection.name,
      cwd,
    });

  it('when an amendment, an action and an acknowledgement have no event, then verify counts each, start-up appends them marked recovered (once), and verify is satisfied', async () => {
    const incidentId = await record('change-1');
    await amendmentWithoutEvent(incidentId, 2);
    // An action and an acknowledgement stored as a crash leaves them: written, never audited.
    const { action: like } = await services.actions.add(
      await actor(SAM),
      incidentId,
      anActionInput({ kind: 'note' }, { happenedAt: clock.now() }),
    );
    const orphanAction = {
      ...like,
      actionId: randomUUID(),
      idempotencyKey: randomUUID(),
      sequence: like.sequence + 1,
    };
    await actions.insert(orphanAction);
    await services.alertRepository.acknowledge({
      ...SCOPE,
      incidentId,
      aadObjectId: PRIYA,
      displayName: 'Priya Shah',
      acknowledgedAt: clock.now(),
      onTeam: true,
    });

    const before = await runVerify();
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('1 amendments have no audit event');
    expect(before.stdout).toContain('1 actions have no audit event');
    expect(before.stdout).toContain('1 acknowledgements have no audit event');

    // Just stored, each may still be mid-request on another instance: left alone for now.
    expect(await services.recoverChangeAudit(new Date(0))).toBe(0);
    clock.advance(2 * MINUTE);
    expect(await services.recoverChangeAudit(new Date(0))).toBe(3);
    expect(await eventsOf(incidentId, 'record.amend')).toEqual([
      expect.objectContaining({
        actorAadObjectId: PRIYA,
        reason: `v2 (facts); ${CHANGE_RECOVERED_REASON}`,
      }),
    ]);
    expect(await eventsOf(orphanAction.actionId, 'action.create')).toEqual([
      expect.objectContaining({ actorAadObjectId: SAM, reason: CHANGE_RECOVERED_REASON }),
    ]);
    expect(await eventsOf(incidentId, 'alert.acknowledge')).toEqual([
      expect.objectContaining({ actorAadObjectId: PRIYA, reason: CHANGE_RECOVERED_REASON }),
    ]);
    // The next start (or another instance): nothing more, and the audited action is untouched.
    expect(await services.recoverChangeAudit(new Date(0))).toBe(0);
    expect(await eventsOf(like.actionId, 'action.create')).toHaveLength(1);

    const after = await runVerify();
    expect(after.stdout).not.toContain('MISSING');
    expect(after.code).toBe(0);
  });

  it('when the DSL sends the same amendment again after the crash, then it is refused as changing nothing and the first is audited, once', async () => {
    const incidentId = await record('change-2');
    const body = await amendmentWithoutEvent(incidentId, 2);
    clock.advance(2 * MINUTE);
    const dsl = await actor(PRIYA, true);
    await expect(services.amendments.amend(dsl, incidentId, body)).rejects.toMatchObject({
      code: 'AMENDMENT.INVALID',
    });
    await expect(services.amendments.amend(dsl, incidentId, body)).rejects.toThrow();
    expect(await eventsOf(incidentId, 'record.amend')).toEqual([
      expect.objectContaining({ reason: `v2 (facts); ${CHANGE_RECOVERED_REASON}` }),
    ]);
    // A later amendment is audited as usual, beside the recovered one.
    await services.amendments.amend(dsl, incidentId, {
      reason: 'A second correction.',
      changes: { location: 'The library' },
    });
    expect((await eventsOf(incidentId, 'record.amend')).map((e) => e.reason)).toEqual([
      'v3 (location)',
      `v2 (facts); ${CHANGE_RECOVERED_REASON}`,
    ]);
  });

  it('when the same action form or the same Acknowledge comes again after the crash, then the change is audited, once; a change under a minute old is left alone', async () => {
    const incidentId = await record('change-3');
    const sam = await actor(SAM);
    const { action: like } = await services.actions.add(
      sam,
      incidentId,
      anActionInput({ kind: 'note' }, { happenedAt: clock.now() }),
    );
    const key = randomUUID();
    const orphan = { ...like, actionId: randomUUID(), idempotencyKey: key, sequence: 7 };
    await actions.insert(orphan);
    const input = anActionInput({ kind: 'note' }, { idempotencyKey: key, happenedAt: clock.now() });
    // Retried at once: the first request may still be on its way to its event.
    await services.actions.add(sam, incidentId, input);
    expect(await eventsOf(orphan.actionId, 'action.create')).toEqual([]);
    clock.advance(2 * MINUTE);
    const again = await services.actions.add(sam, incidentId, input);
    expect(again).toMatchObject({ created: false, action: { actionId: orphan.actionId } });
    await services.actions.add(sam, incidentId, input);
    expect(await eventsOf(orphan.actionId, 'action.create')).toEqual([
      expect.objectContaining({ actorAadObjectId: SAM, reason: CHANGE_RECOVERED_REASON }),
    ]);

    // Priya's acknowledgement stored, its event not; she presses Acknowledge again.
    await services.alerts.enqueueForIncident(
      (await services.incidentRepository.findById(SCOPE, incidentId))!,
    );
    const [priyas] = (
      await services.alertRepository.forIncident(SCOPE, incidentId, 'incident')
    ).filter((a) => a.recipientAadObjectId === PRIYA);
    await services.alertRepository.acknowledge({
      ...SCOPE,
      incidentId,
      aadObjectId: PRIYA,
      displayName: 'Priya Shah',
      acknowledgedAt: clock.now(),
      onTeam: true,
    });
    clock.advance(2 * MINUTE);
    const pressed = await services.alerts.acknowledge(await actor(PRIYA), priyas!.alertId);
    expect(pressed.changed).toBe(false);
    await services.alerts.acknowledge(await actor(PRIYA), priyas!.alertId);
    expect(await eventsOf(incidentId, 'alert.acknowledge')).toEqual([
      expect.objectContaining({ actorAadObjectId: PRIYA, reason: CHANGE_RECOVERED_REASON }),
    ]);
  });
});
