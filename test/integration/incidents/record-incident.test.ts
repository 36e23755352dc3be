import { AuditLog, AuditRepository } from '../../../src/audit';
import { throwawayCipher } from '../../../src/encryption';
import type { Connection } from 'mongoose';
import {
  IncidentRepository,
  IncidentService,
  IncidentValidationError,
} from '../../../src/incidents';
import { AppError } from '../../../src/shared/errors';
import { syncAllIndexes } from '../../../src/store/connection';
import { aDirectory, anActor, anIncidentInput, SCOPE } from '../../support/incident-builders';
import { dropTestStore, openTestStore } from '../../support/test-store';

const now = new Date('2026-11-23T11:00:00.000Z');

describe('recording an incident on the real store', () => {
  let connection: Connection;
  let repository: IncidentRepository;
  let service: IncidentService;
  let audit: AuditRepository;
  let keys = 0;
  const key = () => `form-${++keys}`;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    repository = new IncidentRepository(connection, throwawayCipher());
    await syncAllIndexes(connection);
    audit = new AuditRepository(connection);
    service = new IncidentService(
      repository,
      aDirectory(),
      { now: () => now },
      new AuditLog(audit, { now: () => now }),
    );
  });
  afterAll(() => dropTestStore(connection));

  async function validationErrorsOf(promise: Promise<unknown>): Promise<Record<string, string>> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof IncidentValidationError))
      throw new Error(`expected validation error, got ${String(error)}`);
    return error.fieldErrors;
  }

  it('when a valid incident is recorded, then the stored record matches the input field for field', async () => {
    const input = anIncidentInput();
    const { incident, created } = await service.recordIncident(anActor(), input, key());
    expect(created).toBe(true);
    const stored = await repository.findById(SCOPE, incident.incidentId);
    expect(stored).toEqual(incident);
    expect(stored).toMatchObject({
      ...input,
      tenantId: SCOPE.tenantId,
      schoolId: SCOPE.schoolId,
      recordedAt: now,
      recordedBy: { aadObjectId: 'aad-recorder', displayName: 'Sam Taylor', roles: ['staff'] },
    });
    expect(stored?.reference).toMatch(/^EPC-2026-\d{5}$/);
    const events = await audit.listForTarget(SCOPE, incident.incidentId, 10);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'record.create',
        actorAadObjectId: 'aad-recorder',
        target: { kind: 'incident', id: incident.incidentId },
      }),
    ]);
  });

  it('when the same form is submitted twice, then one record exists and both calls return it', async () => {
    const formKey = key();
    const first = await service.recordIncident(anActor(), anIncidentInput(), formKey);
    const second = await service.recordIncident(anActor(), anIncidentInput(), formKey);
    expect(second.created).toBe(false);
    expect(second.incident.incidentId).toBe(first.incident.incidentId);
  });

  it('when the same form is submitted concurrently (a double click), then one record is made', async () => {
    const formKey = key();
    const before = await repository.count(SCOPE);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        service.recordIncident(anActor(), anIncidentInput(), formKey),
      ),
    );
    expect(new Set(results.map((r) => r.incident.incidentId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await repository.count(SCOPE)).toBe(before + 1);
  });

  it('when 50 different forms are submitted at once, then every record gets its own reference', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () => service.recordIncident(anActor(), anIncidentInput(), key())),
    );
    const references = results.map((r) => r.incident.reference);
    expect(new Set(references).size).toBe(50);
    expect(results.every((r) => r.created)).toBe(true);
  }, 60_000);

  it('when two app instances record at once, then the unique index still keeps references apart', async () => {
    // Two services share no in-process lock, like two instances behind Azure Bot Service.
    const other = new IncidentService(
      repository,
      aDirectory(),
      { now: () => now },
      new AuditLog(audit, { now: () => now }),
    );
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? service : other).recordIncident(anActor(), anIncidentInput(), key()),
      ),
    );
    expect(new Set(results.map((r) => r.incident.reference)).size).toBe(30);
  }, 60_000);

  it('when another instance has counted past this one, then this one takes the number just above the highest stored', async () => {
    const first = await service.recordIncident(anActor(), anIncidentInput(), key());
    const other = new IncidentService(
      repository,
      aDirectory(),
      { now: () => now },
      new AuditLog(audit, { now: () => now }),
    );
    for (let i = 0; i < 4; i += 1) await other.recordIncident(anActor(), anIncidentInput(), key());
    // `service` last counted `first`; four numbers were taken since, by `other`.
    const next = await service.recordIncident(anActor(), anIncidentInput(), key());
    expect(next.incident.referenceNumber).toBe(first.incident.referenceNumber + 5);
  });

  it('when someone else replays a form key, then it is refused rather than showing them the record', async () => {
    const formKey = key();
    await service.recordIncident(anActor(), anIncidentInput(), formKey);
    const replay = service.recordIncident(
      anActor({ aadObjectId: 'aad-other' }),
      anIncidentInput(),
      formKey,
    );
    await expect(replay).rejects.toMatchObject({ code: 'INCIDENT.KEY_REUSED' });
  });

  it('when the pupil is unknown or belongs to another school, then the pupil field says so', async () => {
    for (const pupilId of ['nobody', 'x1']) {
      const errors = await validationErrorsOf(
        service.recordIncident(anActor(), anIncidentInput({ pupilId }), key()),
      );
      expect(errors.pupilId).toContain('your school');
    }
  });

  it('when a linked pupil, category, agency or staff member is not in the school’s lists, then each is named', async () => {
    const errors = await validationErrorsOf(
      service.recordIncident(
        anActor(),
        anIncidentInput({
          linkedPupils: [{ pupilId: 'x1', role: 'witness' }],
          categoryIds: ['child-protection', 'retired'],
          agencyIds: ['fbi'],
          alertStaffIds: ['aad-stranger'],
        }),
        key(),
      ),
    );
    expect(Object.keys(errors).sort()).toEqual([
      'agencyIds',
      'alertStaffIds',
      'categoryIds',
      'linkedPupil1',
    ]);
  });

  it('when a body map is given without a child-protection category, then it is refused', async () => {
    const errors = await validationErrorsOf(
      service.recordIncident(anActor(), anIncidentInput({ categoryIds: ['behaviour'] }), key()),
    );
    expect(errors.bodyRegion1).toContain('child protection');
  });

  it('when the recorder has a conflict of interest with the pupil, then the record is refused', async () => {
    const conflicted = anActor({ conflictPupilIds: ['p1'] });
    await expect(
      service.recordIncident(conflicted, anIncidentInput(), key()),
    ).rejects.toMatchObject({
      code: 'INCIDENT.CONFLICT_OF_INTEREST',
    });
    expect(await audit.listForTarget(SCOPE, 'p1', 1)).toEqual([
      expect.objectContaining({
        action: 'access.denied',
        reason: 'conflict-of-interest: record about this pupil',
      }),
    ]);
  });

  it('when anything tries to update or delete a record, then the model refuses', async () => {
    const { incident } = await service.recordIncident(anActor(), anIncidentInput(), key());
    const model = connection.model('Incident');
    await expect(
      model.updateOne({ incidentId: incident.incidentId }, { $set: { facts: 'changed' } }),
    ).rejects.toBeInstanceOf(AppError);
    await expect(model.deleteOne({ incidentId: incident.incidentId })).rejects.toBeInstanceOf(
      AppError,
    );
    expect((await repository.findById(SCOPE, incident.incidentId))?.facts).toBe(incident.facts);
  });
});
