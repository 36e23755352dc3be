import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningApp } from '../../../src/app';
import { createAppServices } from '../../../src/app-services';
import { systemClock } from '../../../src/shared/clock';
import { createLogger } from '../../../src/shared/logger';
import { launchChromium } from '../../support/chromium';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { startTestApp, stopTestApp, testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SAM = '00000000-0000-0000-0000-000000000e01'; // teacher
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // DSL
const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'tab');

jest.setTimeout(180_000);

describe('the retention page in Chromium (real app, real store, development sign-in)', () => {
  let app: RunningApp;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const references: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    app = await startTestApp(__filename, createLogger('silent'), {
      DEMO_SEED: 'true',
      TAB_RATE_LIMIT_PER_MINUTE: '2000',
    });
    // Two records stored in June 2025 (a service graph whose clock stands then); with the
    // school's one-year rule for bullying both have been due since June 2026.
    const cipher = await testAppCipher();
    const past = await createAppServices(
      app.store.connection,
      new MutableClock(new Date('2025-06-02T10:00:00.000Z')),
      { cipher },
    );
    const sam = await past.staff.resolveActor(TENANT, SAM);
    for (const [n, pupilId] of ['EP1071', 'EP1072'].entries()) {
      const { incident } = await past.incidents.recordIncident(
        sam,
        anIncidentInput({
          pupilId,
          happenedAt: new Date('2025-06-02T09:00:00.000Z'),
          categoryIds: ['bullying'],
          linkedPupils: [],
          agencyIds: [],
          bodyMap: [],
          alertStaffIds: [],
        }),
        `retention-tab-${n}`,
      );
      references.push(incident.reference);
    }
    const now = await createAppServices(app.store.connection, systemClock, { cipher });
    const priya = { ...(await now.staff.resolveActor(TENANT, PRIYA)), steppedUp: true };
    await now.retention.setRules(priya, {
      rules: [
        { recordType: 'child-protection', basis: 'date-of-birth', years: 25 },
        { recordType: 'bullying', basis: 'recorded', years: 1 },
        { recordType: 'default', basis: 'recorded', years: 6 },
      ],
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopTestApp(app);
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('when the DSL opens the desk line, a hold refuses a disposal naming its reference; lifted, the record is disposed and another retained', async () => {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${app.baseUrl}/tab/`);
    await page.getByLabel('Demo user').selectOption(PRIYA);
    await page.getByRole('switch', { name: 'Simulate step-up' }).check();
    await page.getByRole('button', { name: 'Sign in' }).click();

    const deskLine = page.getByRole('heading', { name: /Records due for retention review/ });
    await deskLine.waitFor();
    await expect(deskLine.textContent()).resolves.toMatch(/2$/);
    await page.getByRole('button', { name: 'Review them on the retention page' }).click();
    await page.getByRole('heading', { name: 'Retention and legal holds' }).waitFor();
    // Retention names pupils and destroys records: the second factor first.
    await page.getByText('Confirm it is you').waitFor();
    await page.getByRole('button', { name: 'Confirm with second factor' }).click();
    const due = page.getByRole('table', { name: 'Records due for review' });
    await due.getByText(references[0]!).waitFor();
    await expect(due.getByText(references[1]!).count()).resolves.toBe(1);

    const placing = page.getByRole('form', { name: 'Place a legal hold' });
    await placing.getByLabel("Reference (the inquiry's or case's)").fill('IICSA-2027-014');
    await placing.getByLabel('Reason').fill('Public inquiry into the trust');
    await placing.getByRole('button', { name: 'Place hold' }).click();
    await page.getByRole('list', { name: 'Legal holds' }).getByText('IICSA-2027-014').waitFor();

    const first = page.getByRole('form', { name: `Decision on ${references[0]}` });
    await first.getByLabel('Outcome').selectOption('dispose');
    await first.getByRole('button', { name: 'Dispose of' }).click();
    await first.getByText(/legal hold IICSA-2027-014 on the whole school/).waitFor();
    await shot(page, 'retention-hold-refused');

    const lifting = page.getByRole('form', { name: 'Lift hold IICSA-2027-014' });
    await lifting.getByLabel('Why lift it').fill('Inquiry closed');
    await lifting.getByRole('button', { name: 'Lift' }).click();
    await page.getByText(/Lifted by Priya Shah on .*: Inquiry closed\./).waitFor();

    const again = page.getByRole('form', { name: `Decision on ${references[0]}` });
    await again.getByLabel('Outcome').selectOption('dispose');
    await again.getByRole('button', { name: 'Dispose of' }).click();
    const disposed = page.getByRole('list', { name: 'Disposed records' });
    await disposed
      .getByText(
        new RegExp(`${references[0]}: disposed of on .* by Priya Shah under rule bullying`),
      )
      .waitFor();

    const second = page.getByRole('form', { name: `Decision on ${references[1]}` });
    await second.getByLabel('Why keep it').fill('Sibling case still open');
    await second.getByLabel('Next review date').fill('2031-01-15');
    await second.getByRole('button', { name: 'Retain' }).click();
    await page.getByText('No record is due for retention review.').waitFor();
    await shot(page, 'retention-done');
    await page.close();
  });
});
