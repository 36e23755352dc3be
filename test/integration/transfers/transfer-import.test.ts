import type { Connection } from 'mongoose';
import type { AccessActor } from '../../../src/access';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { PupilRepository } from '../../../src/pupils';
import { SchoolRepository } from '../../../src/schools';
import { StaffRepository } from '../../../src/staff';
import { openArchive, unpackArchive } from '../../../src/transfers';
import { DEMO_TENANT } from '../../support/activities';
import { aPupil, aStaffMember } from '../../support/directory-builders';
import { codeOf } from '../../support/error-code';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { dropTestStore, openTestStore } from '../../support/test-store';

const aad = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const SAM = aad('01');
const PRIYA = aad('02');
const RIVERSIDE = { tenantId: DEMO_TENANT, schoolId: 'riverside' };
const RIVERSIDE_DSL = '44444444-4444-4444-8444-000000000001';
const RIVERSIDE_SENCO = '44444444-4444-4444-8444-000000000002';

/** The receiving school: its DSL, its SENCo and the new pupil (under its own MIS id). */
async function seedRiverside(connection: Connection) {
  await new SchoolRepository(connection).upsert({
    ...RIVERSIDE,
    name: 'Riverside Academy',
    referencePrefix: 'RSA',
  });
  await new PupilRepository(connection).upsertMany(RIVERSIDE, [
    aPupil({ pupilId: 'RS-0042', legalFirstName: 'Jamie', legalLastName: 'Moved' }),
  ]);
  await new StaffRepository(connection).upsertMany(RIVERSIDE, [
    aStaffMember({
      aadObjectId: RIVERSIDE_DSL,
      displayName: 'Grace Okafor',
      roles: ['staff', 'dsl'],
    }),
    aStaffMember({
      aadObjectId: RIVERSIDE_SENCO,
      displayName: 'Ola Ade',
      jobTitle: 'SENCo',
      roles: ['staff'],
      email: 'ola@riverside.example',
    }),
  ]);
}

