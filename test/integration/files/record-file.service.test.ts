import { AuditLog, AuditRepository } from '../../../src/audit';
import { throwawayCipher } from '../../../src/encryption';
import type { Connection } from 'mongoose';
import { IncidentFileRepository, MongoFileStore, RecordFileService } from '../../../src/files';
import { IncidentRepository, IncidentService, type Incident } from '../../../src/incidents';
import { syncAllIndexes } from '../../../src/store/connection';
import { aDirectory, anActor, anIncidentInput } from '../../support/incident-builders';
import { dropTestStore, openTestStore } from '../../support/test-store';
import { aPdf, aPng } from '../../unit/files/file-samples';
import { codeOf } from '../../support/error-code';

const now = new Date('2026-11-23T11:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const sam = anActor({ aadObjectId: 'aad-sam', displayName: 'Sam Taylor' });
const tom = anActor({ aadObjectId: 'aad-tom', displayName: 'Tom Reilly' });
const samElsewhere = anActor({ aadObjectId: 'aad-sam', schoolId: 'school-b' });

describe('files on a record (service on the real store)', () => {
  let connection: Connection;
  let incidents: IncidentRepository;
  let service: RecordFileService;
  let keys = 0;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    incidents = new IncidentRepository(connection, throwawayCipher());
    const files = new MongoFileStore(connection, throwawayCipher());
    const entries = new IncidentFileRepository(connection);
    await syncAllIndexes(connection);
    service = new RecordFileService(files, entries, incidents, { now: () => now });
  });
  afterAll(() => dropTestStore(connection));

  /** Records a concern as `actor`, `daysAgo` days before now. */
  async function recordAs(actor: typeof sam, daysAgo = 0): Promise<Incident> {
    const at = new Date(now.getTime() - daysAgo * DAY);
    const recorder = new IncidentService(
      incidents,
      aDirectory(),
      { now: () => at },
      new AuditLog(new AuditRepository(connection), { now: () => at }),
    );
    const { incident } = await recorder.recordIncident(actor, anIncidentInput(), `key-${++keys}`);
    return incident;
  }

  const fileCount = () => connection.collection('files').countDocuments();

  it('when staff send a file, then only their own records of the last 14 days are offered, newest first, by reference and date', async () => {
    const old = await recordAs(sam, 15);
    const older = await recordAs(sam, 13);
    const newer = await recordAs(sam, 1);
    await recordAs(tom, 1);

    const offered = await service.recentRecords(sam);
    expect(offered).toEqual([
      { incidentId: newer.incidentId, reference: newer.reference, recordedAt: newer.recordedAt },
      { incidentId: older.incidentId, reference: older.reference, recordedAt: older.recordedAt },
    ]);
    expect(offered.map((r) => r.incidentId)).not.toContain(old.incidentId);
    expect(JSON.stringify(offered)).not.toContain('Jamie');
  });

  it('when staff have more than 10 recent records, then the 10 newest are offered', async () => {
    const busy = anActor({ aadObjectId: 'aad-busy' });
    const made: Incident[] = [];
    for (let i = 11; i >= 0; i--) made.push(await recordAs(busy, i));
    const offered = await service.recentRecords(busy);
    expect(offered.map((r) => r.incidentId)).toEqual(
      made
        .slice(-10)
        .reverse()
        .map((r) => r.incidentId),
    );
  });

  it('when the recorder adds a file, then it is listed on the record with who uploaded it and when, and the record is unchanged', async () => {
    const record = await recordAs(sam);
    const before = await incidents.findById(sam, record.incidentId);
    const pending = await service.storePending(sam, { name: 'minutes.pdf', bytes: aPdf() });
    expect(pending).toMatchObject({ name: 'minutes.pdf', contentType: 'application/pdf' });
    expect(await service.listFiles(sam, record.incidentId)).toEqual([]);

    const { entry, reference, created } = await service.attach(
      sam,
      pending.fileId,
      record.incidentId,
    );
    expect(created).toBe(true);
    expect(reference).toBe(record.reference);
    expect(await service.listFiles(sam, record.incidentId)).toEqual([entry]);
    expect(entry).toEqual({
      tenantId: sam.tenantId,
      schoolId: sam.schoolId,
      incidentId: record.incidentId,
      fileId: pending.fileId,
      name: 'minutes.pdf',
      size: aPdf().length,
      contentType: 'application/pdf',
      uploadedBy: { aadObjectId: 'aad-sam', displayName: 'Sam Taylor' },
      uploadedAt: now,
      attachedAt: now,
    });
    expect(await incidents.findById(sam, record.incidentId)).toEqual(before);
  });

  it('when the same file is attached twice at once (a double click), then there is one entry', async () => {
    const record = await recordAs(sam);
    const pending = await service.storePending(sam, { name: 'scan.png', bytes: aPng() });
    const [first, second] = await Promise.all([
      service.attach(sam, pending.fileId, record.incidentId),
      service.attach(sam, pending.fileId, record.incidentId),
    ]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(await service.listFiles(sam, record.incidentId)).toHaveLength(1);
  });

  it('when a file already on one record is attached to another, then it is refused', async () => {
    const [a, b] = [await recordAs(sam), await recordAs(sam)];
    const pending = await service.storePending(sam, { name: 'minutes.pdf', bytes: aPdf() });
    await service.attach(sam, pending.fileId, a.incidentId);
    expect(await codeOf(service.attach(sam, pending.fileId, b.incidentId))).toBe(
      'FILE.ALREADY_ATTACHED',
    );
    expect(await service.listFiles(sam, b.incidentId)).toEqual([]);
  });

  it('when someone other than the recorder attaches or lists, then they are refused', async () => {
    const record = await recordAs(sam);
    const tomsFile = await service.storePending(tom, { name: 'minutes.pdf', bytes: aPdf() });
    expect(await codeOf(service.attach(tom, tomsFile.fileId, record.incidentId))).toBe(
      'FILE.ACCESS_DENIED',
    );
    expect(await codeOf(service.listFiles(tom, record.incidentId))).toBe('FILE.ACCESS_DENIED');
  });

  it("when the recorder attaches someone else's pending file, then it is refused", async () => {
    const record = await recordAs(sam);
    const tomsFile = await service.storePending(tom, { name: 'minutes.pdf', bytes: aPdf() });
    expect(await codeOf(service.attach(sam, tomsFile.fileId, record.incidentId))).toBe(
      'FILE.ACCESS_DENIED',
    );
  });

  it('when the record or the file is of another school, or unknown, then it is not found', async () => {
    const record = await recordAs(sam);
    const pending = await service.storePending(sam, { name: 'minutes.pdf', bytes: aPdf() });
    expect(await codeOf(service.attach(samElsewhere, pending.fileId, record.incidentId))).toBe(
      'FILE.RECORD_NOT_FOUND',
    );
    expect(
      await codeOf(service.attach(sam, '5b0f7c62-1d1e-4c57-9a55-3f0c2d7e8a11', record.incidentId)),
    ).toBe('FILE.NOT_FOUND');
  });

  it('when a file is refused by its type, then nothing is stored', async () => {
    const before = await fileCount();
    expect(await codeOf(service.storePending(sam, { name: 'scan.pdf', bytes: aPng() }))).toBe(
      'FILE.TYPE_MISMATCH',
    );
    expect(await codeOf(service.storePending(sam, { name: 'x.exe', bytes: aPdf() }))).toBe(
      'FILE.TYPE_NOT_ALLOWED',
    );
    expect(await fileCount()).toBe(before);
  });

  it('when anything tries to change or delete an entry, then the model refuses', async () => {
    const model = connection.model('IncidentFile');
    await expect(model.updateOne({}, { $set: { name: 'x' } })).rejects.toMatchObject({
      code: 'FILE.ENTRY_IMMUTABLE',
    });
    await expect(model.deleteMany({})).rejects.toMatchObject({ code: 'FILE.ENTRY_IMMUTABLE' });
  });
});
