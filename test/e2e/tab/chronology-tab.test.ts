import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningApp } from '../../../src/app';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { systemClock } from '../../../src/shared/clock';
import { createLogger } from '../../../src/shared/logger';
import { launchChromium } from '../../support/chromium';
import { anIncidentInput } from '../../support/incident-builders';
import { pdfPageTexts } from '../../support/pdf-text';
import { startTestApp, stopTestApp, testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SAM = '00000000-0000-0000-0000-000000000e01'; // teacher
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // DSL
const TOM = '00000000-0000-0000-0000-000000000e05'; // teacher
const PUPIL = 'EP1003';
const MANY_PUPIL = 'EP1004';
const MANY = 27;
const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'tab');
const DAY = 86_400_000;

jest.setTimeout(120_000);

describe('chronology tab in Chromium (real app, real store, development sign-in)', () => {
  let app: RunningApp;
  let services: AppServices;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let pupilName = '';
  const cspViolations: string[] = [];
  const refs: Record<'samBehaviour' | 'tomBullying' | 'samBullying', { id: string; ref: string }> =
    {} as never;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    app = await startTestApp(__filename, createLogger('silent'), {
      DEMO_SEED: 'true',
      TAB_RATE_LIMIT_PER_MINUTE: '2000',
    });
    // The app's own key file: records written here must be readable by the app.
    services = await createAppServices(app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    const scope = (await services.staff.resolveActor(TENANT, PRIYA)) as { schoolId: string };
    const [pupil] = await services.pupils.findPupils(
      { tenantId: TENANT, schoolId: scope.schoolId },
      [PUPIL],
    );
    pupilName = pupil!.legalLastName;
    const record = async (
      key: keyof typeof refs,
      recorder: string,
      daysAgo: number,
      category: string,
    ) => {
      const actor = await services.staff.resolveActor(TENANT, recorder);
      const { incident } = await services.incidents.recordIncident(
        actor,
        anIncidentInput({
          pupilId: PUPIL,
          happenedAt: new Date(Date.now() - daysAgo * DAY),
          facts: `Narrative ${key}: what the recorder saw and heard.`,
          categoryIds: [category],
          linkedPupils: [],
          agencyIds: [],
          bodyMap: [],
          alertStaffIds: [],
        }),
        `tab-e2e-${key}`,
      );
      refs[key] = { id: incident.incidentId, ref: incident.reference };
    };
    await record('samBehaviour', SAM, 10, 'behaviour');
    await record('tomBullying', TOM, 40, 'bullying');
    await record('samBullying', SAM, 70, 'bullying');
    // A second pupil with more entries than one page (25), for "Load more".
    const priya = await services.staff.resolveActor(TENANT, PRIYA);
    for (let i = 0; i < MANY; i += 1) {
      await services.incidents.recordIncident(
        priya,
        anIncidentInput({
          pupilId: MANY_PUPIL,
          happenedAt: new Date(Date.now() - (i + 1) * DAY),
          categoryIds: ['attendance'],
          linkedPupils: [],
          agencyIds: [],
          bodyMap: [],
          alertStaffIds: [],
        }),
        `tab-e2e-many-${i}`,
      );
    }
    await services.reindexRecent(new Date(0));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopTestApp(app);
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  /** Opens the tab outside Teams and signs in on the DEVELOPMENT screen as a demo user. */
  async function signIn(aadObjectId: string, query = '', context = browser.context): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // The server's strict CSP (no inline script) must hold: Chromium reports refusals here.
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(`${app.baseUrl}/tab/${query}`);
    await page.getByRole('heading', { name: 'Sign in (development)' }).waitFor();
    await page.getByText('DEVELOPMENT sign-in').waitFor();
    await page.getByLabel('Demo user').selectOption(aadObjectId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Blank screen' }).waitFor();
    return page;
  }

  async function openChronology(page: Page): Promise<void> {
    await page.getByRole('searchbox').fill(pupilName);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: new RegExp(PUPIL) }).click();
    await page.getByRole('table', { name: 'Chronology entries' }).waitFor();
  }

  const visibleRefs = async (page: Page) =>
    (await page.getByTestId('chronology-entry').allInnerTexts()).join('\n');

  // Browser-side code as text: the test project has no DOM types.
  const storage = (page: Page) =>
    page.evaluate(`(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      indexedDb: (await indexedDB.databases()).length,
      caches: (await caches.keys()).length,
    }))()`);

  describe('as the DSL', () => {
    let page: Page;
    beforeAll(async () => {
      page = await signIn(PRIYA);
    });

    it('when the DSL signs in, then the desk shows what needs attention, and a line opens its record', async () => {
      await page.getByRole('heading', { name: 'Needs attention' }).waitFor();
      const newConcerns = page.getByRole('list', { name: 'New concerns not reviewed' });
      await newConcerns.getByRole('button', { name: refs.samBehaviour.ref }).waitFor();
      await shot(page, 'dsl-desk');
      await newConcerns.getByRole('button', { name: refs.samBehaviour.ref }).click();
      // The record asks for the second factor before it shows anything.
      await page.getByText('Confirm it is you').waitFor();
      await page.getByRole('button', { name: '← Back' }).click();
      await page.getByRole('heading', { name: 'Needs attention' }).waitFor();
    });

    it('when the DSL searches a pupil, then the chronology lists every concern about them with a chart', async () => {
      await openChronology(page);
      const text = await visibleRefs(page);
      for (const { ref } of Object.values(refs)) expect(text).toContain(ref);
      expect(text).toContain('Behaviour');
      expect(text).toContain('Sam Taylor');
      expect(text).toContain('Tom Reilly');
      await expect(
        page.getByRole('img', { name: /Entries by category per month/ }).isVisible(),
      ).resolves.toBe(true);
      await shot(page, 'dsl-chronology');
    });

    it('when the DSL filters by category, then only entries in that category remain', async () => {
      await page.getByLabel('Category', { exact: true }).selectOption('bullying');
      const entries = page.getByRole('table', { name: 'Chronology entries' });
      await entries
        .getByRole('button', { name: refs.samBehaviour.ref })
        .waitFor({ state: 'detached' });
      await entries.getByRole('button', { name: refs.tomBullying.ref }).waitFor();
      const text = await visibleRefs(page);
      expect(text).toContain(refs.tomBullying.ref);
      expect(text).toContain(refs.samBullying.ref);
      expect(text).not.toContain(refs.samBehaviour.ref);
      await shot(page, 'dsl-chronology-filtered');
    });

    it('when the DSL opens a record, then step-up is asked for first and simulated step-up shows the narrative', async () => {
      // References open the record in the tab: buttons, not links to anywhere.
      await page.getByRole('button', { name: refs.tomBullying.ref }).click();
      await page.getByText('Confirm it is you').waitFor();
      await expect(page.getByText('Narrative tomBullying').count()).resolves.toBe(0);
      await shot(page, 'dsl-step-up-prompt');
      // Without the simulated second factor, nothing is shown.
      await page.getByRole('button', { name: 'Confirm with second factor' }).click();
      await page.getByText('Turn on "Simulate step-up"').waitFor();
      await page.getByRole('switch', { name: 'Simulate step-up' }).check();
      await page.getByRole('button', { name: 'Confirm with second factor' }).click();
      // (The team's amend form below also holds the text, ready to correct.)
      await page.getByText('Narrative tomBullying').first().waitFor();
      await expect(page.getByRole('heading', { name: 'What happened' }).isVisible()).resolves.toBe(
        true,
      );
      await shot(page, 'dsl-record');

      // The team amends with a reason; the record reads as amended and lists the amendment.
      await page.getByLabel('New text').fill('Narrative tomBullying, corrected: by the gate');
      await page.getByRole('button', { name: 'Save amendment' }).click();
      await page.getByText('at least 10 characters').waitFor();
      await page
        .getByLabel('Reason (required; who asked and why)')
        .fill('Tom corrected the place in person.');
      await page.getByRole('button', { name: 'Save amendment' }).click();
      await page.getByText(/Version 2: facts amended by Priya Shah/).waitFor();
      await page.getByText('Narrative tomBullying, corrected: by the gate').first().waitFor();
      await page.getByRole('button', { name: 'Show who viewed and changed this record' }).click();
      await page
        .getByRole('list', { name: 'Audit events' })
        .getByText(/record\.amend/)
        .waitFor();
      await shot(page, 'dsl-record-amended');
      // A case closes only with its outcome: without a decision on the record, the tab says so.
      await page.getByRole('button', { name: 'Close case with its outcome' }).click();
      await page.getByText('record a decision on it first').waitFor();
      await page.getByRole('button', { name: '← Back' }).click();
      await page.getByRole('table', { name: 'Chronology entries' }).waitFor();
    });

    it('when the DSL marks a new concern reviewed, then the record says by whom (opening it did not)', async () => {
      await page.getByRole('button', { name: refs.samBullying.ref }).click();
      await page.getByText('Not reviewed by the safeguarding team yet.').waitFor();
      await page.getByRole('button', { name: 'Mark reviewed' }).click();
      await page.getByText(/^Reviewed by Priya Shah on /).waitFor();
      await expect(page.getByRole('button', { name: 'Mark reviewed' }).count()).resolves.toBe(0);
      await shot(page, 'dsl-record-reviewed');
      await page.getByRole('button', { name: '← Back' }).click();
      await page.getByRole('table', { name: 'Chronology entries' }).waitFor();
      // The chronology marks the concerns the team has not reviewed, and no longer this one.
      const row = (ref: string) =>
        page
          .getByTestId('chronology-entry')
          .filter({ hasText: ref })
          .filter({ hasText: 'Concern' });
      await expect(row(refs.samBullying.ref).innerText()).resolves.not.toContain('Not reviewed');
      await expect(row(refs.tomBullying.ref).innerText()).resolves.toContain('Not reviewed');
    });

    it('when the stepped-up DSL changes the pupil status with a reason, then the head of the chronology shows it', async () => {
      const status = page.getByRole('region', { name: 'Status' });
      await status.getByText('No status recorded yet.').waitFor();
      await status.getByRole('button', { name: 'Change status' }).click();
      await status.getByRole('checkbox', { name: 'Child protection plan' }).check();
      // Without a reason the server refuses, and what was ticked stays ticked.
      await status.getByRole('button', { name: 'Save status' }).click();
      await status.getByText('Say why the status changed.').waitFor();
      await expect(
        status.getByRole('checkbox', { name: 'Child protection plan' }).isChecked(),
      ).resolves.toBe(true);
      await status.getByLabel('NHS number', { exact: true }).fill('943 476 5919');
      await status
        .getByLabel('Reason for the change (required)')
        .fill('Initial child protection conference today.');
      await status.getByRole('button', { name: 'Save status' }).click();
      await status
        .getByRole('list', { name: 'Status' })
        .getByText('Child protection plan')
        .waitFor();
      await status.getByText('NHS number: 943 476 5919').waitFor();
      await status.getByText(/Last changed by Priya Shah/).waitFor();
      await shot(page, 'dsl-pupil-status');
    });

    it('when the DSL exports, then the print view and every PDF page say who exported it', async () => {
      await page.getByRole('button', { name: 'Export / print' }).click();
      await page.getByTestId('export-stamp').waitFor();
      await expect(page.getByTestId('export-stamp').innerText()).resolves.toMatch(
        /^Exported by Priya Shah at /,
      );
      // The button hands over to the browser's print dialog (counted here, not opened).
      await page.evaluate('window.printed = 0; window.print = () => (window.printed += 1)');
      await page.getByRole('button', { name: 'Print or save as PDF' }).click();
      await expect(page.evaluate('window.printed')).resolves.toBe(1);
      await shot(page, 'dsl-export');
      const pdf = path.join(ARTIFACTS, 'chronology-export.pdf');
      // A small page size so the export runs over several pages.
      await page.pdf({ path: pdf, format: 'A6', printBackground: true });
      expect(fs.statSync(pdf).size).toBeGreaterThan(1000);
      const pages = pdfPageTexts(pdf);
      expect(pages.length).toBeGreaterThan(1);
      for (const text of pages) expect(text).toContain('Exported by Priya Shah');
      // The bullying filter carried over: no behaviour entry in the export.
      expect(pages.join(' ')).not.toContain(refs.samBehaviour.ref);
      await page.getByRole('button', { name: '← Back to the chronology' }).click();
      await page.getByRole('table', { name: 'Chronology entries' }).waitFor();
    });

    it('when the DSL presses "Blank screen", then the records leave the page until a click brings the tab back', async () => {
      await page.getByRole('button', { name: 'Blank screen' }).click();
      await page.getByRole('heading', { name: 'Screen blanked' }).waitFor();
      expect(await page.content()).not.toContain(refs.tomBullying.ref);
      await shot(page, 'dsl-blanked');
      await page.getByRole('button', { name: 'Show the screen again' }).click();
      // Back where the DSL was, reloaded with a fresh token.
      await page.getByRole('table', { name: 'Chronology entries' }).waitFor();
    });

    it('when the DSL has used the tab, then browser storage is empty and the CSP was never breached', async () => {
      expect(cspViolations).toEqual([]);
      await expect(storage(page)).resolves.toEqual({
        local: 0,
        session: 0,
        indexedDb: 0,
        caches: 0,
      });
    });
  });

  it('when nobody touches the tab for the inactivity time, then it blanks and stays blank until clicked', async () => {
    const page = await signIn(PRIYA, '?inactivitySeconds=2');
    await openChronology(page);
    await page.getByRole('heading', { name: 'Screen blanked' }).waitFor({ timeout: 10_000 });
    expect(await page.content()).not.toContain(refs.samBehaviour.ref);
    await page.waitForTimeout(2500);
    await expect(page.getByRole('heading', { name: 'Screen blanked' }).isVisible()).resolves.toBe(
      true,
    );
    await shot(page, 'inactivity-blanked');
    await page.getByRole('button', { name: 'Show the screen again' }).click();
    await page.getByRole('table', { name: 'Chronology entries' }).waitFor();
    await expect(storage(page)).resolves.toEqual({ local: 0, session: 0, indexedDb: 0, caches: 0 });
    await page.close();
  });

  it('when a pupil is deep-linked with ?pupil= and has more than a page, then "Load more" brings the rest by cursor', async () => {
    const page = await signIn(PRIYA, `?pupil=${MANY_PUPIL}`);
    const rows = page.getByTestId('chronology-entry');
    await page.getByRole('table', { name: 'Chronology entries' }).waitFor();
    await expect(rows.count()).resolves.toBe(25);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    await expect(rows.count()).resolves.toBe(MANY);
    await page.close();
  });

  describe('as a teacher', () => {
    it("when a teacher opens the pupil's chronology, then only their own records are listed", async () => {
      const page = await signIn(SAM);
      await openChronology(page);
      const text = await visibleRefs(page);
      expect(text).toContain(refs.samBehaviour.ref);
      expect(text).toContain(refs.samBullying.ref);
      expect(text).not.toContain(refs.tomBullying.ref);
      expect(text).not.toContain('Tom Reilly');
      // A pupil's status (plans, care, NHS number) is for the safeguarding team only.
      await expect(page.getByRole('region', { name: 'Status' }).count()).resolves.toBe(0);
      await shot(page, 'teacher-chronology');
      await page.close();
    });

    it("when a teacher deep-links to someone else's record, then the tab says there is no such record", async () => {
      const page = await signIn(SAM, `?incident=${refs.tomBullying.id}`);
      await page.getByText('No such record.').waitFor();
      expect(await page.content()).not.toContain('Narrative tomBullying');
      await expect(storage(page)).resolves.toEqual({
        local: 0,
        session: 0,
        indexedDb: 0,
        caches: 0,
      });
      await page.close();
    });
  });

  describe("with the browser's clock eight hours ahead of the server's", () => {
    it('when the DSL deep-links to a record and steps up, then the record opens (tokens are not judged by the browser clock)', async () => {
      const skewed = await launchChromium();
      try {
        await skewed.context.clock.install({ time: Date.now() + 8 * 3_600_000 });
        const page = await signIn(PRIYA, `?incident=${refs.samBullying.id}`, skewed.context);
        await page.getByText('Confirm it is you').waitFor();
        await page.getByRole('switch', { name: 'Simulate step-up' }).check();
        await page.getByRole('button', { name: 'Confirm with second factor' }).click();
        await page.getByText('Narrative samBullying').first().waitFor();
        await shot(page, 'dsl-record-skewed-clock');
      } finally {
        await skewed.close();
      }
    });
  });
});
