import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import type { Connection } from 'mongoose';
import type { AccessActor } from '../../../src/access';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { AuditRepository } from '../../../src/audit';
import { verifyAuditChain } from '../../../src/audit/audit-verifier';
import { seedDemo } from '../../../src/demo/seed-demo';
import { createNarrativeCipher, type NarrativeCipher } from '../../../src/encryption';
import type { Incident } from '../../../src/incidents';
import { SarRepository } from '../../../src/sar';
import { fromSchoolDateTime } from '../../../src/shared/school-time';
import type { Actor } from '../../../src/staff';
import { DEMO_TENANT, STAFF_USER } from '../../support/activities';
import { codeOf } from '../../support/error-code';
import { MutableClock } from '../../support/mutable-clock';
import { capturingLogger } from '../../support/silent-logger';
import { dropTestStore, openTestStore, testStoreUri } from '../../support/test-store';
import {
  aRecordWithEverything,
  keyOf,
  setClock,
  wrappedKeysOf,
  dumpDatabase,
  filesUnder,
  marksFor,
  minutesPdf,
  needlesOf,
} from './retention-support';

const START = new Date('2026-11-23T11:00:00.000Z');
const PRIYA = '00000000-0000-0000-0000-000000000e02';
const SCHOOL = { tenantId: DEMO_TENANT, schoolId: 'elm-park' };
const [SUBJECT_A, LINKED_A, SUBJECT_B, LINKED_B] = ['EP1060', 'EP1061', 'EP1062', 'EP1063'];

jest.setTimeout(180_000);

