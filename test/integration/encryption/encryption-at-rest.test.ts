import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BSON, MongoClient, type Binary, type Db, type Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import {
  createNarrativeCipher,
  LocalKeyRing,
  rewrapAll,
  type NarrativeCipher,
} from '../../../src/encryption';
import { createFileStore, type SealedFileStore } from '../../../src/files';
import { IncidentDraftRepository } from '../../../src/incidents';
import type { Incident } from '../../../src/incidents';
import type { Actor } from '../../../src/staff/staff.types';
import { DEMO_TENANT, STAFF_USER } from '../../support/activities';
import { dropTestStore, openTestStore, testStoreUri } from '../../support/test-store';
import { aPdf } from '../../unit/files/file-samples';

const now = new Date('2026-11-23T11:00:00.000Z');
const ROOT = path.join(__dirname, '..', '..', '..');

// Distinctive text in every narrative field, so a match anywhere in a dump means a leak.
const NARRATIVE = {
  location: 'LOCATION-behind-the-quince-bike-shed',
  facts: 'FACTS-Zephyrine said the lodger locked her in the airing cupboard',
  childsWords: 'CHILDS-WORDS HE TOOK MY TABLET AND SAID NOBODY WOULD BELIEVE ME',
  adultsWords: 'ADULTS-WORDS I said "Tell me what happened next, Zephyrine."',
  leadingQuestionNote: 'LEADING-NOTE I asked "Was it the lodger?" by mistake',
  opinion: 'OPINION-She seemed to dread the bell at home time',
  actionTaken: 'ACTION-TAKEN Walked her to the DSL office at 10:40',
  actionRequired: 'ACTION-REQUIRED DSL to phone MASH before 15:00',
  bodyDescription1: 'BODYMAP-four-centimetre-crescent-graze',
};
const DRAFT_TEXT = 'DRAFT-ONLY the unfinished note about the marmalade-coloured van';
const AMENDMENT = {
  reason: 'AMEND-REASON the recorder phoned Mrs Quillfeather to correct the time',
  facts: 'AMEND-FACTS Zephyrine said the lodger locked her in the boiler room',
};
const FILE_MARK = `CASE-CONFERENCE-MINUTES-${randomBytes(8).toString('hex')}`;

/** A real PDF of ~300 KB (several chunks) carrying the file's distinctive text and random bytes. */
function minutesPdf(): Buffer {
  const filler = Array.from(
    { length: 4000 },
    () => `% ${FILE_MARK} ${randomBytes(24).toString('hex')}\n`,
  );
  return Buffer.concat([aPdf(), Buffer.from(filler.join(''), 'latin1')]);
}

/** Every document of every collection, as raw BSON bytes (strings and binaries as stored). */
async function dumpDatabase(db: Db): Promise<{ collections: string[]; bytes: Buffer }> {
  const collections = (await db.listCollections().toArray()).map((c) => c.name).sort();
  const parts: Buffer[] = [];
  for (const name of collections) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      parts.push(Buffer.from(BSON.serialize(doc)));
    }
  }
  return { collections, bytes: Buffer.concat(parts) };
}

function filesUnder(dir: string, prefix = ''): Buffer {
  if (!fs.existsSync(dir)) return Buffer.alloc(0);
  return Buffer.concat(
    fs
      .readdirSync(dir)
      .filter((name) => name.startsWith(prefix))
      .map((name) => path.join(dir, name))
      .filter((file) => fs.statSync(file).isFile())
      .map((file) => fs.readFileSync(file)),
  );
}