describe('importing a package at the next school: checked first, nothing kept on error, idempotent', () => {
  let connection: Connection;
  let fresh: Connection;
  let services: AppServices;
  let freshServices: AppServices;
  const clock = new MutableClock(new Date('2026-05-20T09:00:00.000Z'));
  let sent: { envelope: Buffer; code: string };

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
    await seedRiverside(connection);
    // Another deployment altogether: its own database.
    fresh = await openTestStore(`${__filename}-fresh`);
    freshServices = await createAppServices(fresh, clock);
    await seedRiverside(fresh);

    const sam = await services.staff.resolveActor(DEMO_TENANT, SAM);
    const priya: AccessActor = {
      ...(await services.staff.resolveActor(DEMO_TENANT, PRIYA)),
      steppedUp: true,
    };
    const { incident } = await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId: 'EP1140',
        happenedAt: new Date('2026-05-20T08:00:00.000Z'),
        linkedPupils: [{ pupilId: 'EP1141', role: 'witness' }],
        agencyIds: [],
        alertStaffIds: [],
        categoryIds: ['bullying'],
        bodyMap: [],
      }),
      'import-1',
    );
    await services.amendments.amend(priya, incident.incidentId, {
      reason: 'Location given in person.',
      changes: { location: 'The bike shed' },
    });
    const stored = await services.recordFiles.storePending(sam, {
      name: 'letter.txt',
      bytes: Buffer.from('A letter from the family.\n'),
    });
    await services.recordFiles.attach(sam, stored.fileId, incident.incidentId);
    await services.pupilStatus.change(priya, 'EP1140', {
      status: {
        childProtectionPlan: true,
        childInNeed: false,
        ehcp: false,
        senSupport: true,
        freeSchoolMeals: false,
        pupilPremium: false,
        youngCarer: false,
        eal: false,
        alternativeProvision: false,
        lookedAfter: 'no',
        nhsNumber: '943 476 5919',
      },
      reason: 'CP plan from conference; SEN support.',
    });
    await services.reindexRecent(new Date('2026-05-19T00:00:00.000Z'));
    const opened = await services.transfers.open(priya, { pupilId: 'EP1140' });
    const out = await services.transferDelivery.send(priya, opened.transfer.transferId, {
      recipientName: 'Grace Okafor',
      recipientSchool: 'Riverside Academy',
    });
    const token = out.downloadPath.split('/').at(-1)!;
    const { ticket } = await services.transferDelivery.confirm(token, {
      code: out.oneTimeCode,
      name: 'Grace Okafor',
      school: 'Riverside Academy',
      role: 'DSL',
    });
    sent = {
      envelope: (await services.transferDelivery.download(token, ticket)).envelope,
      code: out.oneTimeCode,
    };
  });
  afterAll(async () => {
    await dropTestStore(connection);
    await dropTestStore(fresh);
  });

  for (const where of ['another school of the same deployment', 'a fresh deployment'] as const) {
    it(`when the DSL of ${where} imports it, then every field, version and file arrives, once, and the DSL and SENCo are told`, async () => {
      const s = where === 'a fresh deployment' ? freshServices : services;
      const dsl: AccessActor = {
        ...(await s.staff.resolveActor(DEMO_TENANT, RIVERSIDE_DSL)),
        steppedUp: true,
      };
      const body = {
        pupilId: 'RS-0042',
        code: sent.code,
        envelope: sent.envelope.toString('base64'),
      };
      const before = await unpackArchive(await openArchive(sent.envelope, sent.code));

      expect(
        await codeOf(s.transferImport.importPackage(dsl, { ...body, code: 'AAAA-BBBB-CCCC' })),
      ).toBe('TRANSFER.WRONG_CODE');
      const cut = {
        ...body,
        envelope: sent.envelope.subarray(0, sent.envelope.length - 10).toString('base64'),
      };
      expect(await codeOf(s.transferImport.importPackage(dsl, cut))).toBe('TRANSFER.WRONG_CODE');
      expect(await s.transferredIn.listForPupil(RIVERSIDE, 'RS-0042')).toEqual([]); // nothing kept

      const imported = await s.transferImport.importPackage(dsl, body);
      expect(imported).toMatchObject({
        imported: true,
        fromSchool: 'Elm Park Community School',
        records: 1,
        versions: 2,
        files: 1,
        otherPupilsNamed: 1,
        sen: true,
      });
      expect(await s.transferImport.importPackage(dsl, body)).toMatchObject({ imported: false });

      const [arrived, ...more] = await s.transferredIn.listForPupil(RIVERSIDE, 'RS-0042');
      expect(more).toEqual([]);
      expect(arrived!.package).toEqual(before.json); // every field, both versions
      expect(arrived!.package.records[0]!.original.location).not.toBe('The bike shed');
      expect(arrived!.package.records[0]!.current.location).toBe('The bike shed');
      const [sentFile] = arrived!.package.records[0]!.files;
      expect(
        String(await s.transferredIn.fileBytes(RIVERSIDE, arrived!.packageId, sentFile!.path)),
      ).toBe('A letter from the family.\n');
      expect(arrived!.importedBy).toMatchObject({ aadObjectId: RIVERSIDE_DSL });

      const alerts = await (where === 'a fresh deployment' ? fresh : connection)
        .collection('alerts')
        .find({ schoolId: 'riverside', kind: 'transfer-arrived' })
        .toArray();
      expect(alerts.map((a) => a.recipientAadObjectId).sort()).toEqual(
        [RIVERSIDE_DSL, RIVERSIDE_SENCO].sort(),
      );
    });
  }

  it('when a teacher or a DSL without step-up imports, then it is refused', async () => {
    const dsl = await services.staff.resolveActor(DEMO_TENANT, RIVERSIDE_DSL);
    const senco = await services.staff.resolveActor(DEMO_TENANT, RIVERSIDE_SENCO);
    const body = {
      pupilId: 'RS-0042',
      code: sent.code,
      envelope: sent.envelope.toString('base64'),
    };
    expect(
      await codeOf(services.transferImport.importPackage({ ...senco, steppedUp: true }, body)),
    ).toBe('ACCESS.DENIED');
    expect(
      await codeOf(services.transferImport.importPackage({ ...dsl, steppedUp: false }, body)),
    ).toBe('ACCESS.STEP_UP_REQUIRED');
  });
});
