import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { AuditLog, AuditRepository, type AuditEventInput } from '../../../src/audit';
import { hashAuditEvent } from '../../../src/audit/audit-hash';
import { verifyAuditChain } from '../../../src/audit/audit-verifier';
import { AppError } from '../../../src/shared/errors';
import { syncAllIndexes } from '../../../src/store/connection';
import { dropTestStore, openTestStore } from '../../support/test-store';
import { runVerifyAudit } from '../../support/verify-audit-cli';

const SCHOOL = { tenantId: 'tenant-audit', schoolId: 'school-audit' };
const OTHER_SCHOOL = { tenantId: 'tenant-audit', schoolId: 'school-other' };
const clock = { now: () => new Date('2026-11-23T10:00:00Z') };

function event(n: number, scope = SCHOOL): AuditEventInput {
  return {
    ...scope,
    actorAadObjectId: `aad-${n % 3}`,
    action: n % 2 ? 'record.view' : 'record.create',
    target: { kind: 'incident', id: `incident-${n}` },
    reason: n % 5 === 0 ? 'checking' : undefined,
    requestId: `req-${n}`,
  };
}

describe('the audit trail: append-only, hash-chained per school', () => {
  let connection: Connection;
  let repository: AuditRepository;
  let cwd: string;

  const runVerify = () => runVerifyAudit({ dbName: connection.name, cwd });

  const raw = () =>
    connection.db!.collection<Record<string, unknown> & { _id: string }>('audit_events');
  const key = (sequence: number, scope = SCHOOL) =>
    `${scope.tenantId}|${scope.schoolId}|${String(sequence).padStart(12, '0')}`;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    repository = new AuditRepository(connection);
    await syncAllIndexes(connection);
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-verify-'));
  });

  afterAll(async () => {
    await dropTestStore(connection);
  });

  it('when two app instances write at once, then each school gets one unbroken numbered chain', async () => {
    // Two AuditLogs on one store stand for two app instances (separate in-process locks).
    const first = new AuditLog(repository, clock);
    const second = new AuditLog(repository, clock);
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        (i % 2 ? first : second).record(event(i + 1, i % 4 === 3 ? OTHER_SCHOOL : SCHOOL)),
      ),
    );
    const report = await verifyAuditChain(SCHOOL, repository.walk(SCHOOL));
    expect(report).toMatchObject({ events: 18 });
    expect(report.problem).toBeUndefined();
    const other = await verifyAuditChain(OTHER_SCHOOL, repository.walk(OTHER_SCHOOL));
    expect(other).toMatchObject({ events: 6 });
    expect(other.problem).toBeUndefined();
    expect((await repository.findBySequence(SCHOOL, 18))?.sequence).toBe(18);
    expect(await repository.findBySequence(SCHOOL, 19)).toBeUndefined();

    const cli = await runVerify();
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('ok      tenant-audit/school-audit: 18 events');
    expect(cli.stdout).toContain('ok      tenant-audit/school-other: 6 events');
  }, 90_000);

  it('when code tries to update or delete an event, then the model refuses', async () => {
    const model = connection.models.AuditEvent!;
    await expect(model.updateOne({ _id: key(1) }, { reason: 'x' })).rejects.toThrow(AppError);
    await expect(model.deleteOne({ _id: key(1) })).rejects.toThrow(AppError);
  });

  it('when an event is altered in the database, then verify names it', async () => {
    const before = await raw().findOne({ _id: key(3) });
    await raw().updateOne({ _id: key(3) }, { $set: { actorAadObjectId: 'aad-intruder' } });
    try {
      const report = await verifyAuditChain(SCHOOL, repository.walk(SCHOOL));
      expect(report.problem).toEqual({
        kind: 'altered',
        sequence: 3,
        detail: 'its contents do not match its hash',
      });
      const cli = await runVerify();
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain('BROKEN  tenant-audit/school-audit: event 3 altered');
      expect(cli.stdout).toContain('ok      tenant-audit/school-other');
    } finally {
      await raw().replaceOne({ _id: key(3) }, before!);
    }
  }, 60_000);

  it('when an event is removed, then verify names the gap', async () => {
    const removed = await raw().findOne({ _id: key(7) });
    await raw().deleteOne({ _id: key(7) });
    try {
      const report = await verifyAuditChain(SCHOOL, repository.walk(SCHOOL));
      expect(report.problem).toEqual({
        kind: 'removed',
        sequence: 7,
        detail: 'events 7..7 are missing',
      });
      expect((await runVerify()).stdout).toContain('event 7 removed');
    } finally {
      await raw().insertOne(removed!);
    }
  }, 60_000);

  it('when an event is slotted in and the rest renumbered, then verify names where the chain breaks', async () => {
    const originals = await raw()
      .find({ tenantId: SCHOOL.tenantId, schoolId: SCHOOL.schoolId })
      .sort({ sequence: 1 })
      .toArray();
    // A forger who knows the format: a well-formed event 5 chained to event 4, later ones moved up.
    const fourth = originals[3] as unknown as { hash: string };
    const forged = {
      ...SCHOOL,
      sequence: 5,
      at: new Date('2026-11-23T10:00:00Z'),
      actorAadObjectId: 'aad-forger',
      action: 'record.view' as const,
      target: { kind: 'incident' as const, id: 'incident-forged' },
      previousHash: fourth.hash,
    };
    await raw().deleteMany({ tenantId: SCHOOL.tenantId, schoolId: SCHOOL.schoolId });
    const shifted = originals.map((doc) => {
      const d = doc as unknown as { sequence: number };
      return d.sequence >= 5 ? { ...doc, _id: key(d.sequence + 1), sequence: d.sequence + 1 } : doc;
    });
    await raw().insertMany([...shifted, { _id: key(5), ...forged, hash: hashAuditEvent(forged) }]);
    try {
      const report = await verifyAuditChain(SCHOOL, repository.walk(SCHOOL));
      // Event 6 (the old 5) no longer hashes the same: its number is part of what is hashed.
      expect(report.problem?.sequence).toBe(6);
      expect(['altered', 'inserted']).toContain(report.problem?.kind);

      // A duplicate of a number is caught as an insertion as it stands.
      await raw().insertOne({ ...(originals[1] as object), _id: `${key(2)}-copy` });
      const duplicated = await verifyAuditChain(SCHOOL, repository.walk(SCHOOL));
      expect(duplicated.problem).toMatchObject({ kind: 'inserted', sequence: 2 });
      expect((await runVerify()).stdout).toContain('event 2 inserted');
    } finally {
      await raw().deleteMany({ tenantId: SCHOOL.tenantId, schoolId: SCHOOL.schoolId });
      await raw().insertMany(originals);
    }
    expect((await verifyAuditChain(SCHOOL, repository.walk(SCHOOL))).problem).toBeUndefined();
  }, 90_000);
});
