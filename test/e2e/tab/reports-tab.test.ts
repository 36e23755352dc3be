import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningApp } from '../../../src/app';
import { createAppServices } from '../../../src/app-services';
import { pupilDisplayName } from '../../../src/pupils';
import { systemClock } from '../../../src/shared/clock';
import { createLogger } from '../../../src/shared/logger';
import { launchChromium } from '../../support/chromium';
import { anIncidentInput } from '../../support/incident-builders';
import { pdfPageTexts } from '../../support/pdf-text';
import { startTestApp, stopTestApp, testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SCOPE = { tenantId: TENANT, schoolId: 'elm-park' };
const SAM = '00000000-0000-0000-0000-000000000e01'; // teacher
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // DSL
const OLIVIA = '00000000-0000-0000-0000-000000000e21'; // chair of governors
const PUPILS = ['EP1120', 'EP1121', 'EP1122', 'EP1123', 'EP1124', 'EP1125', 'EP1050'];
const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'tab');

jest.setTimeout(180_000);

interface Violation {
  id: string;
  impact: string;
  nodes: string[];
}

/** axe-core's serious and critical findings on the page as it is now. */
async function seriousViolations(page: Page): Promise<Violation[]> {
  // Through the DevTools protocol, which the page's CSP (no inline script) does not govern.
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`);
}

describe('the reports page in Chromium (real app, real store, development sign-in)', () => {
  let app: RunningApp;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const names: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    app = await startTestApp(__filename, createLogger('silent'), {
      DEMO_SEED: 'true',
      TAB_RATE_LIMIT_PER_MINUTE: '2000',
    });
    const services = await createAppServices(app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    const sam = await services.staff.resolveActor(TENANT, SAM);
    // Seven concerns this school year: six in Year 4 and one in Year 1 (a "<5" for governors).
    for (const [i, pupilId] of PUPILS.entries()) {
      const { incident } = await services.incidents.recordIncident(
        sam,
        anIncidentInput({
          pupilId,
          happenedAt: new Date(Date.now() - 3_600_000),
          categoryIds: [i % 2 ? 'bullying' : 'behaviour'],
          linkedPupils: [],
          agencyIds: [],
          bodyMap: [],
          alertStaffIds: [],
        }),
        `reports-tab-${i}`,
      );
      // What the form's submit does after storing: the summaries reports read follow the event.
      await services.events.publish({
        type: 'incident.recorded',
        ...SCOPE,
        incidentId: incident.incidentId,
      });
    }
    await services.summaries.settled();
    const pupils = await services.pupils.findPupils(SCOPE, PUPILS);
    names.push(...pupils.flatMap((p) => [pupilDisplayName(p), p.legalLastName]));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopTestApp(app);
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  async function signIn(aadObjectId: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${app.baseUrl}/tab/`);
    await page.getByLabel('Demo user').selectOption(aadObjectId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Blank screen' }).waitFor();
    return page;
  }

  async function download(page: Page, button: string): Promise<string> {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: button }).click(),
    ]);
    const saved = path.join(ARTIFACTS, file.suggestedFilename());
    await file.saveAs(saved);
    return saved;
  }

  it('when the DSL opens the desk and then the reports, then axe finds nothing serious on either and the report counts this year', async () => {
    const page = await signIn(PRIYA);
    await page.getByRole('heading', { name: 'Needs attention' }).waitFor();
    await shot(page, 'dsl-desk-axe');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Safeguarding reports' }).waitFor();
    const byYear = page.getByRole('table', { name: 'Concerns by year group' });
    await byYear.waitFor();
    expect(await byYear.getByRole('row', { name: /Year 4/ }).innerText()).toContain('6');
    await shot(page, 'dsl-reports');
    expect(await seriousViolations(page)).toEqual([]);

    const csv = fs.readFileSync(await download(page, 'Export CSV'), 'utf8');
    expect(csv).toContain('Concerns by year group');
    const pdf = pdfPageTexts(await download(page, 'Export PDF'));
    expect(pdf[0]).toContain('Safeguarding report');
    for (const content of [csv, pdf.join('\n')]) {
      for (const name of names) expect(content).not.toContain(name);
    }
    await page.close();
  });

  it('when the governor signs in, then the home is the reports only, with small numbers suppressed, and its PDF says so', async () => {
    const page = await signIn(OLIVIA);
    await page.getByRole('heading', { name: 'Safeguarding reports' }).waitFor();
    const byYear = page.getByRole('table', { name: 'Concerns by year group' });
    await byYear.waitFor();
    expect(await byYear.getByRole('row', { name: /Year 1/ }).innerText()).toContain('<5');
    await expect(page.getByRole('searchbox').count()).resolves.toBe(0);
    await expect(page.getByRole('heading', { name: 'Needs attention' }).count()).resolves.toBe(0);
    await shot(page, 'governor-reports');
    expect(await seriousViolations(page)).toEqual([]);

    const pdf = pdfPageTexts(await download(page, 'Export PDF'));
    expect(pdf[0]).toContain('small numbers suppressed');
    pdf.forEach((text, i) => expect(text).toContain(`Page ${i + 1} of ${pdf.length}`));
    for (const name of names) expect(pdf.join('\n')).not.toContain(name);
    await page.close();
  });
});
