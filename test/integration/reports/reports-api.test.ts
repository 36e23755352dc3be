import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccessActor } from '../../../src/access';
import type { RunningApp } from '../../../src/app';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { UNKNOWN_STATUS } from '../../../src/pupil-status/pupil-status.types';
import { pupilDisplayName } from '../../../src/pupils';
import { anIncidentInput } from '../../support/incident-builders';
import { pdfPageTexts } from '../../support/pdf-text';
import { capturingLogger } from '../../support/silent-logger';
import { startTabApiApp, type TabApiApp } from '../../support/tab-api-app';
import { testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SCOPE = { tenantId: TENANT, schoolId: 'elm-park' };
const SAM = '00000000-0000-0000-0000-000000000e01'; // teacher
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // DSL
const HELEN = '00000000-0000-0000-0000-000000000e04'; // head
const GARETH = '00000000-0000-0000-0000-000000000e09'; // admin
const SUNITA = '00000000-0000-0000-0000-000000000e19'; // slt
const OLIVIA = '00000000-0000-0000-0000-000000000e21'; // chair of governors
const PERIOD = 'from=2026-09-01&to=2026-11-30';

/**
 * The school by hand (autumn term 2026, Elm Park): ten concerns in the period and one before it.
 *   EP1112 (Year 4, on a child protection plan since 1 September): 15 Sep bullying (acknowledged
 *     after 30 minutes; referred to MASH at 11:00, decided "no further action" next day at 09:00,
 *     22 hours; case closed), 5 Oct behaviour (acknowledged after 90 minutes).
 *   EP1028, EP1029 (Year 1): 20 Oct and 2 Nov, bullying, never acknowledged.
 *   EP1113–EP1118 (Year 4): six concerns in October, attendance, never acknowledged.
 *   EP1030 (Year 1): 20 August, before the period.
 */
const AT = (iso: string) => new Date(iso);

describe('reports in the tab API (real store, real HTTP)', () => {
  const log = capturingLogger();
  let app: RunningApp;
  let tab: TabApiApp;
  let services: AppServices;
  let now = AT('2026-09-01T08:00:00.000Z');
  const clock = { now: () => new Date(now) };
  const names: string[] = [];
  const get = (apiPath: string, oid: string) => tab.call('GET', apiPath, oid);

  async function record(pupilId: string, at: string, categoryIds: string[], key: string) {
    now = AT(at);
    const sam = await services.staff.resolveActor(TENANT, SAM);
    const { incident } = await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId,
        happenedAt: new Date(now.getTime() - 600_000),
        categoryIds,
        linkedPupils: [],
        agencyIds: [],
        bodyMap: [],
        alertStaffIds: [],
      }),
      key,
    );
    // What the form's submit does after storing: the alerts are queued (as the team would get them).
    await services.events.publish({
      type: 'incident.recorded',
      ...SCOPE,
      incidentId: incident.incidentId,
    });
    return incident.incidentId;
  }

  async function acknowledgeAfter(incidentId: string, recordedAt: string, minutes: number) {
    now = new Date(AT(recordedAt).getTime() + minutes * 60_000);
    const priya = await services.staff.resolveActor(TENANT, PRIYA);
    const alerts = await services.alertRepository.forIncident(SCOPE, incidentId, 'incident');
    const mine = alerts.find((a) => a.recipientAadObjectId === PRIYA)!;
    await services.alerts.acknowledge(priya, mine.alertId);
  }

  beforeAll(async () => {
    tab = await startTabApiApp(__filename, log.logger);
    app = tab.app;
    services = await createAppServices(app.store.connection, clock, {
      cipher: await testAppCipher(),
      logger: log.logger,
    });
    const priya: AccessActor = {
      ...(await services.staff.resolveActor(TENANT, PRIYA)),
      steppedUp: true,
    };
    await services.pupilStatus.change(priya, 'EP1112', {
      status: { ...UNKNOWN_STATUS, childProtectionPlan: true, nhsNumberMissingReason: 'Not known' },
      reason: 'Initial child protection conference',
    });
    const a = await record('EP1112', '2026-09-15T10:00:00.000Z', ['bullying'], 'r-a');
    await acknowledgeAfter(a, '2026-09-15T10:00:00.000Z', 30);
    now = AT('2026-09-15T11:05:00.000Z');
    await services.actions.add(priya, a, {
      details: {
        kind: 'referral',
        agencyId: 'social-care-mash',
        agencyReference: 'MASH-1',
        referredAt: AT('2026-09-15T11:00:00.000Z'),
      },
      happenedAt: AT('2026-09-15T11:00:00.000Z'),
      text: 'Referred to MASH.',
      alertStaffIds: [],
      idempotencyKey: 'ref-a',
    });
    now = AT('2026-09-16T09:05:00.000Z');
    await services.actions.add(priya, a, {
      details: {
        kind: 'decision',
        outcome: 'no-further-action',
        reason: 'MASH: no further action',
      },
      happenedAt: AT('2026-09-16T09:00:00.000Z'),
      text: 'Decision from MASH.',
      alertStaffIds: [],
      idempotencyKey: 'dec-a',
    });
    await services.cases.close(priya, a);
    const b = await record('EP1112', '2026-10-05T09:00:00.000Z', ['behaviour'], 'r-b');
    await acknowledgeAfter(b, '2026-10-05T09:00:00.000Z', 90);
    await record('EP1028', '2026-10-20T13:00:00.000Z', ['bullying'], 'r-c');
    await record('EP1029', '2026-11-02T13:00:00.000Z', ['bullying'], 'r-d');
    for (const [i, id] of ['EP1113', 'EP1114', 'EP1115', 'EP1116', 'EP1117', 'EP1118'].entries()) {
      await record(
        id,
        `2026-10-${String(10 + i).padStart(2, '0')}T09:00:00.000Z`,
        ['attendance'],
        `r-e${i}`,
      );
    }
    await record('EP1030', '2026-08-20T09:00:00.000Z', ['bullying'], 'r-before');
    const pupils = await services.pupils.findPupils(SCOPE, [
      'EP1112',
      'EP1028',
      'EP1029',
      'EP1113',
      'EP1114',
      'EP1115',
      'EP1116',
      'EP1117',
      'EP1118',
      'EP1030',
    ]);
    names.push(...pupils.flatMap((p) => [pupilDisplayName(p), p.legalLastName]));
  });
  afterAll(() => tab?.stop());

  const table = (body: { tables?: unknown }, id: string) =>
    (body.tables as { id: string }[]).find((t) => t.id === id) as unknown as {
      rows: { label: string; cells: unknown[]; total?: unknown }[];
      totals?: { cells: unknown[] };
    };
  const rowsOf = (body: { tables?: unknown }, id: string, nonZero = true) =>
    Object.fromEntries(
      table(body, id)
        .rows.filter((r) => !nonZero || r.cells[0] !== 0)
        .map((r) => [r.label, r.cells[0]]),
    );

  it('when each role asks for the report, then the team, head and slt get full counts, the governor suppressed ones, and staff and admin are refused', async () => {
    const audiences: Record<string, unknown> = {};
    for (const [name, oid] of Object.entries({ SAM, PRIYA, HELEN, GARETH, SUNITA, OLIVIA })) {
      const answer = await get(`reports?${PERIOD}`, oid);
      audiences[name] = answer.status === 200 ? answer.body.audience : answer.status;
    }
    expect(audiences).toEqual({
      SAM: 403,
      PRIYA: 'full',
      HELEN: 'full',
      GARETH: 403,
      SUNITA: 'full',
      OLIVIA: 'governor',
    });
  });

  it('when the governor opens pupil search or the desk, then both are refused: reports only', async () => {
    expect((await get('pupils?q=a', OLIVIA)).status).toBe(403);
    expect((await get('desk', OLIVIA)).status).toBe(403);
    expect((await get('pupils?q=a', SAM)).status).toBe(200);
  });

  it('when the DSL reads the autumn term, then every number is the one counted by hand', async () => {
    const { status, body } = await get(`reports?${PERIOD}`, PRIYA);
    expect(status).toBe(200);
    expect(body.schoolName).toBe('Elm Park Community School');
    expect(body.headline).toEqual([
      { label: 'Concerns recorded', value: 10 },
      { label: 'Pupils with a concern', value: 9 },
      { label: 'Referrals made', value: 1 },
    ]);
    expect(rowsOf(body, 'concerns-by-month')).toEqual({ '2026-09': 1, '2026-10': 8, '2026-11': 1 });
    expect(table(body, 'concerns-by-month').totals?.cells).toEqual([10]);
    expect(rowsOf(body, 'concerns-by-category')).toEqual({
      Attendance: 6,
      Behaviour: 1,
      Bullying: 3,
    });
    expect(rowsOf(body, 'concerns-by-year-group')).toEqual({ 'Year 1': 2, 'Year 4': 8 });
    expect(rowsOf(body, 'concerns-by-status')).toEqual({
      'Child protection plan': 2,
      'No recorded status': 8,
    });
    const byMonth = table(body, 'category-by-month').rows.find((r) => r.label === 'Bullying');
    expect(byMonth).toEqual({ label: 'Bullying', cells: [1, 1, 1], total: 3 });
    expect(rowsOf(body, 'referrals-by-agency')).toEqual({ "Children's social care / MASH": 1 });
    expect(rowsOf(body, 'referral-outcomes')).toEqual({ 'No further action': 1 });
    expect(rowsOf(body, 'cases')).toEqual({ Open: 9, Closed: 1 });
    expect(table(body, 'escalations').totals?.cells).toEqual([10]);
    expect(body.timeliness).toEqual([
      {
        label: 'Time to acknowledge a concern',
        measured: 2,
        waiting: 8,
        medianMinutes: 30,
        p90Minutes: 90,
        targetMinutes: 60,
        withinTarget: 1,
        overTarget: 1,
      },
      {
        label: 'Time to decide a referral',
        measured: 1,
        waiting: 0,
        medianMinutes: 1320,
        p90Minutes: 1320,
        targetMinutes: 1440,
        withinTarget: 1,
        overTarget: 0,
      },
    ]);
    expect(body.suppressionNote).toBeUndefined();
  });

  it('when the governor reads the same term, then 1–4 show as "<5", a cell that would give one away as "*", and the totals stay', async () => {
    const { body } = await get(`reports?${PERIOD}`, OLIVIA);
    expect(body.headline).toEqual([
      { label: 'Concerns recorded', value: 10 },
      { label: 'Pupils with a concern', value: 9 },
      { label: 'Referrals made', value: '<5' },
    ]);
    // Two ones alone would add up to the total less 8: the 8 is hidden too.
    expect(rowsOf(body, 'concerns-by-month')).toEqual({
      '2026-09': '<5',
      '2026-10': '*',
      '2026-11': '<5',
    });
    expect(rowsOf(body, 'concerns-by-year-group')).toEqual({ 'Year 1': '<5', 'Year 4': '*' });
    expect(table(body, 'concerns-by-year-group').totals?.cells).toEqual([10]);
    expect(rowsOf(body, 'cases')).toEqual({ Open: '*', Closed: '<5' });
    expect(body.tables.map((t: { id: string }) => t.id)).not.toContain('category-by-month');
    expect(body.timeliness[0]).toEqual(
      expect.objectContaining({ measured: null, medianMinutes: null, withinTarget: null }),
    );
    expect(body.suppressionNote).toContain('<5');
    const numbers = JSON.stringify(body.tables) + JSON.stringify(body.headline);
    expect(numbers).not.toMatch(/[[,:]([1-4])[\],}]/);
  });

  it('when the period is wrong, then 400 says which part', async () => {
    const answer = await get('reports?from=2026-13-01&to=2026-11-30', PRIYA);
    expect(answer).toEqual({
      status: 400,
      body: { code: 'REPORTS.INVALID_PERIOD', message: '"from" must be a date (YYYY-MM-DD).' },
    });
    const backwards = await get('reports?from=2026-11-01&to=2026-10-01', PRIYA);
    expect(backwards.body.message).toBe('The period must start before it ends.');
  });

  it('when the report is exported as CSV and PDF, then neither holds a pupil name or narrative, the PDF is paginated with title, school, period and the note, and each export is audited', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-export-'));
    try {
      for (const oid of [PRIYA, OLIVIA]) {
        const csv = await get(`reports/export?format=csv&${PERIOD}`, oid);
        expect(csv.status).toBe(200);
        expect(csv.body.fileName).toBe('safeguarding-report-2026-09-01-to-2026-11-30.csv');
        const text = Buffer.from(csv.body.base64, 'base64').toString('utf8');
        expect(text).toContain('Period,2026-09-01 to 2026-11-30');
        const pdf = await get(`reports/export?format=pdf&${PERIOD}`, oid);
        expect(pdf.body.contentType).toBe('application/pdf');
        const file = path.join(dir, `${oid}.pdf`);
        fs.writeFileSync(file, Buffer.from(pdf.body.base64, 'base64'));
        const pages = pdfPageTexts(file);
        expect(pages.length).toBeGreaterThan(1);
        expect(pages[0]).toContain('Safeguarding report');
        expect(pages[0]).toContain('Elm Park Community School');
        expect(pages[0]).toContain('Period: 2026-09-01 to 2026-11-30');
        pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages.length}`));
        if (oid === OLIVIA) {
          expect(pages[0]).toContain('small numbers suppressed');
          expect(text).toContain('<5');
        }
        for (const content of [text, pages.join('\n')]) {
          for (const name of names) expect(content).not.toContain(name);
          expect(content).not.toContain('MY DAD HIT ME');
          expect(content).not.toMatch(/EP1\d{3}/);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const events = await app.store.connection
      .collection('audit_events')
      .find({ action: 'report.export' })
      .toArray();
    expect(events.map((e) => [e.actorAadObjectId, e.reason])).toEqual([
      [PRIYA, 'report=safeguarding; view=full; format=csv; period=2026-09-01..2026-11-30'],
      [PRIYA, 'report=safeguarding; view=full; format=pdf; period=2026-09-01..2026-11-30'],
      [OLIVIA, 'report=safeguarding; view=governor; format=csv; period=2026-09-01..2026-11-30'],
      [OLIVIA, 'report=safeguarding; view=governor; format=pdf; period=2026-09-01..2026-11-30'],
    ]);
  });

  it("when the DSL sets the school's targets, then the report measures against them; a governor may not set them", async () => {
    const targets = { acknowledgeMinutes: 120, decideReferralHours: 12 };
    expect((await tab.call('PUT', 'reports/targets', OLIVIA, {}, targets)).status).toBe(403);
    const bad = await tab.call('PUT', 'reports/targets', PRIYA, {}, { acknowledgeMinutes: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('REPORTS.INVALID_TARGETS');
    expect(await tab.call('PUT', 'reports/targets', PRIYA, {}, targets)).toEqual({
      status: 200,
      body: targets,
    });
    const { body } = await get(`reports?${PERIOD}`, PRIYA);
    expect(body.timeliness.map((t: { withinTarget: number }) => t.withinTarget)).toEqual([2, 0]);
  });

  it('when reports are read and exported, then the log holds no pupil name', () => {
    const logged = log.lines.join('\n');
    for (const name of names) expect(logged).not.toContain(name);
  });
});
