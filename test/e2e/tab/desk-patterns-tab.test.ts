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
const SCOPE = { tenantId: TENANT, schoolId: 'elm-park' };
const SAM = '00000000-0000-0000-0000-000000000e01'; // teacher
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // DSL
const PUPIL = 'EP1007';
const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'tab');
const HOUR = 3_600_000;

jest.setTimeout(120_000);

describe('pattern flags and open cases on the desk in Chromium (real app, real store)', () => {
  let app: RunningApp;
  let services: AppServices;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const references: string[] = [];

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
    for (const [i, category] of ['bullying', 'attendance', 'medical'].entries()) {
      const { incident } = await services.incidents.recordIncident(
        sam,
        anIncidentInput({
          pupilId: PUPIL,
          happenedAt: new Date(Date.now() - (4 - i) * HOUR),
          categoryIds: [category],
          linkedPupils: [],
          agencyIds: [],
          bodyMap: [],
          alertStaffIds: [],
        }),
        `desk-patterns-${i}`,
      );
      references.push(incident.reference);
      await services.events.publish({
        type: 'incident.recorded',
        ...SCOPE,
        incidentId: incident.incidentId,
      });
    }
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
    await page.getByLabel('Demo user').selectOption(aadObjectId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Needs attention' }).waitFor();
    return page;
  }

  /** axe-core's serious and critical findings on the page as it stands (rule ids). */
  async function seriousViolations(page: Page): Promise<string[]> {
    // Evaluated through the debugging protocol, so the tab's CSP (no inline script) stays on.
    await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    return page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id))`);
  }

  it('when a pattern rule has fired, then the DSL desk shows the flag with its records and the open cases oldest first; marking it reviewed clears it', async () => {
    const page = await signIn(PRIYA);
    const flags = page.getByRole('list', { name: 'Pattern flags' });
    await flags.getByText('3 concerns in 30 days').waitFor();
    for (const reference of references) {
      await flags.getByRole('button', { name: reference }).waitFor();
    }
    const cases = page.getByRole('list', { name: 'Open cases by age' });
    const caseText = await cases.innerText();
    const positions = references.map((r) => caseText.indexOf(r));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({
      path: path.join(ARTIFACTS, 'dsl-desk-pattern-flag.png'),
      fullPage: true,
    });

    await flags.getByRole('button', { name: /^Flag reviewed/ }).click();
    await page.getByText('No pattern rule has fired that the team has not reviewed.').waitFor();
    // Cleared for the whole team, not just this page: the desk asked the server again.
    const desk = await page.evaluate(`document.body.innerText`);
    expect(desk).not.toContain('3 concerns in 30 days');
  });
});