function runRotation(env: Record<string, string>, args: string[] = []) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'dist/cli/rotate-keys-cli.js'), ...args],
      { cwd: os.tmpdir(), env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('encryption at rest: a dump of the store holds no narrative, and keys rotate', () => {
  let connection: Connection;
  let client: MongoClient;
  let db: Db;
  let dir: string;
  let keyFile: string;
  let cipher: NarrativeCipher;
  let services: AppServices;
  let diskStore: SealedFileStore;
  let actor: Actor;
  let incident: Incident;
  let mongoFileId: string;
  let diskFileId: string;
  const pdf = minutesPdf();
  const submittedDraftId = 'draft-dump-submitted';
  const openDraftId = 'draft-dump-open';

  const cliEnv = (extra: Record<string, string> = {}) => ({
    APP_MODE: 'development',
    MONGODB_URI: testStoreUri(),
    MONGODB_DB_NAME: connection.name,
    ENCRYPTION_KEY_FILE: keyFile,
    LOG_LEVEL: 'silent',
    ...extra,
  });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'at-rest-'));
    keyFile = path.join(dir, 'keys', 'encryption-keys.json');
    connection = await openTestStore(__filename);
    cipher = await createNarrativeCipher({ source: 'file', keyFile });
    services = await createAppServices(connection, { now: () => now }, { cipher });
    diskStore = createFileStore({ kind: 'disk', dir: path.join(dir, 'files') }, connection, cipher);
    await seedDemo(connection, DEMO_TENANT);
    actor = (await services.staff.resolveActor(DEMO_TENANT, STAFF_USER.aadObjectId!))!;
    const [pupil] = await services.pupils.searchPupils(actor, 'a', 1);

    const outcome = await services.forms.submit(actor, submittedDraftId, {
      pupilId: pupil!.pupilId,
      happenedDate: '2026-11-23',
      happenedTime: '10:15',
      transcribedFromPaper: 'false',
      categoryIds: 'child-protection',
      agencyIds: '',
      alertStaffIds: '',
      bodyRegion1: 'upper arm',
      bodySide1: 'front',
      bodyLaterality1: 'left',
      ...NARRATIVE,
    });
    if (outcome.kind !== 'recorded') throw new Error(`not recorded: ${JSON.stringify(outcome)}`);
    incident = outcome.incident;
    const dsl = await services.staff.resolveActor(
      DEMO_TENANT,
      '00000000-0000-0000-0000-000000000e02',
    );
    await services.amendments.amend({ ...dsl, steppedUp: true }, incident.incidentId, {
      reason: AMENDMENT.reason,
      changes: { facts: AMENDMENT.facts },
    });
    const saved = await services.forms.saveDraft(actor, openDraftId, { facts: DRAFT_TEXT });
    expect(saved.saved).toBe(true);

    const stored = await services.recordFiles.storePending(actor, {
      name: 'minutes.pdf',
      bytes: pdf,
    });
    await services.recordFiles.attach(actor, stored.fileId, incident.incidentId);
    mongoFileId = stored.fileId;
    diskFileId = (
      await diskStore.put({
        ...actor,
        name: 'minutes.pdf',
        contentType: 'application/pdf',
        bytes: pdf,
        uploadedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
        uploadedAt: now,
      })
    ).fileId;

    client = await MongoClient.connect(testStoreUri());
    db = client.db(connection.name);
  });
  afterAll(async () => {
    await client?.close();
    await dropTestStore(connection);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const needles = () => {
    const texts = [...Object.values(NARRATIVE), ...Object.values(AMENDMENT), DRAFT_TEXT, FILE_MARK];
    return [
      ...texts,
      // As a JSON string would hold them (FerretDB keeps documents as JSON in SQLite).
      ...texts.map((t) => JSON.stringify(t).slice(1, -1)),
      // Bytes from the middle of the file too (binary, not just its text)…
      pdf.subarray(150_000, 150_064).toString('latin1'),
      // …and as base64, as JSON holds binaries (150000 is a multiple of 3: aligned in its chunk).
      pdf.subarray(150_000, 150_048).toString('base64'),
    ];
  };

  it('when every collection is dumped with the raw driver, then no narrative, draft or file bytes appear', async () => {
    const { collections, bytes } = await dumpDatabase(db);
    expect(collections).toEqual(
      expect.arrayContaining([
        'incidents',
        'incident_drafts',
        'incident_amendments',
        'audit_events',
        'files',
        'file_chunks',
      ]),
    );
    // The scan itself works: what is meant to stay in clear (the reference) is found.
    expect(bytes.includes(Buffer.from(incident.reference))).toBe(true);
    for (const needle of needles()) {
      expect({ needle, found: bytes.includes(Buffer.from(needle, 'latin1')) }).toEqual({
        needle,
        found: false,
      });
    }
  });

  it('when the disk file store folder and the store’s own files are read, then no narrative or file bytes appear', async () => {
    const disk = filesUnder(path.join(dir, 'files'));
    expect(disk.length).toBeGreaterThan(pdf.length);
    // A control written in clear, to show the scan of the store's files would see a leak.
    const control = { text: `CONTROL-${randomBytes(8).toString('hex')}`, bytes: randomBytes(96) };
    await db.collection('scan_control').insertOne(control);
    const storeDir = process.env.TEST_STORE_DIR;
    const storeFiles = storeDir ? filesUnder(storeDir, connection.name) : Buffer.alloc(0);
    if (storeDir) {
      expect(storeFiles.includes(Buffer.from(incident.reference))).toBe(true);
      expect(storeFiles.includes(Buffer.from(control.text))).toBe(true);
      expect(storeFiles.includes(Buffer.from(control.bytes.toString('base64')))).toBe(true);
    }
    await db.collection('scan_control').drop();
    for (const needle of needles()) {
      const bytes = Buffer.from(needle, 'latin1');
      expect({ needle, disk: disk.includes(bytes), store: storeFiles.includes(bytes) }).toEqual({
        needle,
        disk: false,
        store: false,
      });
    }
  });

  it('when read back through the app, then the record, the draft and both files are plaintext again', async () => {
    const stored = await services.incidentRepository.findById(actor, incident.incidentId);
    expect(stored).toEqual(incident);
    const [amendment] = await services.amendmentRepository.listForIncident(
      actor,
      incident.incidentId,
    );
    expect(amendment).toMatchObject({
      reason: AMENDMENT.reason,
      changes: { facts: AMENDMENT.facts },
    });
    expect(stored).toMatchObject({
      facts: NARRATIVE.facts,
      childsWords: NARRATIVE.childsWords,
      location: NARRATIVE.location,
      bodyMap: [{ region: 'upper arm', description: NARRATIVE.bodyDescription1 }],
    });
    expect((await services.forms.findDraft(actor, openDraftId))?.values.facts).toBe(DRAFT_TEXT);
    expect((await services.fileStore.getBuffer(actor, mongoFileId)).equals(pdf)).toBe(true);
    expect((await diskStore.getBuffer(actor, diskFileId)).equals(pdf)).toBe(true);
  });

  it('when a sealed narrative is copied onto another record, then that record does not open', async () => {
    const draftId = 'draft-dump-victim';
    await services.forms.saveDraft(actor, draftId, { facts: 'another draft' });
    const drafts = db.collection('incident_drafts');
    const source = await drafts.findOne({ draftId: openDraftId });
    await drafts.updateOne({ draftId }, { $set: { sealedValues: source!.sealedValues } });
    await expect(services.forms.findDraft(actor, draftId)).rejects.toMatchObject({
      code: 'ENCRYPTION.OPEN_FAILED',
    });
    await drafts.deleteOne({ draftId });
  });

  describe('key rotation', () => {
    const sealedCollections = ['incidents', 'incident_drafts', 'files'] as const;
    const sealedPath = { incidents: 'sealed', incident_drafts: 'sealedValues', files: 'sealed' };
    let before: Record<string, Document[]>;
    let chunksBefore: Document[];
    let diskBefore: Buffer;
    let oldKeyId: string;

    const snapshot = async () => {
      const result: Record<string, Document[]> = {};
      for (const name of sealedCollections) {
        result[name] = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
      }
      return result;
    };
    const withoutWrapping = (doc: Document, field: string): Document => {
      const { keyId: _k, wrappedKey: _w, ...rest } = doc[field] as Document;
      return { ...doc, [field]: rest };
    };

    beforeAll(async () => {
      oldKeyId = cipher.activeKeyId;
      before = await snapshot();
      chunksBefore = await db.collection('file_chunks').find({}).sort({ _id: 1 }).toArray();
      diskBefore = filesUnder(path.join(dir, 'files'), diskFileId);
    });

    it('when `keys:rotate` runs, then every data key is re-wrapped with a new key and the counts are reported', async () => {
      const result = await runRotation(cliEnv());
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const ring = await LocalKeyRing.openOrCreate(keyFile);
      expect(ring.keyId).not.toBe(oldKeyId);
      expect(ring.keyIds).toEqual([oldKeyId, ring.keyId]);
      expect(result.stdout).toContain(`Added key ${ring.keyId}`);
      expect(result.stdout).toContain('incidents: 1 re-wrapped, 0 changed meanwhile, 0 failed');
      expect(result.stdout).toContain('incident_drafts: 2 re-wrapped');
      expect(result.stdout).toContain('files: 1 re-wrapped');
      // Run for the disk store too (the deployment's FILE_STORE decides which one is covered).
      const disk = await runRotation(
        cliEnv({ FILE_STORE: 'disk', FILE_STORE_DIR: path.join(dir, 'files') }),
        ['--resume'],
      );
      expect(disk.code).toBe(0);
      expect(disk.stdout).toMatch(/files in .*: 1 re-wrapped/);
      expect(disk.stdout).toContain('incidents: 0 re-wrapped');
    });

    it('when rotated, then only wrapped keys and key ids changed: ciphertexts, ivs, tags and chunks are the same', async () => {
      const after = await snapshot();
      const newKeyId = (await LocalKeyRing.openOrCreate(keyFile)).keyId;
      for (const name of sealedCollections) {
        const field = sealedPath[name];
        expect(after[name]!.length).toBe(before[name]!.length);
        after[name]!.forEach((doc, i) => {
          const old = before[name]![i]!;
          expect((doc[field] as Document).keyId).toBe(newKeyId);
          const wrapped = (d: Document) =>
            ((d[field] as Document).wrappedKey as Binary).toString('base64');
          expect(wrapped(doc)).not.toBe(wrapped(old));
          expect(withoutWrapping(doc, field)).toEqual(withoutWrapping(old, field));
        });
      }
      expect(await db.collection('file_chunks').find({}).sort({ _id: 1 }).toArray()).toEqual(
        chunksBefore,
      );
      const diskAfter = filesUnder(path.join(dir, 'files'), diskFileId);
      // The bytes file is unchanged; only its metadata file was rewritten.
      const bytesFile = path.join(dir, 'files', diskFileId);
      expect(diskBefore.includes(fs.readFileSync(bytesFile))).toBe(true);
      expect(diskAfter.includes(fs.readFileSync(bytesFile))).toBe(true);
    });

    it('when the app runs on after rotation, then everything still opens, and new data uses the new key only', async () => {
      // The running app (its ring loaded before the rotation) reads records rotated under it…
      expect(await services.incidentRepository.findById(actor, incident.incidentId)).toEqual(
        incident,
      );
      // …and an app started afterwards seals with the new key and opens everything.
      const restarted = await createNarrativeCipher({ source: 'file', keyFile });
      expect(restarted.activeKeyId).not.toBe(oldKeyId);
      const again = await createAppServices(connection, { now: () => now }, { cipher: restarted });
      expect(await again.incidentRepository.findById(actor, incident.incidentId)).toEqual(incident);
      expect((await again.forms.findDraft(actor, openDraftId))?.values.facts).toBe(DRAFT_TEXT);
      expect((await again.fileStore.getBuffer(actor, mongoFileId)).equals(pdf)).toBe(true);
      const disk = createFileStore(
        { kind: 'disk', dir: path.join(dir, 'files') },
        connection,
        restarted,
      );
      expect((await disk.getBuffer(actor, diskFileId)).equals(pdf)).toBe(true);
      const streamed: Buffer[] = [];
      for await (const part of await disk.getStream(actor, diskFileId))
        streamed.push(part as Buffer);
      expect(Buffer.concat(streamed).equals(pdf)).toBe(true);

      await again.forms.saveDraft(actor, 'draft-after-rotation', { facts: 'new' });
      const draft = await db
        .collection('incident_drafts')
        .findOne({ draftId: 'draft-after-rotation' });
      expect(draft?.sealedValues.keyId).toBe(restarted.activeKeyId);
    });

    it('when a rotation was interrupted, then running it again with --resume finishes the rest', async () => {
      await LocalKeyRing.addActiveKey(keyFile);
      const third = await createNarrativeCipher({ source: 'file', keyFile });
      // The interrupted run got through the drafts only.
      const drafts = new IncidentDraftRepository(connection, third).wrappedKeys();
      const [partial] = await rewrapAll([drafts], third);
      expect(partial!.rewrapped).toBe(3);

      const resumed = await runRotation(cliEnv(), ['--resume']);
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).not.toContain('Added key');
      expect(resumed.stdout).toContain('incidents: 1 re-wrapped');
      expect(resumed.stdout).toContain('incident_drafts: 0 re-wrapped');
      expect(resumed.stdout).toContain('files: 1 re-wrapped');

      const done = await runRotation(cliEnv(), ['--resume']);
      expect(done.stdout).toMatch(
        /incidents: 0 re-wrapped[\s\S]*incident_drafts: 0 re-wrapped[\s\S]*files: 0 re-wrapped/,
      );
      const fresh = await createAppServices(connection, { now: () => now }, { cipher: third });
      expect(await fresh.incidentRepository.findById(actor, incident.incidentId)).toEqual(incident);
    });

    it('when a record is updated through the model, then it is still refused (rotation is the only path)', async () => {
      const model = connection.models.Incident!;
      await expect(
        model.updateOne({ incidentId: incident.incidentId }, { $set: { pupilId: 'x' } }),
      ).rejects.toMatchObject({ code: 'INCIDENT.IMMUTABLE' });
    });
  });
});
