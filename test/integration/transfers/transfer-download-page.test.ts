import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningApp } from '../../../src/app';
import { createAppServices } from '../../../src/app-services';
import { systemClock } from '../../../src/shared/clock';
import { openArchive, unpackArchive } from '../../../src/transfers';
import { launchChromium } from '../../support/chromium';
import { anIncidentInput } from '../../support/incident-builders';
import { capturingLogger } from '../../support/silent-logger';
import { startTabApiApp, type TabApiApp } from '../../support/tab-api-app';
import { startTestApp, stopTestApp, testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SAM = '00000000-0000-0000-0000-000000000e01'; // teacher
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // DSL
const STEP_UP = { acrs: ['c1'] };
const SCREENSHOTS = path.join(os.tmpdir(), 'transfer-download-page');

describe('sending a file from the tab and receiving it on the download page (real HTTP, Chromium)', () => {
  const log = capturingLogger();
  let app: RunningApp;
  let tab: TabApiApp;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;

  beforeAll(async () => {
    tab = await startTabApiApp(__filename, log.logger);
    app = tab.app;
    const services = await createAppServices(app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    const sam = await services.staff.resolveActor(TENANT, SAM);
    for (const pupilId of ['EP1120', 'EP1121']) {
      await services.incidents.recordIncident(
        sam,
        anIncidentInput({
          pupilId,
          happenedAt: new Date(systemClock.now().getTime() - 3_600_000),
          categoryIds: ['behaviour'],
          linkedPupils: [],
          agencyIds: [],
          bodyMap: [],
          alertStaffIds: [],
        }),
        `download-page-${pupilId}`,
      );
    }
    await services.reindexRecent(new Date(systemClock.now().getTime() - 86_400_000));
    browser = await launchChromium();
    page = await browser.context.newPage();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await tab?.stop();
  });

  /** The DSL opens and sends a pupil's transfer through the tab API. */
  async function send(pupilId: string) {
    const opened = await tab.call('POST', 'transfers', PRIYA, STEP_UP, { pupilId });
    expect(opened.status).toBe(200);
    const sent = await tab.call(
      'POST',
      `transfers/${opened.body.transferId}/send`,
      PRIYA,
      STEP_UP,
      {
        recipientName: 'Ms Okafor',
        recipientSchool: 'Riverside Academy',
      },
    );
    expect(sent.status).toBe(200);
    return {
      url: `${app.baseUrl}${new URL(sent.body.downloadUrl as string).pathname}`,
      code: sent.body.oneTimeCode as string,
      sha256: sent.body.sha256 as string,
      transferId: opened.body.transferId as string,
    };
  }

  it('when a teacher or a DSL without step-up asks the tab to send, then it is refused', async () => {
    expect((await tab.call('POST', 'transfers', SAM, STEP_UP, { pupilId: 'EP1120' })).status).toBe(
      403,
    );
    expect((await tab.call('POST', 'transfers', PRIYA, {}, { pupilId: 'EP1120' })).status).toBe(
      401,
    );
    const badImport = await tab.call('POST', 'transfers/import', PRIYA, STEP_UP, {
      pupilId: 'EP1120',
    });
    expect(badImport).toMatchObject({ status: 400, body: { code: 'TRANSFER.INVALID' } });
  });

  it('when the receiving DSL opens the link, then the page shows no pupil data and sets a strict CSP', async () => {
    const sent = await send('EP1120');
    const res = await fetch(sent.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-/,
    );
    const body = await res.text();
    expect(body).toContain('A child protection file from Elm Park');
    expect(body).not.toMatch(/EP1120|Year 4|behaviour/i);
    expect((await fetch(`${app.baseUrl}/transfer/not-a-token`)).status).toBe(410);
  });

  it('when the receiving DSL types a wrong code, then the right one with a receipt, then they download the encrypted file once and the link is gone', async () => {
    const sent = await send('EP1121');
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(sent.url);
    await page.screenshot({ path: path.join(SCREENSHOTS, '1-form.png'), fullPage: true });
    await page.fill('#code', 'WRNG-CODE-AAAA');
    await page.fill('#name', 'Grace Okafor');
    await page.fill('#school', 'Riverside Academy');
    await page.fill('#role', 'DSL');
    await page.click('button[type=submit]');
    await expect(page.locator('.problem').textContent()).resolves.toContain('4 tries left');
    // What was typed is kept (but the code).
    expect(await page.inputValue('#name')).toBe('Grace Okafor');
    await page.screenshot({ path: path.join(SCREENSHOTS, '2-wrong-code.png'), fullPage: true });

    await page.fill('#code', sent.code.toLowerCase());
    await page.click('button[type=submit]');
    await expect(page.locator('h1').textContent()).resolves.toContain('your receipt is recorded');
    await page.screenshot({ path: path.join(SCREENSHOTS, '3-received.png'), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('button[type=submit]'),
    ]);
    expect(download.suggestedFilename()).toBe('child-protection-file.sgx');
    const bytes = fs.readFileSync((await download.path())!);
    const { json } = await unpackArchive(await openArchive(bytes, sent.code));
    expect(json.pupil.misId).toBe('EP1121');
    expect(json.to.recipientName).toBe('Ms Okafor');
    expect(cspViolations).toEqual([]);

    expect((await fetch(sent.url)).status).toBe(410);
    const view = await tab.call('GET', `transfers/${sent.transferId}`, PRIYA, STEP_UP);
    expect(view.body).toMatchObject({
      state: 'received',
      receipt: { name: 'Grace Okafor', school: 'Riverside Academy', role: 'DSL' },
      sent: [expect.objectContaining({ sha256: sent.sha256, recipientName: 'Ms Okafor' })],
    });
    // The log has codes, never the token, the code or a name.
    const logged = log.lines.join('\n');
    expect(logged).not.toContain(new URL(sent.url).pathname.split('/').at(-1)!);
    expect(logged).not.toContain(sent.code);
    expect(logged).not.toContain('Grace Okafor');
  });
});

describe("the desk in the tab client: the DSL sends a leaver's file (Chromium, development sign-in)", () => {
  let app: RunningApp;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let leaverName = '';

  beforeAll(async () => {
    app = await startTestApp(`${__filename}-ui`, capturingLogger().logger, { DEMO_SEED: 'true' });
    const services = await createAppServices(app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    const sam = await services.staff.resolveActor(TENANT, SAM);
    await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId: 'EP1130',
        happenedAt: new Date(systemClock.now().getTime() - 3_600_000),
        categoryIds: ['behaviour'],
        linkedPupils: [],
        agencyIds: [],
        bodyMap: [],
        alertStaffIds: [],
      }),
      'download-page-ui',
    );
    await services.reindexRecent(new Date(systemClock.now().getTime() - 86_400_000));
    const priya = { ...(await services.staff.resolveActor(TENANT, PRIYA)), steppedUp: true };
    await services.transfers.open(priya, {
      pupilId: 'EP1130',
      destinationSchool: 'Riverside Academy',
    });
    const [leaver] = await services.pupils.findPupils(priya, ['EP1131']);
    leaverName = `${leaver!.legalFirstName} ${leaver!.legalLastName}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stopTestApp(app);
  });

  it('when the DSL opens the transfer on the desk and sends it, then the link and the code are shown once and the sent log lists it', async () => {
    jest.setTimeout(90_000);
    const page = await browser!.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${app.baseUrl}/tab/`);
    await page.getByLabel('Demo user').selectOption(PRIYA);
    await page.getByLabel('Simulate step-up').check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    const list = page.getByRole('list', { name: 'Child protection files to transfer' });
    await list.waitFor().catch(async (error: unknown) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, 'x-failed.png'), fullPage: true });
      throw error;
    });
    await list.getByRole('button').first().click();
    // The transfer asks for the second factor first (simulated in development).
    await page.getByRole('button', { name: 'Confirm with second factor' }).click();
    await page
      .getByLabel('How the next school was told (e.g. phone call to their DSL)')
      .fill('Phone call to their DSL');
    await page.getByRole('button', { name: 'Record the advance notice' }).click();
    await page.getByText(/Next school told .* Phone call to their DSL/).waitFor();
    await page.getByLabel("Receiving DSL's name").fill('Ms Okafor');
    await page.getByLabel('Receiving school').fill('Riverside Academy');
    await page.getByRole('button', { name: 'Send the file securely' }).click();
    await page.getByText('One-time code:').waitFor();
    await page.getByRole('list', { name: 'Sent log' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, '0-desk-sent.png'), fullPage: true });
    const status = await page.getByRole('status').filter({ hasText: 'One-time code' }).innerText();
    expect(status).toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/);
    expect(status).toContain('/transfer/');
    expect(await page.getByRole('list', { name: 'Sent log' }).innerText()).toContain(
      'Ms Okafor, Riverside Academy',
    );

    // A leaver the MIS has not marked yet: the team starts the transfer from the desk.
    await page.getByText('Start a transfer for a leaver').click();
    await page.getByLabel('Pupil (name or MIS id)').fill(leaverName);
    await page.getByLabel('Next school (if known)').fill('Hillside Primary');
    await page.getByRole('button', { name: 'Find the pupil' }).click();
    await page.getByRole('list', { name: 'Pupils found' }).getByRole('button').first().click();
    await page.getByText(/Transfer started for .*: due /).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, '0-desk-started.png'), fullPage: true });
  });
});
