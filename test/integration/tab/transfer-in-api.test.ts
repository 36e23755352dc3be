import { randomBytes } from 'node:crypto';
import type { RunningApp } from '../../../src/app';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { PupilRepository, type Pupil } from '../../../src/pupils';
import { SchoolRepository } from '../../../src/schools';
import { systemClock } from '../../../src/shared/clock';
import { openArchive } from '../../../src/transfers';
import { StaffRepository } from '../../../src/staff';
import { aPupil, aStaffMember } from '../../support/directory-builders';
import { anIncidentInput } from '../../support/incident-builders';
import { capturingLogger } from '../../support/silent-logger';
import { startTabApiApp, type TabApiApp } from '../../support/tab-api-app';
import { testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SAM = '00000000-0000-0000-0000-000000000e01'; // Elm Park teacher, the recorder
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // Elm Park DSL
const RIVERSIDE = { tenantId: TENANT, schoolId: 'riverside' };
const GRACE = '44444444-4444-4444-8444-0000000000a1'; // Riverside DSL
const TOM = '44444444-4444-4444-8444-0000000000a2'; // Riverside teacher
const DEE = '44444444-4444-4444-8444-0000000000a3'; // Riverside deputy, conflicted over the pupil
const STEP_UP = { acrs: ['c1'] };
const HOUR = 3_600_000;

jest.setTimeout(300_000);

/** A "scan" of `bytes` random bytes after a JPEG signature: incompressible, so the package is that big. */
function aScan(bytes: number): { name: string; bytes: Buffer } {
  return {
    name: 'scan.jpg',
    bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(bytes - 3)]),
  };
}