describe('retention review, legal hold and disposal by crypto-shredding (real store, both file stores)', () => {
  const clock = new MutableClock(START);
  let connection: Connection;
  let client: MongoClient;
  let db: Db;
  let dir: string;
  let keyFile: string;
  let cipher: NarrativeCipher;
  let mongoApp: AppServices;
  let diskApp: AppServices;
  let sam: Actor;
  let priya: AccessActor;
  let recordA: Incident;
  let recordB: Incident;
  let control: Incident;
  const marksA = marksFor('AAA');
  const marksB = marksFor('BBB');
  const marksC = marksFor('CCC');
  const pdfA = minutesPdf(marksA.file);
  const pdfB = minutesPdf(marksB.file);
  const pdfC = minutesPdf(marksC.file);
  const wrappedKeys: Buffer[] = [];
  let transferId: string;
  /** Where the sent package's encrypted archive waits in the file store. */
  let envelopeFileId: string;

  const alertsOf = (incidentId: string) =>
    db.collection('alerts').find({ kind: 'retention-review', incidentId }).toArray();
  const scheduled = (app: AppServices, incidentId: string) =>
    app.retentionStores.schedule.findScheduled(SCHOOL, `incident:${incidentId}`);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'disposal-'));
    keyFile = path.join(dir, 'keys', 'encryption-keys.json');
    connection = await openTestStore(__filename);
    cipher = await createNarrativeCipher({ source: 'file', keyFile });
    mongoApp = await createAppServices(connection, clock, { cipher });
    diskApp = await createAppServices(connection, clock, {
      cipher,
      files: {
        store: { kind: 'disk', dir: path.join(dir, 'files') },
        upload: { download: { timeoutMs: 1_000, allowLocalHttp: false } },
      },
    });
    await seedDemo(connection, DEMO_TENANT);
    sam = await mongoApp.staff.resolveActor(DEMO_TENANT, STAFF_USER.aadObjectId!);
    priya = { ...(await mongoApp.staff.resolveActor(DEMO_TENANT, PRIYA)), steppedUp: true };
    ({ incident: recordA } = await aRecordWithEverything(
      mongoApp,
      sam,
      priya,
      SUBJECT_A,
      LINKED_A,
      marksA,
      pdfA,
    ));
    ({ incident: recordB } = await aRecordWithEverything(
      diskApp,
      sam,
      priya,
      SUBJECT_B,
      LINKED_B,
      marksB,
      pdfB,
    ));
    ({ incident: control } = await aRecordWithEverything(
      mongoApp,
      sam,
      priya,
      SUBJECT_A,
      LINKED_B,
      marksC,
      pdfC,
    ));
    // A SAR about A's subject whose review withheld words in A's record and in the control's.
    const sars = new SarRepository(connection, cipher);
    await sars.insertRequest('retention-sar-1', {
      ...SCHOOL,
      sarId: 'sar-r1',
      reference: 'SAR-2026-11-23-0001',
      pupilId: SUBJECT_A,
      requesterName: 'A parent',
      relationship: 'parent',
      identityCheck: 'Passport seen',
      scopeOfRequest: 'Everything',
      receivedAt: START,
      loggedBy: { aadObjectId: PRIYA, displayName: 'Priya Shah' },
      loggedAt: START,
    });
    await sars.insertDraft({
      ...SCHOOL,
      sarId: 'sar-r1',
      sequence: 1,
      by: { aadObjectId: PRIYA, displayName: 'Priya Shah' },
      at: START,
      decisions: [],
      added: [
        {
          paragraphId: `incident:${recordA.incidentId}:facts`,
          text: marksA.sarWords,
          occurrence: 1,
        },
        {
          paragraphId: `incident:${control.incidentId}:facts`,
          text: marksC.sarWords,
          occurrence: 1,
        },
      ],
    });
    // A transfer package of A's subject, sent and not yet downloaded: it carries A's text.
    const opened = await mongoApp.transfers.open(priya, {
      pupilId: SUBJECT_A,
      destinationUrn: '654321',
    });
    transferId = opened.transfer.transferId;
    await mongoApp.transferDelivery.send(priya, transferId, {
      recipientName: 'Ms Okafor',
      recipientSchool: 'Riverside Academy',
    });
    client = await MongoClient.connect(testStoreUri());
    db = client.db(connection.name);
    envelopeFileId = String(
      (await db.collection('transfer_links').findOne({ transferId }))?.envelopeFileId,
    );
    expect(await db.collection('file_chunks').countDocuments({ fileId: envelopeFileId })).toBe(1);
    // Every wrapped data key of A and B, wherever kept: after disposal none may be left.
    for (const { incidentId } of [recordA, recordB]) {
      wrappedKeys.push(...(await wrappedKeysOf(db, incidentId)));
    }
    const [sarDraft] = await db.collection('sar_review_drafts').find({ sarId: 'sar-r1' }).toArray();
    wrappedKeys.push(keyOf(sarDraft!.sealed)!);
    for (const name of fs.readdirSync(path.join(dir, 'files'))) {
      if (!name.endsWith('.json')) continue;
      const meta = JSON.parse(fs.readFileSync(path.join(dir, 'files', name), 'utf8')) as {
        sealed: { wrappedKey: string };
      };
      wrappedKeys.push(Buffer.from(meta.sealed.wrappedKey, 'base64'));
    }
  });
  afterAll(async () => {
    await client?.close();
    await dropTestStore(connection);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when a child protection record is stored, then it is scheduled for review at the pupil’s date of birth + 25 years', async () => {
    const [pupil] = await mongoApp.pupils.findPupils(SCHOOL, [SUBJECT_A]);
    const [year, rest] = [Number(pupil!.dateOfBirth.slice(0, 4)), pupil!.dateOfBirth.slice(4)];
    expect(await scheduled(mongoApp, recordA.incidentId)).toMatchObject({
      reference: recordA.reference,
      reviewOn: `${year + 25}${rest}`,
      rule: 'child-protection: date of birth + 25 years',
      pupilIds: [SUBJECT_A, LINKED_A],
    });
    // A and B each: record, draft, amendment, action; A's file (mongo), B's (disk); the SAR draft.
    expect(wrappedKeys.length).toBe(11);
  });

  it('when the day before the review date ends there is no task; on the date the team gets one card naming no pupil', async () => {
    const { reviewOn } = (await scheduled(mongoApp, recordA.incidentId))!;
    const jobs = mongoApp.actionJobs('retention-test', capturingLogger().logger);
    const dayBefore = new Date(fromSchoolDateTime(reviewOn, '00:00')!.getTime() - 60_000);
    clock.advance(dayBefore.getTime() - clock.now().getTime());
    await jobs.runDue();
    expect(await alertsOf(recordA.incidentId)).toHaveLength(0);
    expect((await mongoApp.retention.due(priya)).map((d) => d.record.reference)).not.toContain(
      recordA.reference,
    );

    setClock(clock, reviewOn, '00:05');
    await jobs.runDue();
    const cards = await alertsOf(recordA.incidentId);
    const team = (await mongoApp.staff.listSafeguardingTeam(SCHOOL)).filter(
      (m) => m.active && !m.conflictPupilIds.includes(SUBJECT_A),
    );
    expect(cards.map((c) => c.recipientAadObjectId).sort()).toEqual(
      team.map((m) => m.aadObjectId).sort(),
    );
    const [pupil] = await mongoApp.pupils.findPupils(SCHOOL, [SUBJECT_A]);
    const card = JSON.stringify(cards[0]);
    expect(card).toContain(recordA.reference);
    expect(card).not.toContain(pupil!.legalLastName);
    expect((await mongoApp.retention.due(priya)).map((d) => d.record.reference)).toContain(
      recordA.reference,
    );
    expect(await mongoApp.retention.dueCount(SCHOOL)).toBeGreaterThanOrEqual(1);
  });

  it('when retained with a reason and a new date, then the review moves there and the next task comes on that date', async () => {
    const { reviewOn } = (await scheduled(mongoApp, recordA.incidentId))!;
    const next = `${Number(reviewOn.slice(0, 4)) + 1}${reviewOn.slice(4)}`;
    expect(
      await codeOf(
        mongoApp.retention.decide(priya, `incident:${recordA.incidentId}`, {
          decision: 'retain',
          reason: 'x',
          reviewOn,
        }),
      ),
    ).toBe('RETENTION.INVALID');
    const outcome = await mongoApp.retention.decide(priya, `incident:${recordA.incidentId}`, {
      decision: 'retain',
      reason: 'Police investigation still open',
      reviewOn: next,
    });
    expect(outcome).toMatchObject({
      decision: 'retained',
      record: { reviewOn: next, source: 'retained' },
    });
    expect((await mongoApp.retention.due(priya)).map((d) => d.record.reference)).not.toContain(
      recordA.reference,
    );
    const jobs = mongoApp.actionJobs('retention-test', capturingLogger().logger);
    setClock(clock, next, '00:05');
    await jobs.runDue();
    const waves = new Set((await alertsOf(recordA.incidentId)).map((c) => c.wave));
    expect(waves.size).toBe(2);
    const [line] = (await mongoApp.retention.due(priya)).filter(
      (d) => d.record.reference === recordA.reference,
    );
    expect(line?.lastRetained).toMatchObject({
      reason: 'Police investigation still open',
      byName: 'Priya Shah',
    });
  });

  it('when a hold covers the school, a linked pupil or the record, then disposal is refused naming the hold, until each is lifted', async () => {
    const scheduleId = `incident:${recordA.incidentId}`;
    const holds = [
      await mongoApp.legalHolds.place(priya, {
        scope: 'school',
        reason: 'Public inquiry',
        reference: 'IICSA-2027-014',
      }),
      await mongoApp.legalHolds.place(priya, {
        scope: 'pupil',
        targetId: LINKED_A,
        reason: 'Civil claim',
        reference: 'CLAIM-88',
      }),
      await mongoApp.legalHolds.place(priya, {
        scope: 'record',
        targetId: scheduleId,
        reason: 'Police request',
        reference: 'OP-ROWAN',
      }),
    ];
    for (const hold of holds) {
      const refused = mongoApp.retention.decide(priya, scheduleId, { decision: 'dispose' });
      await expect(refused).rejects.toMatchObject({ code: 'RETENTION.HELD' });
      await expect(
        mongoApp.retention.decide(priya, scheduleId, { decision: 'dispose' }),
      ).rejects.toThrow(hold.reference);
      const lifted = await mongoApp.legalHolds.lift(priya, hold.holdId, { reason: 'Concluded' });
      expect(lifted.lifted).toMatchObject({
        reason: 'Concluded',
        by: { displayName: 'Priya Shah' },
      });
    }
    expect(
      await codeOf(mongoApp.legalHolds.lift(priya, holds[0]!.holdId, { reason: 'again' })),
    ).toBe('RETENTION.HOLD_NOT_FOUND');
    const refusals = await db
      .collection('audit_events')
      .find({ action: 'retention.dispose-refused', 'target.id': recordA.incidentId })
      .toArray();
    expect(refusals.length).toBe(6);
    expect(
      await db.collection('incidents').countDocuments({ incidentId: recordA.incidentId }),
    ).toBe(1);
    expect(
      await db.collection('audit_events').countDocuments({ action: 'retention.hold-lift' }),
    ).toBe(3);
  });

  it("when the school and a pupil are on hold, then the pupil's file still transfers (the school keeps its copy)", async () => {
    const holds = [
      await mongoApp.legalHolds.place(priya, {
        scope: 'school',
        reason: 'Public inquiry',
        reference: 'IICSA-2027-015',
      }),
      await mongoApp.legalHolds.place(priya, {
        scope: 'pupil',
        targetId: SUBJECT_B,
        reason: 'Civil claim',
        reference: 'CLAIM-89',
      }),
    ];
    // B's files are in the disk store: its app builds the package.
    const opened = await diskApp.transfers.open(priya, {
      pupilId: SUBJECT_B,
      destinationUrn: '654322',
    });
    await diskApp.transferDelivery.send(priya, opened.transfer.transferId, {
      recipientName: 'Mr Adeyemi',
      recipientSchool: 'Hillside School',
    });
    expect(
      await db.collection('transfer_links').countDocuments({
        transferId: opened.transfer.transferId,
      }),
    ).toBe(1);
    for (const hold of holds)
      await mongoApp.legalHolds.lift(priya, hold.holdId, { reason: 'Sent' });
  });

  it('when both records are disposed, then no narrative, file byte, draft, SAR words or wrapped key of theirs is in the store, the file store or the key ring', async () => {
    const dueOn = (await scheduled(diskApp, recordB.incidentId))!.reviewOn;
    if (dueOn > (await scheduled(mongoApp, recordA.incidentId))!.reviewOn)
      setClock(clock, dueOn, '09:00');
    const storeDir = process.env.TEST_STORE_DIR;
    const inStore = (files: Buffer) =>
      wrappedKeys.filter(
        (k) => files.includes(k) || files.includes(Buffer.from(k.toString('base64'))),
      ).length;
    const storeBefore = storeDir ? inStore(filesUnder(storeDir, connection.name)) : -1;
    // The desk's and reports' summaries hold facts about each record (pupil, categories, times).
    const summariesMention = async (incidentId: string) => {
      await mongoApp.summaries.settled();
      await diskApp.summaries.settled();
      const held: string[] = [];
      for (const name of ['report_months', 'report_month_packs', 'open_cases']) {
        const docs = await db.collection(name).find().toArray();
        if (JSON.stringify(docs).includes(incidentId)) held.push(name);
      }
      return held;
    };
    expect(await summariesMention(recordA.incidentId)).toContain('report_months');
    // Read once so the cipher caches the data keys disposal must forget.
    await mongoApp.incidentRepository.findById(SCHOOL, recordA.incidentId);
    const a = await mongoApp.retention.decide(priya, `incident:${recordA.incidentId}`, {
      decision: 'dispose',
    });
    const b = await diskApp.retention.decide(priya, `incident:${recordB.incidentId}`, {
      decision: 'dispose',
    });
    expect(a).toMatchObject({
      decision: 'disposed',
      removed: expect.objectContaining({ incidents: 1, files: 1, transfer_links: 1 }),
    });
    expect(b).toMatchObject({
      decision: 'disposed',
      removed: expect.objectContaining({ incidents: 1, files: 1 }),
    });

    const dump = await dumpDatabase(db);
    const disk = filesUnder(path.join(dir, 'files'));
    const ring = fs.readFileSync(keyFile);
    const storeFiles = storeDir ? filesUnder(storeDir, connection.name) : Buffer.alloc(0);
    // The scans see what is meant to stay: the tombstone's reference, the control's file bytes.
    expect(dump.includes(Buffer.from(recordA.reference))).toBe(true);
    expect(dump.includes(Buffer.from(pdfC.subarray(60_000, 60_064)))).toBe(false);
    for (const needle of [...needlesOf(marksA, pdfA), ...needlesOf(marksB, pdfB)]) {
      const bytes = Buffer.from(needle, 'latin1');
      expect({
        needle,
        dump: dump.includes(bytes),
        disk: disk.includes(bytes),
        ring: ring.includes(bytes),
      }).toEqual({ needle, dump: false, disk: false, ring: false });
      if (storeDir)
        expect({ needle, store: storeFiles.includes(bytes) }).toEqual({ needle, store: false });
    }
    for (const key of wrappedKeys) {
      expect({
        raw: dump.includes(key),
        base64: dump.includes(Buffer.from(key.toString('base64'))),
      }).toEqual({
        raw: false,
        base64: false,
      });
    }
    // The embedded store's own files (SQLite's database and write-ahead log): it zeroes deleted
    // rows (secure_delete) and disposal truncates the log, which held the pages as they were.
    if (storeDir) {
      expect(storeBefore).toBeGreaterThan(0);
      expect({ wrappedKeysLeftInStoreFiles: inStore(storeFiles) }).toEqual({
        wrappedKeysLeftInStoreFiles: 0,
      });
    }
    expect(fs.readdirSync(path.join(dir, 'files'))).toEqual([]);
    expect(await db.collection('transfer_links').countDocuments({ transferId })).toBe(0);
    expect(await db.collection('files').countDocuments({ fileId: envelopeFileId })).toBe(0);
    expect(await db.collection('file_chunks').countDocuments({ fileId: envelopeFileId })).toBe(0);
    expect(await summariesMention(recordA.incidentId)).toEqual([]);
    expect(await summariesMention(recordB.incidentId)).toEqual([]);
  });

  it('when disposed, then the tombstone, chronology, certificate and audit chain stay whole, and the control record is untouched', async () => {
    await expect(mongoApp.recordView.viewRecord(priya, recordA.incidentId)).rejects.toMatchObject({
      code: 'RETENTION.DISPOSED',
      message: expect.stringMatching(/^EPC-.* was disposed of on .* under rule child-protection/),
    });
    expect(
      await codeOf(mongoApp.recordView.viewRecord({ ...sam, steppedUp: true }, recordA.incidentId)),
    ).toBe('INCIDENT.NOT_FOUND');
    expect(
      await codeOf(
        mongoApp.retention.decide(priya, `incident:${recordA.incidentId}`, { decision: 'dispose' }),
      ),
    ).toBe('RETENTION.DISPOSED');
    const [tombstone] = (await mongoApp.retention.disposed(priya)).filter(
      (t) => t.reference === recordA.reference,
    );
    expect(tombstone).toMatchObject({
      recordKind: 'incident',
      categoryIds: ['child-protection'],
      rule: 'child-protection: date of birth + 25 years',
      disposedBy: { displayName: 'Priya Shah' },
      happenedAt: recordA.happenedAt,
    });
    const page = await mongoApp.chronology.page(priya, SUBJECT_A, { limit: 100, filter: {} });
    const line = page.entries.find((e) => e.incidentId === recordA.incidentId);
    expect(line?.title).toMatch(
      /^Disposed on \d{4}-\d{2}-\d{2} under rule child-protection: date of birth \+ 25 years$/,
    );
    expect(page.entries.filter((e) => e.incidentId === recordA.incidentId)).toHaveLength(1);
    const linked = await mongoApp.chronology.page(priya, LINKED_A, { limit: 100, filter: {} });
    expect(linked.entries.some((e) => e.incidentId === recordA.incidentId)).toBe(false);

    const certificates = await db
      .collection('audit_events')
      .find({ action: 'retention.disposal-certificate', 'target.id': recordA.incidentId })
      .toArray();
    expect(certificates).toHaveLength(1);
    expect(certificates[0]!.reason).toContain(`certificate ${tombstone!.certificateId}`);
    const report = await verifyAuditChain(SCHOOL, new AuditRepository(connection).walk(SCHOOL));
    expect(report.problem).toBeUndefined();

    const kept = await mongoApp.incidentRepository.findById(SCHOOL, control.incidentId);
    expect(kept?.childsWords).toBe(marksC.childsWords);
    const draft = await new SarRepository(connection, cipher).latestDraft(SCHOOL, 'sar-r1');
    expect(draft?.added.map((m) => m.text)).toEqual([marksC.sarWords]);
    // The SAR bundle and a new transfer package read the pupil's file around the tombstone.
    const bundle = await mongoApp.sarBundles.review(priya, 'sar-r1');
    expect(JSON.stringify(bundle)).toContain(marksC.childsWords);
    expect(JSON.stringify(bundle)).not.toContain(marksA.childsWords);
  });
});
