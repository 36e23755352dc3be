import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningApp } from '../../../src/app';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { systemClock } from '../../../src/shared/clock';
import { createLogger } from '../../../src/shared/logger';
import { launchChromium } from '../../support/chromium';
import { anIncidentInput } from '../../support/incident-builders';
import { startTestApp, stopTestApp, testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SAM = '00000000-0000-0000-0000-000000000e01'; // teacher
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // DSL
const SUBJECT = 'EP1150';
const LINKED = 'EP1151';
const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'tab');

jest.setTimeout(180_000);

describe('the SAR redaction review page in Chromium (real app, real store, development sign-in)', () => {
  let app: RunningApp;
  let services: AppServices;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let reference = '';
  let linkedName = '';

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    app = await startTestApp(__filename, createLogger('silent'), {
      DEMO_SEED: 'true',
      TAB_RATE_LIMIT_PER_MINUTE: '2000',
    });
    services = await createAppServices(app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    const sam = await services.staff.resolveActor(TENANT, SAM);
    const [linked] = await services.pupils.findPupils(sam, [LINKED]);
    linkedName = `${linked!.legalFirstName} ${linked!.legalLastName}`;
    await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId: SUBJECT,
        happenedAt: new Date(Date.now() - 3_600_000),
        facts: `${linkedName} pushed her over in the lunch queue. Mrs Kowalski rang on 07700 900123.`,
        categoryIds: ['bullying'],
        linkedPupils: [{ pupilId: LINKED, role: 'alleged-perpetrator' }],
        agencyIds: [],
        bodyMap: [],
        alertStaffIds: [],
      }),
      'sar-tab-1',
    );
    await services.reindexRecent(new Date(0));
    const priya = await services.staff.resolveActor(TENANT, PRIYA);
    const request = await services.sars.register(
      { ...priya, steppedUp: false },
      {
        requestKey: 'sar-tab-request-1',
        pupilId: SUBJECT,
        requesterName: 'A parent',
        relationship: 'parent',
        identityCheck: 'Passport seen',
        scopeOfRequest: 'Everything about my daughter',
        receivedAt: new Date(Date.now() - 3_600_000),
      },
    );
    reference = request.reference;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopTestApp(app);
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('when the DSL reviews the bundle, then each proposal shows in its paragraph, a decision is saved at once and is still there when the page is opened again', async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${app.baseUrl}/tab/`);
    await page.getByLabel('Demo user').selectOption(PRIYA);
    await page.getByRole('switch', { name: 'Simulate step-up' }).check();
    await page.getByRole('button', { name: 'Sign in' }).click();

    // The desk lists the request with its clock; its reference opens it.
    const sars = page.getByRole('list', { name: 'Subject access requests' });
    await sars.getByRole('button', { name: reference }).click();
    await page.getByRole('heading', { name: `Subject access request ${reference}` }).waitFor();
    await page.getByText('Record whether the child is competent to decide, and why.').waitFor();
    await page.getByRole('button', { name: 'Review the bundle and redactions' }).click();
    // The bundle holds the child's records: the second factor first.
    await page.getByText('Confirm it is you').waitFor();
    await page.getByRole('button', { name: 'Confirm with second factor' }).click();
    await page
      .getByRole('heading', { name: new RegExp(`Review the bundle: ${reference}`) })
      .waitFor();

    const facts = page.getByRole('list', {
      name: 'Proposed redactions in What was seen and heard',
    });
    const nameChoice = facts.getByRole('combobox', { name: new RegExp(`: ${linkedName}$`) });
    const phoneChoice = facts.getByRole('combobox', { name: /: 07700 900123$/ });
    await nameChoice.waitFor();
    await expect(phoneChoice.count()).resolves.toBe(1);
    await expect(facts.getByRole('combobox', { name: /: Mrs Kowalski$/ }).count()).resolves.toBe(1);

    await nameChoice.selectOption('redact:third-party-data');
    await page.getByText(/Saved .* by you\./).waitFor();
    await phoneChoice.selectOption('redact:third-party-data');
    await page.getByText(/Saved .* by you\./).waitFor();
    // Words the app did not propose: withheld by hand, with every occurrence in the paragraph.
    await page
      .getByRole('button', { name: 'Withhold other words in What was seen and heard' })
      .click();
    const adding = page.getByRole('group', {
      name: 'Withhold other words in What was seen and heard',
    });
    await adding.getByLabel('Words to withhold (as written)').fill('lunch queue');
    await adding.getByRole('button', { name: 'Withhold' }).click();
    const byHand = facts.getByRole('combobox', { name: /: lunch queue$/ });
    await byHand.waitFor();
    await expect(byHand.inputValue()).resolves.toBe('redact:third-party-data');
    await shot(page, 'sar-review');

    // Opened again: the review is the saved draft.
    await page.getByRole('button', { name: '← Back' }).click();
    await page.getByRole('button', { name: 'Review the bundle and redactions' }).click();
    await page.getByText(/Saved .* by Priya Shah\./).waitFor();
    await expect(nameChoice.inputValue()).resolves.toBe('redact:third-party-data');
    await expect(phoneChoice.inputValue()).resolves.toBe('redact:third-party-data');
    await expect(
      page.getByRole('button', { name: 'Download the response PDF' }).isDisabled(),
    ).resolves.toBe(true);
  });
});