describe('a child protection file arriving over the tab API: checked, matched, imported, in the chronology (real store, real HTTP)', () => {
  const log = capturingLogger();
  let app: RunningApp;
  let tab: TabApiApp;
  let services: AppServices;
  let reference: string;
  const call: TabApiApp['call'] = (...args) => tab.call(...args);

  /** Sends the pupil's file from Elm Park over the tab API; the receiving DSL's download. */
  async function sendFrom(pupilId: string): Promise<{ envelope: Buffer; code: string }> {
    const opened = await call('POST', 'transfers', PRIYA, STEP_UP, { pupilId });
    expect(opened.status).toBe(200);
    const sent = await call('POST', `transfers/${opened.body.transferId}/send`, PRIYA, STEP_UP, {
      recipientName: 'Grace Okafor',
      recipientSchool: 'Riverside Academy',
    });
    expect(sent.status).toBe(200);
    const token = String(sent.body.downloadUrl).split('/').at(-1)!;
    const { ticket } = await services.transferDelivery.confirm(token, {
      code: sent.body.oneTimeCode,
      name: 'Grace Okafor',
      school: 'Riverside Academy',
      role: 'DSL',
    });
    const { envelope } = await services.transferDelivery.download(token, ticket);
    return { envelope, code: String(sent.body.oneTimeCode) };
  }

  async function aRecordAbout(
    pupilId: string,
    key: string,
    files: { name: string; bytes: Buffer }[] = [],
  ) {
    const sam = await services.staff.resolveActor(TENANT, SAM);
    const { incident } = await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId,
        happenedAt: new Date(Date.now() - 3 * HOUR),
        categoryIds: ['bullying'],
        linkedPupils: [],
        agencyIds: [],
        alertStaffIds: [],
        bodyMap: [],
      }),
      key,
    );
    for (const file of files) {
      const stored = await services.recordFiles.storePending(sam, file);
      await services.recordFiles.attach(sam, stored.fileId, incident.incidentId);
    }
    await services.reindexRecent(new Date(0));
    return incident;
  }

  beforeAll(async () => {
    tab = await startTabApiApp(__filename, log.logger);
    app = tab.app;
    services = await createAppServices(app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    const connection = app.store.connection;
    await new SchoolRepository(connection).upsert({
      ...RIVERSIDE,
      name: 'Riverside Academy',
      referencePrefix: 'RSA',
    });
    // The child as Riverside's MIS has them (another MIS id), and a namesake born another day.
    const sam = await services.staff.resolveActor(TENANT, SAM);
    const sent: Pupil = (await services.pupils.getPupil(sam, 'EP1140'))!;
    await new PupilRepository(connection).upsertMany(RIVERSIDE, [
      aPupil({
        pupilId: 'RS-0042',
        upn: 'A123456789012',
        legalFirstName: sent.legalFirstName,
        legalLastName: sent.legalLastName,
        dateOfBirth: sent.dateOfBirth,
      }),
      aPupil({
        pupilId: 'RS-0043',
        legalFirstName: sent.legalFirstName,
        legalLastName: sent.legalLastName,
        dateOfBirth: '2001-01-01',
      }),
      aPupil({ pupilId: 'RS-0050', legalFirstName: 'Big', legalLastName: 'Files' }),
    ]);
    await new StaffRepository(connection).upsertMany(RIVERSIDE, [
      aStaffMember({ aadObjectId: GRACE, displayName: 'Grace Okafor', roles: ['staff', 'dsl'] }),
      aStaffMember({ aadObjectId: TOM, displayName: 'Tom Reed', email: 'tom@r.example' }),
      aStaffMember({
        aadObjectId: DEE,
        displayName: 'Dee Mensah',
        email: 'dee@r.example',
        roles: ['staff', 'deputy-dsl'],
        conflictPupilIds: ['RS-0042'],
      }),
    ]);
    const incident = await aRecordAbout('EP1140', 'transfer-in-api-1', [
      { name: 'letter.txt', bytes: Buffer.from('A letter from the family.\n') },
    ]);
    reference = incident.reference;
  });
  afterAll(() => tab?.stop());

  it('when the Riverside DSL checks, confirms the pupil and imports, then the file is in the pupil’s chronology, the history command and a read-only view, all audited', async () => {
    const { envelope, code } = await sendFrom('EP1140');
    const upload = { envelope: envelope.toString('base64') };

    // Checked first, in words, and nothing kept.
    const noCode = await call('POST', 'transfers/import/check', GRACE, STEP_UP, upload);
    expect(noCode).toMatchObject({ status: 400, body: { code: 'TRANSFER.INVALID' } });
    const wrong = await call('POST', 'transfers/import/check', GRACE, STEP_UP, {
      ...upload,
      code: 'AAAA-BBBB-CCCC',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/code/i);
    const checked = await call('POST', 'transfers/import/check', GRACE, STEP_UP, {
      ...upload,
      code,
    });
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({
      summary: { fromSchool: 'Elm Park Community School', records: 1, files: 1 },
      alreadyImported: false,
    });
    // The namesake born another day is proposed on name alone? No: a name is not enough.
    expect(checked.body.proposals.map((p: { pupilId: string }) => p.pupilId)).toEqual(['RS-0042']);
    expect(checked.body.proposals[0].matchedOn).toEqual(['name', 'date-of-birth']);

    // The pupil is never chosen for the team.
    const unmatched = await call('POST', 'transfers/import', GRACE, STEP_UP, { ...upload, code });
    expect(unmatched).toMatchObject({ status: 400, body: { code: 'TRANSFER.INVALID' } });
    const imported = await call('POST', 'transfers/import', GRACE, STEP_UP, {
      ...upload,
      code,
      pupilId: 'RS-0042',
    });
    expect(imported).toMatchObject({ status: 200, body: { imported: true, records: 1 } });
    const otherChild = await call('POST', 'transfers/import', GRACE, STEP_UP, {
      ...upload,
      code,
      pupilId: 'RS-0043',
    });
    expect(otherChild).toMatchObject({ status: 400, body: { code: 'TRANSFER.INVALID' } });
    expect(otherChild.body.message).toMatch(/already imported for another pupil/);

    // In the chronology for the team without step-up (a line, no narrative).
    const page = await call('GET', 'pupils/RS-0042/chronology', GRACE);
    expect(page.status).toBe(200);
    const line = page.body.entries.find(
      (e: { type: string; reference: string }) =>
        e.type === 'transferred-in' && e.reference === reference,
    );
    expect(line.title).toMatch(
      new RegExp(
        `^Concern transferred in from Elm Park Community School, original reference ${reference}, received \\d+ \\w+ \\d{4}$`,
      ),
    );
    expect(line.categoryNames).toEqual(['Bullying']);
    expect(line.transferredIn).toMatchObject({ fromSchool: 'Elm Park Community School' });

    // The read-only record needs step-up; then as submitted, actions and files.
    const path = `transferred-in/${encodeURIComponent(line.transferredIn.packageId)}/records/${encodeURIComponent(line.transferredIn.incidentId)}`;
    expect((await call('GET', path, GRACE)).status).toBe(401);
    const view = await call('GET', path, GRACE, STEP_UP);
    expect(view.status).toBe(200);
    expect(view.body.record.reference).toBe(reference);
    expect(view.body.provenance).toBe(line.title.replace(/^Concern /, ''));
    const [file] = view.body.record.files;
    const download = await call('GET', `${path}/files/${file.fileId}`, GRACE, STEP_UP);
    expect(Buffer.from(download.body.base64, 'base64').toString()).toBe(
      'A letter from the family.\n',
    );

    // The history command lists it too.
    const grace = await services.staff.resolveActor(TENANT, GRACE);
    const card = JSON.stringify(await services.history.show(grace, 'RS-0042'));
    expect(card).toContain(
      `transferred in from Elm Park Community School, original reference ${reference}`,
    );

    // Every read audited, by ids.
    const audited = await app.store.connection
      .collection('audit_events')
      .find({
        schoolId: 'riverside',
        action: {
          $in: [
            'transfer.record-view',
            'transfer.file-download',
            'transfer.import-check',
            'transfer.import',
          ],
        },
      })
      .toArray();
    expect(new Set(audited.map((e) => e.action))).toEqual(
      new Set([
        'transfer.record-view',
        'transfer.file-download',
        'transfer.import-check',
        'transfer.import',
      ]),
    );

    // The same package again: found, not imported twice.
    const again = await call('POST', 'transfers/import/check', GRACE, STEP_UP, { ...upload, code });
    expect(again.body.alreadyImported).toBe(true);
    // The opened .zip (sent through the local authority) needs no code; a cut one is refused.
    const zip = await openArchive(envelope, code);
    const zipped = await call('POST', 'transfers/import/check', GRACE, STEP_UP, {
      envelope: zip.toString('base64'),
    });
    expect(zipped.body).toMatchObject({ alreadyImported: true, summary: { records: 1 } });
    const cut = await call('POST', 'transfers/import/check', GRACE, STEP_UP, {
      envelope: zip.subarray(0, zip.length - 100).toString('base64'),
    });
    expect(cut).toMatchObject({ status: 400, body: { code: 'TRANSFER.ARCHIVE_INVALID' } });
    expect(cut.body.message).toMatch(/not a readable zip/);
  });

  it('when a teacher or a conflicted deputy reads the pupil, then the transferred records are not theirs to see', async () => {
    const page = await call('GET', 'pupils/RS-0042/chronology', TOM);
    expect(page.status).toBe(200);
    expect(page.body.entries.filter((e: { type: string }) => e.type === 'transferred-in')).toEqual(
      [],
    );
    const [pkg] = await services.transferredIn.listForPupil(RIVERSIDE, 'RS-0042');
    const path = `transferred-in/${encodeURIComponent(pkg!.packageId)}/records/${encodeURIComponent(pkg!.package.records[0]!.incidentId)}`;
    expect((await call('GET', path, TOM, STEP_UP)).status).toBe(404);
    expect((await call('GET', 'pupils/RS-0042/chronology', DEE, STEP_UP)).status).toBe(403);
    expect((await call('GET', path, DEE, STEP_UP)).status).toBe(403);
    expect(
      (await call('POST', 'transfers/import/check', TOM, STEP_UP, { envelope: 'AAAA' })).status,
    ).toBe(403);
  });

  it('when a 5 MB package is imported over HTTP, then the import route takes it (beyond the 256 KB default)', async () => {
    await aRecordAbout('EP1150', 'transfer-in-api-5mb', [aScan(5 * 1024 * 1024)]);
    const { envelope, code } = await sendFrom('EP1150');
    expect(envelope.length).toBeGreaterThan(5 * 1024 * 1024);
    const imported = await call('POST', 'transfers/import', GRACE, STEP_UP, {
      envelope: envelope.toString('base64'),
      code,
      pupilId: 'RS-0050',
    });
    expect(imported).toMatchObject({ status: 200, body: { imported: true, files: 1 } });
    // Everything else keeps the small limit.
    const big = await call('POST', 'transfers', GRACE, STEP_UP, { pupilId: 'x'.repeat(300_000) });
    expect(big.status).toBe(413);
  });
});
