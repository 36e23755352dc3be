import { randomUUID } from 'node:crypto';
import path from 'node:path';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import type { RunningApp } from '../../../src/app';
import { createAppServices } from '../../../src/app-services';
import { systemClock } from '../../../src/shared/clock';
import { createLogger } from '../../../src/shared/logger';
import { aConcernForm, ADULTS, adultActor } from '../../support/adult-concern-builders';
import { launchChromium } from '../../support/chromium';
import { startTestApp, stopTestApp, testAppCipher } from '../../support/test-app';

const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'tab');

jest.setTimeout(120_000);

describe('concerns about adults in the tab, in Chromium (real app, development sign-in)', () => {
  let app: RunningApp;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let reference: string;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    app = await startTestApp(__filename, createLogger('silent'), { DEMO_SEED: 'true' });
    const services = await createAppServices(app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    const sam = await adultActor(services, ADULTS.sam, false);
    const outcome = await services.adultConcernForms.submit(sam, randomUUID(), aConcernForm());
    if (outcome.kind !== 'recorded') throw new Error('not recorded');
    reference = outcome.concern.reference;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopTestApp(app);
  });

  async function signIn(aadObjectId: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${app.baseUrl}/tab/`);
    await page.getByRole('heading', { name: 'Sign in (development)' }).waitFor();
    await page.getByLabel('Demo user').selectOption(aadObjectId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Blank screen' }).waitFor();
    return page;
  }

  it('when the DSL signs in, then there is no way into concerns about adults', async () => {
    const page = await signIn(ADULTS.dsl);
    await page.getByText('Signed in as Priya Shah').waitFor();
    await expect(page.getByRole('button', { name: 'Concerns about adults' }).count()).resolves.toBe(
      0,
    );
    await page.close();
  });

  it('when the head opens the list, then the reference shows without a name; the concern opens after step-up and takes a LADO referral', async () => {
    const page = await signIn(ADULTS.head);
    await page.getByRole('button', { name: 'Concerns about adults' }).click();
    await page.getByRole('button', { name: reference }).waitFor();
    await page.getByText(/LADO referral due/).waitFor();
    await expect(page.getByText('Tom Reilly').count()).resolves.toBe(0);
    await page.screenshot({
      path: path.join(ARTIFACTS, 'adult-concerns-list.png'),
      fullPage: true,
    });

    await page.getByRole('button', { name: reference }).click();
    await page.getByText('Confirm it is you').waitFor();
    await page.getByRole('switch', { name: 'Simulate step-up' }).check();
    await page.getByRole('button', { name: 'Confirm with second factor' }).click();
    await page
      .getByText(/Tom Reilly/)
      .first()
      .waitFor();

    // Midnight today: a step in the past whatever the hour the test runs.
    await page.getByLabel('Time (HH:MM)').fill('00:00');
    await page
      .getByLabel('Note (the advice or decision in full)')
      .fill('Phoned the LADO duty line.');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByText('Phoned the LADO duty line.').first().waitFor();
    await page
      .getByText(/Referred to the LADO .+/)
      .first()
      .waitFor();
    await page.screenshot({
      path: path.join(ARTIFACTS, 'adult-concern-record.png'),
      fullPage: true,
    });
    await page.close();
  });
});
