import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { AccessActor } from '../../../src/access';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { PupilRepository } from '../../../src/pupils';
import { SchoolRepository } from '../../../src/schools';
import { StaffRepository } from '../../../src/staff';
import { openArchive } from '../../../src/transfers';
import { DEMO_TENANT } from '../../support/activities';
import { aPupil, aStaffMember } from '../../support/directory-builders';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SAM = '00000000-0000-0000-0000-000000000e01';
const PRIYA = '00000000-0000-0000-0000-000000000e02';
const RIVERSIDE = { tenantId: DEMO_TENANT, schoolId: 'riverside' };
const GRACE = '44444444-4444-4444-8444-0000000000b1';
const MB = 1024 * 1024;

jest.setTimeout(600_000);

/** A scanned letter of random bytes (incompressible: the package is as big as its files). */
const aScan = (n: number) => ({
  name: `scan-${n}.jpg`,
  bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), randomBytes(7 * MB - 3)]),
});

describe('a 20 MB child protection file: sent, downloaded and imported through the chunked file store', () => {
  let connection: Connection;
  let services: AppServices;
  const clock = new MutableClock(new Date('2026-05-20T09:00:00.000Z'));

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
    await new SchoolRepository(connection).upsert({
      ...RIVERSIDE,
      name: 'Riverside Academy',
      referencePrefix: 'RSA',
    });
    await new PupilRepository(connection).upsertMany(RIVERSIDE, [aPupil({ pupilId: 'RS-0001' })]);
    await new StaffRepository(connection).upsertMany(RIVERSIDE, [
      aStaffMember({ aadObjectId: GRACE, displayName: 'Grace Okafor', roles: ['staff', 'dsl'] }),
    ]);
  });
  afterAll(() => dropTestStore(connection));

  it('when a file of three 7 MB scans goes from one school to the next, then every byte arrives and each store document stays small', async () => {
    const sam = await services.staff.resolveActor(DEMO_TENANT, SAM);
    const priya: AccessActor = {
      ...(await services.staff.resolveActor(DEMO_TENANT, PRIYA)),
      steppedUp: true,
    };
    const { incident } = await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId: 'EP1160',
        happenedAt: new Date('2026-05-20T08:00:00.000Z'),
        linkedPupils: [],
        agencyIds: [],
        alertStaffIds: [],
        categoryIds: ['bullying'],
        bodyMap: [],
      }),
      'transfer-large-1',
    );
    const scans = [aScan(1), aScan(2), aScan(3)];
    for (const scan of scans) {
      const stored = await services.recordFiles.storePending(sam, scan);
      await services.recordFiles.attach(sam, stored.fileId, incident.incidentId);
    }
    await services.reindexRecent(new Date('2026-05-19T00:00:00.000Z'));

    const opened = await services.transfers.open(priya, { pupilId: 'EP1160' });
    const sent = await services.transferDelivery.send(priya, opened.transfer.transferId, {
      recipientName: 'Grace Okafor',
      recipientSchool: 'Riverside Academy',
    });
    const token = sent.downloadPath.split('/').at(-1)!;
    const { ticket } = await services.transferDelivery.confirm(token, {
      code: sent.oneTimeCode,
      name: 'Grace Okafor',
      school: 'Riverside Academy',
      role: 'DSL',
    });
    const { envelope } = await services.transferDelivery.download(token, ticket);
    expect(envelope.length).toBeGreaterThan(20 * MB);
    await expect(openArchive(envelope, sent.oneTimeCode)).resolves.toBeInstanceOf(Buffer);

    const grace: AccessActor = {
      ...(await services.staff.resolveActor(DEMO_TENANT, GRACE)),
      steppedUp: true,
    };
    const imported = await services.transferImport.importPackage(grace, {
      envelope: envelope.toString('base64'),
      code: sent.oneTimeCode,
      pupilId: 'RS-0001',
    });
    expect(imported).toMatchObject({ imported: true, files: 3 });
    const [arrived] = await services.transferredIn.listForPupil(RIVERSIDE, 'RS-0001');
    const files = arrived!.package.records[0]!.files;
    for (const scan of scans) {
      const bytes = await services.transferredIn.fileBytes(
        RIVERSIDE,
        arrived!.packageId,
        files.find((f) => f.name === scan.name)!.path,
      );
      expect(bytes?.equals(scan.bytes)).toBe(true);
    }
    // No document holds the package whole: the links and the received packages are small.
    for (const collection of ['transfer_links', 'transferred_in']) {
      const docs = await connection.collection(collection).find({}).toArray();
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) expect(JSON.stringify(doc).length).toBeLessThan(MB);
    }
  });
});
