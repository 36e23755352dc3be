import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { AccessActor } from '../../../src/access';
import type { RunningApp } from '../../../src/app';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { pupilDisplayName, PupilRepository, type Pupil } from '../../../src/pupils';
import { SchoolLists, SchoolListsRepository, SchoolRepository } from '../../../src/schools';
import { systemClock } from '../../../src/shared/clock';
import { createLogger } from '../../../src/shared/logger';
import { StaffRepository } from '../../../src/staff';
import { launchChromium } from '../../support/chromium';
import { aPupil, aStaffMember } from '../../support/directory-builders';
import { anIncidentInput } from '../../support/incident-builders';
import { startTestApp, stopTestApp, testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SAM = '00000000-0000-0000-0000-000000000e01';
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // Elm Park's DSL: the receiving school here
// The sending school is another organisation's (its own tenant), running the same system.
const HILLSIDE = { tenantId: '00000000-0000-0000-0000-0000000000d7', schoolId: 'hillside' };
const HILL_DSL = '55555555-5555-4555-8555-000000000001';
const HILL_TEACHER = '55555555-5555-4555-8555-000000000002';
const SCREENSHOTS = path.join(os.tmpdir(), 'transfer-in-tab');

jest.setTimeout(300_000);

describe('importing a file from another school in the tab, and reading it as it arrived (Chromium, real app)', () => {
  let app: RunningApp;
  let services: AppServices;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let child: Pupil;
  let envelopePath: string;
  let code: string;
  let reference: string;

  beforeAll(async () => {
    app = await startTestApp(__filename, createLogger('silent'), {
      DEMO_SEED: 'true',
      TAB_RATE_LIMIT_PER_MINUTE: '2000',
    });
    services = await createAppServices(app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    const connection = app.store.connection;
    const sam = await services.staff.resolveActor(TENANT, SAM);
    child = (await services.pupils.getPupil(sam, 'EP1170'))!;
    // Hillside knew the child first, under its own MIS id.
    await new SchoolRepository(connection).upsert({
      ...HILLSIDE,
      name: 'Hillside Primary',
      referencePrefix: 'HSP',
    });
    await new SchoolLists(new SchoolListsRepository(connection)).seedDefaultLists(HILLSIDE);
    await new PupilRepository(connection).upsertMany(HILLSIDE, [
      aPupil({
        pupilId: 'H-77',
        legalFirstName: child.legalFirstName,
        legalLastName: child.legalLastName,
        dateOfBirth: child.dateOfBirth,
        onRoll: false,
      }),
    ]);
    await new StaffRepository(connection).upsertMany(HILLSIDE, [
      aStaffMember({ aadObjectId: HILL_DSL, displayName: 'Hana Lee', roles: ['staff', 'dsl'] }),
      aStaffMember({ aadObjectId: HILL_TEACHER, displayName: 'Ian Moss', email: 'ian@h.example' }),
    ]);
    const teacher = await services.staff.resolveActor(HILLSIDE.tenantId, HILL_TEACHER);
    const dsl: AccessActor = {
      ...(await services.staff.resolveActor(HILLSIDE.tenantId, HILL_DSL)),
      steppedUp: true,
    };
    const { incident } = await services.incidents.recordIncident(
      teacher,
      anIncidentInput({
        pupilId: 'H-77',
        happenedAt: new Date(Date.now() - 30 * 86_400_000),
        facts: 'Came in with a bruise on the left forearm; said a sibling did it.',
        childsWords: 'MY BROTHER GRABBED ME',
        categoryIds: ['safeguarding'],
        linkedPupils: [],
        agencyIds: [],
        alertStaffIds: [],
        bodyMap: [],
      }),
      'transfer-in-tab-1',
    );
    reference = incident.reference;
    await services.amendments.amend(dsl, incident.incidentId, {
      reason: 'The teacher told the DSL where it happened.',
      changes: { location: 'The classroom door' },
    });
    const letter = await services.recordFiles.storePending(teacher, {
      name: 'letter.txt',
      bytes: Buffer.from('A letter from the family.\n'),
    });
    await services.recordFiles.attach(teacher, letter.fileId, incident.incidentId);
    await services.reindexRecent(new Date(0));
    const opened = await services.transfers.open(dsl, { pupilId: 'H-77' });
    const sent = await services.transferDelivery.send(dsl, opened.transfer.transferId, {
      recipientName: 'Priya Shah',
      recipientSchool: 'Elm Park Community School',
    });
    const token = sent.downloadPath.split('/').at(-1)!;
    const { ticket } = await services.transferDelivery.confirm(token, {
      code: sent.oneTimeCode,
      name: 'Priya Shah',
      school: 'Elm Park Community School',
      role: 'DSL',
    });
    const { envelope } = await services.transferDelivery.download(token, ticket);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    envelopePath = path.join(SCREENSHOTS, 'from-hillside.sgx');
    fs.writeFileSync(envelopePath, envelope);
    code = sent.oneTimeCode;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopTestApp(app);
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('when the DSL uploads the file with its code, confirms the pupil and imports, then the chronology lists it and the record opens read-only with its file', async () => {
    const page = await browser!.context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${app.baseUrl}/tab/`);
    await page.getByLabel('Demo user').selectOption(PRIYA);
    await page.getByRole('switch', { name: 'Simulate step-up' }).check();
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('button', { name: 'Import a file from another school' }).click();
    await page.getByLabel('The file you received (.sgx, or .zip)').setInputFiles(envelopePath);
    // A wrong code is refused in words, and the file stays chosen.
    await page.getByLabel(/One-time code/).fill('AAAA-BBBB-CCCC');
    await page.getByRole('button', { name: 'Check the file' }).click();
    // Opening a child's file asks for the second factor first; what was chosen stays.
    await page.getByRole('button', { name: 'Confirm with second factor' }).click();
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /code/i })
      .waitFor()
      .catch(async (error: unknown) => {
        await shot(page, '0-failed');
        fs.writeFileSync(path.join(SCREENSHOTS, '0-failed.txt'), await page.innerText('body'));
        throw error;
      });
    await page.getByLabel(/One-time code/).fill(code);
    await page.getByRole('button', { name: 'Check the file' }).click();

    const holds = page.getByRole('region', { name: 'What the file holds' });
    await holds.getByText(/From Hillside Primary/).waitFor();
    const proposal = holds.getByRole('radio', {
      name: new RegExp(`^${pupilDisplayName(child)} .*same name, date of birth$`),
    });
    await expect(proposal.isChecked()).resolves.toBe(true);
    await shot(page, '1-checked');
    await holds.getByRole('button', { name: 'Import for the pupil chosen' }).click();
    await page.getByText(/Imported: 1 records from Hillside Primary/).waitFor();
    await shot(page, '2-imported');

    // In the pupil's chronology, saying where it came from; it opens read-only.
    await page.getByRole('button', { name: "Open the pupil's chronology" }).click();
    const row = page
      .getByTestId('chronology-entry')
      .filter({ hasText: `transferred in from Hillside Primary, original reference ${reference}` })
      .first();
    await row.waitFor();
    await shot(page, '3-chronology');
    await row.getByText(reference, { exact: true }).click();
    await page.getByRole('heading', { name: new RegExp(reference) }).waitFor();
    await page.getByText('As submitted').waitFor();
    await page.getByText('The classroom door').waitFor(); // as amended
    await page.getByText('MY BROTHER GRABBED ME').first().waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download letter.txt' }).click();
    const saved = await (await download).path();
    expect(fs.readFileSync(saved, 'utf8')).toBe('A letter from the family.\n');
    await shot(page, '4-transferred-record');
  });
});
