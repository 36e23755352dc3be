import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppServices, type AppServices } from '../../../src/app-services';
import type { RunningApp } from '../../../src/app';
import { systemClock } from '../../../src/shared/clock';
import { PupilRepository } from '../../../src/pupils';
import { EntraStandIn } from '../../support/entra-stand-in';
import { anIncidentInput } from '../../support/incident-builders';
import { capturingLogger } from '../../support/silent-logger';
import { startTestApp, stopTestApp, testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SCHOOL = { tenantId: TENANT, schoolId: 'elm-park' };
// Response bodies are read loosely: each test states the shape it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const CLIENT_ID = '7d1f2b3c-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const staff = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const SAM = staff('01'); // teacher: records concerns
const PRIYA = staff('02'); // DSL
const TOM = staff('05'); // teacher: alerted to one record
const AISHA = staff('06'); // teaching assistant: no relationship to anything
const DANIEL = staff('03'); // deputy DSL
const JOANNE = staff('10'); // conflict of interest with EP1152
const PUPIL = 'EP1001';
const LINKED = 'EP1002';

describe('tab API (real store, real HTTP)', () => {
  const log = capturingLogger();
  let app: RunningApp;
  let services: AppServices;
  let entra: EntraStandIn;
  let clientDir: string;
  const ids: Record<string, string> = {};

  const token = (oid: string, claims = {}, options = {}) =>
    entra.token(TENANT, oid, CLIENT_ID, claims, options);
  const get = async (url: string, bearer?: string) => {
    const res = await fetch(`${app.baseUrl}${url}`, {
      headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
    });
    const text = await res.text();
    return { res, status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  };
  const getAs = async (oid: string, url: string, claims = {}) => get(url, await token(oid, claims));
  const stepUp = { acrs: ['c1'] };

  beforeAll(async () => {
    entra = await EntraStandIn.create();
    clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tab-client-'));
    fs.mkdirSync(path.join(clientDir, 'assets'));
    fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>tab</title>');
    fs.writeFileSync(path.join(clientDir, 'assets', 'app-1234.js'), 'console.log(1)');
    app = await startTestApp(
      __filename,
      log.logger,
      { TAB_CLIENT_ID: CLIENT_ID, DEMO_SEED: 'true', TAB_RATE_LIMIT_PER_MINUTE: '60' },
      { tab: { keys: entra.keys, clientDir } },
    );
    services = await createAppServices(app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    // Another school's pupil: must never be reachable from Elm Park.
    await new PupilRepository(app.store.connection).upsertMany(
      { tenantId: TENANT, schoolId: 'other-school' },
      [
        {
          pupilId: 'OS1',
          upn: undefined,
          legalFirstName: 'Other',
          legalLastName: 'School',
          preferredFirstName: undefined,
          preferredLastName: undefined,
          dateOfBirth: '2015-01-01',
          yearGroup: 'Year 5',
          form: undefined,
          onRoll: true,
        },
      ],
    );
    const record = async (
      name: string,
      recorder: string,
      day: string,
      overrides: Partial<Parameters<typeof anIncidentInput>[0]>,
    ) => {
      const actor = await services.staff.resolveActor(TENANT, recorder);
      const result = await services.incidents.recordIncident(
        actor,
        anIncidentInput({
          pupilId: PUPIL,
          happenedAt: new Date(`${day}T10:00:00.000Z`),
          linkedPupils: [],
          agencyIds: [],
          bodyMap: [],
          alertStaffIds: [],
          ...overrides,
        }),
        `key-${name}`,
      );
      ids[name] = result.incident.incidentId;
    };
    // Oldest to newest: A (Sam, behaviour, links EP1002), B (Sam, child protection: team only),
    // C (Sam, bullying, Tom alerted), D (Tom, behaviour).
    await record('A', SAM, '2026-09-10', {
      categoryIds: ['behaviour'],
      linkedPupils: [{ pupilId: LINKED, role: 'witness' }],
    });
    await record('B', SAM, '2026-10-05', { categoryIds: ['child-protection'] });
    await record('C', SAM, '2026-10-20', { categoryIds: ['bullying'], alertStaffIds: [TOM] });
    await record('D', TOM, '2026-11-02', { categoryIds: ['behaviour'] });
    // Stored straight through the service (no form hook): the rebuild path indexes them.
    expect(await services.reindexRecent(new Date(0))).toBe(4);
  });

  afterAll(async () => {
    await stopTestApp(app);
    fs.rmSync(clientDir, { recursive: true, force: true });
  });

  const references = (body: Json) =>
    (body.entries as { incidentId: string }[]).map(
      (e) => Object.entries(ids).find(([, id]) => id === e.incidentId)?.[0],
    );

  describe('tokens', () => {
    it('when the token is valid, then /me answers with roles from our directory', async () => {
      const { status, body } = await getAs(PRIYA, '/api/tab/me', { roles: ['admin'] });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        displayName: 'Priya Shah',
        roles: ['staff', 'dsl'],
        isSafeguardingTeam: true,
        steppedUp: false,
        schoolName: 'Elm Park Community School',
        development: true,
        inactivityMinutes: 10,
      });
    });

    it('when a v1 token (sts.windows.net issuer) is sent, then it is accepted too', async () => {
      const v1 = await token(SAM, {}, { issuer: `https://sts.windows.net/${TENANT}/` });
      expect((await get('/api/tab/me', v1)).status).toBe(200);
    });

    const now = Math.floor(Date.now() / 1000);
    const badTokens: [string, () => Promise<string | undefined>][] = [
      ['no token', async () => undefined],
      ['a key Entra never published', () => token(SAM, {}, { unknownKey: true })],
      [
        'an issuer of another tenant',
        () =>
          token(
            SAM,
            {},
            {
              issuer: 'https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0',
            },
          ),
      ],
      [
        'a tenant we do not serve',
        () => entra.token('22222222-2222-2222-2222-222222222222', SAM, CLIENT_ID),
      ],
      ['another audience', () => entra.token(TENANT, SAM, 'api://someone-else')],
      ['no access_as_user scope', () => token(SAM, { scp: 'User.Read' })],
      ['an expired token', () => token(SAM, {}, { expiresIn: now - 600 })],
      ['not a JWT', async () => 'this-is-not-a-jwt-at-all'],
      [
        'alg none',
        async () => {
          const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
          const payload = {
            oid: SAM,
            tid: TENANT,
            scp: 'access_as_user',
            aud: CLIENT_ID,
            iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
            iat: now,
            exp: now + 3600,
          };
          return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`;
        },
      ],
    ];
    it.each(badTokens)('when the request has %s, then it is refused with 401', async (_, make) => {
      const { res, status, body } = await get('/api/tab/me', await make());
      expect(status).toBe(401);
      expect(body.code).toBe('TAB.UNAUTHENTICATED');
      expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    });

    it('when a token names someone not in the directory, then it is refused with 403', async () => {
      const { status, body } = await getAs('99999999-9999-4999-8999-999999999999', '/api/tab/me');
      expect(status).toBe(403);
      expect(body.code).toBe('STAFF.NOT_FOUND');
    });

    it('when refusals are logged, then no token appears in the log', async () => {
      const secret = await token(SAM, { scp: 'User.Read' });
      await get('/api/tab/me', secret);
      expect(log.lines.join('\n')).not.toContain(secret.split('.')[2]);
    });
  });

  describe('chronology', () => {
    it('when the DSL reads, then every record is listed newest first, paged by cursor', async () => {
      const first = await getAs(PRIYA, `/api/tab/pupils/${PUPIL}/chronology?limit=3`);
      expect(first.status).toBe(200);
      expect(references(first.body)).toEqual(['D', 'C', 'B']);
      expect(first.body.pupil).toMatchObject({ pupilId: PUPIL, yearGroup: expect.any(String) });
      expect(first.body.entries[0]).toEqual({
        entryId: `incident:${ids.D}`,
        type: 'incident',
        incidentId: ids.D,
        reference: expect.stringMatching(/^EPC-/),
        happenedAt: '2026-11-02T10:00:00.000Z',
        recordedAt: expect.any(String),
        recordedByName: 'Tom Reilly',
        categoryNames: ['Behaviour'],
        pupilRole: 'subject',
        status: 'open',
        amended: false,
        reviewed: false,
        title: 'Concern recorded',
      });
      expect(JSON.stringify(first.body)).not.toContain('DAD HIT ME');
      const second = await getAs(
        PRIYA,
        `/api/tab/pupils/${PUPIL}/chronology?limit=3&cursor=${first.body.nextCursor}`,
      );
      expect(references(second.body)).toEqual(['A']);
      expect(second.body.nextCursor).toBeNull();
    });

    it('when a teacher reads, then only what they recorded or were alerted to is listed', async () => {
      const sam = await getAs(SAM, `/api/tab/pupils/${PUPIL}/chronology`);
      expect(references(sam.body)).toEqual(['C', 'B', 'A']);
      // Tom was alerted to C and recorded D; B is team-only and not his.
      const tom = await getAs(TOM, `/api/tab/pupils/${PUPIL}/chronology?limit=1`);
      expect(references(tom.body)).toEqual(['D']);
      const more = await getAs(
        TOM,
        `/api/tab/pupils/${PUPIL}/chronology?limit=1&cursor=${tom.body.nextCursor}`,
      );
      expect(references(more.body)).toEqual(['C']);
      // No "more" that would only reveal hidden records (A and B are still there).
      expect(more.body.nextCursor).toBeNull();
      const aisha = await getAs(AISHA, `/api/tab/pupils/${PUPIL}/chronology`);
      expect(aisha.body.entries).toEqual([]);
      expect(aisha.body.nextCursor).toBeNull();
    });

    it('when filters are given, then categories, dates and types narrow the pages', async () => {
      const behaviour = await getAs(
        PRIYA,
        `/api/tab/pupils/${PUPIL}/chronology?categoryIds=behaviour&limit=1`,
      );
      expect(references(behaviour.body)).toEqual(['D']);
      const next = await getAs(
        PRIYA,
        `/api/tab/pupils/${PUPIL}/chronology?categoryIds=behaviour&limit=1&cursor=${behaviour.body.nextCursor}`,
      );
      expect(references(next.body)).toEqual(['A']);
      expect(next.body.nextCursor).toBeNull();
      const october = await getAs(
        PRIYA,
        `/api/tab/pupils/${PUPIL}/chronology?from=2026-10-01&to=2026-10-31`,
      );
      expect(references(october.body)).toEqual(['C', 'B']);
      const actions = await getAs(PRIYA, `/api/tab/pupils/${PUPIL}/chronology?types=action`);
      expect(actions.body.entries).toEqual([]);
    });

    it('when a pupil is linked to a record, then it is in their chronology as linked', async () => {
      const { body } = await getAs(PRIYA, `/api/tab/pupils/${LINKED}/chronology`);
      expect(references(body)).toEqual(['A']);
      expect(body.entries[0].pupilRole).toBe('linked');
    });

    it('when the reader has a conflict of interest with the pupil, then 403 and audited', async () => {
      const { status, body } = await getAs(JOANNE, '/api/tab/pupils/EP1152/chronology');
      expect(status).toBe(403);
      expect(body.code).toBe('ACCESS.DENIED');
      const events = await services.auditEvents.listForTarget(SCHOOL, 'EP1152', 10);
      expect(events.map((e) => [e.action, e.reason])).toContainEqual([
        'access.denied',
        'conflict-of-interest',
      ]);
    });

    it("when another school's pupil is asked for, then 404 with nothing about them", async () => {
      const { status, body } = await getAs(PRIYA, '/api/tab/pupils/OS1/chronology');
      expect(status).toBe(404);
      expect(body).toEqual({ code: 'CHRONOLOGY.PUPIL_NOT_FOUND', message: expect.any(String) });
    });

    it('when the query is malformed, then 400 with a clear code', async () => {
      for (const url of [
        `/api/tab/pupils/${PUPIL}/chronology?cursor=not-a-cursor`,
        `/api/tab/pupils/${PUPIL}/chronology?from=yesterday`,
        `/api/tab/pupils/${PUPIL}/chronology?types=gossip`,
        `/api/tab/pupils/%24where/chronology`,
      ]) {
        const { status, body } = await getAs(PRIYA, url);
        expect([status, url]).toEqual([400, url]);
        expect(body.code).toMatch(/^(TAB\.BAD_REQUEST|CHRONOLOGY\.BAD_CURSOR)$/);
      }
    });

    it('when a chronology is read, then the view is audited', async () => {
      await getAs(TOM, `/api/tab/pupils/${LINKED}/chronology`);
      const events = await services.auditEvents.listForTarget(SCHOOL, LINKED, 20);
      expect(events).toContainEqual(
        expect.objectContaining({ action: 'chronology.view', actorAadObjectId: TOM }),
      );
    });

    it('when the chart is asked for, then it counts only visible records by month', async () => {
      const { status, body } = await getAs(TOM, `/api/tab/pupils/${PUPIL}/chart`);
      expect(status).toBe(200);
      expect(body.months).toHaveLength(12);
      const total = (body.series as { counts: number[] }[]).flatMap((s) => s.counts);
      expect(total.reduce((a, b) => a + b, 0)).toBe(2);
    });

    it('when pupils are searched, then at most 20 of the school come back', async () => {
      const { body } = await getAs(SAM, '/api/tab/pupils?q=a');
      expect(body.pupils.length).toBeGreaterThan(0);
      expect(body.pupils.length).toBeLessThanOrEqual(20);
      expect(body.pupils[0]).toEqual({
        pupilId: expect.any(String),
        displayName: expect.any(String),
        yearGroup: expect.any(String),
      });
    });
  });

  describe('record view and step-up', () => {
    it('when the DSL has not stepped up, then 401 with a claims challenge', async () => {
      const { res, status, body } = await getAs(PRIYA, `/api/tab/incidents/${ids.B}`);
      const claims = Buffer.from(
        JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } }),
      ).toString('base64');
      expect(status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(
        `Bearer realm="", error="insufficient_claims", claims="${claims}"`,
      );
      expect(body).toEqual({
        code: 'ACCESS.STEP_UP_REQUIRED',
        claims,
        message: expect.any(String),
      });
    });

    it('when the DSL has stepped up, then the narrative is shown, audited, and the bot honours it', async () => {
      const { status, body } = await getAs(PRIYA, `/api/tab/incidents/${ids.B}`, stepUp);
      expect(status).toBe(200);
      expect(body.incident).toMatchObject({
        incidentId: ids.B,
        childsWords: 'MY DAD HIT ME WITH A BELT',
        categoryNames: ['Child protection'],
        pupil: { pupilId: PUPIL },
      });
      const events = await services.auditEvents.listForTarget(SCHOOL, ids.B!, 20);
      expect(events.map((e) => e.action)).toContain('record.view-narrative');
      const priya = await services.staff.resolveActor(TENANT, PRIYA);
      expect(await services.stepUp.isSteppedUp(priya)).toBe(true);
    });

    it('when a colleague with no part in a record asks for it, then 404', async () => {
      expect((await getAs(AISHA, `/api/tab/incidents/${ids.A}`)).status).toBe(404);
      // Team-only and not his: not found either (existence is need-to-know).
      expect((await getAs(TOM, `/api/tab/incidents/${ids.B}`)).status).toBe(404);
    });

    it('when the recorder opens their own record, then they read it without step-up', async () => {
      const { status, body } = await getAs(SAM, `/api/tab/incidents/${ids.A}`);
      expect(status).toBe(200);
      expect(body.incident.linkedPupils).toEqual([
        { pupilId: LINKED, displayName: expect.any(String), role: 'witness' },
      ]);
    });
  });

  describe('amendments and the record’s audit', () => {
    const send = async (oid: string, url: string, body: unknown, claims = {}) => {
      const res = await fetch(`${app.baseUrl}${url}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await token(oid, claims)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };

    it('when the deputy DSL amends after step-up, then a new version, the record reads as amended and the audit shows it', async () => {
      const url = `/api/tab/incidents/${ids.B}/amendments`;
      const amendment = {
        reason: 'The recorder told me the time was wrong.',
        changes: { location: 'Year 4 cloakroom' },
      };
      expect((await send(SAM, url, amendment, stepUp)).status).toBe(403);
      expect((await send(DANIEL, url, amendment)).status).toBe(401);
      const refused = await send(DANIEL, url, { changes: { location: 'x' } }, stepUp);
      expect(refused).toEqual({
        status: 400,
        body: expect.objectContaining({ code: 'AMENDMENT.INVALID', message: expect.any(String) }),
      });
      expect(await send(DANIEL, url, amendment, stepUp)).toEqual({
        status: 200,
        body: { version: 2 },
      });

      const view = await getAs(DANIEL, `/api/tab/incidents/${ids.B}`, stepUp);
      expect(view.body.incident.location).toBe('Year 4 cloakroom');
      expect(view.body.amendments).toEqual([
        expect.objectContaining({
          version: 2,
          reason: amendment.reason,
          changedFields: ['location'],
        }),
      ]);
      const audit = await getAs(DANIEL, `/api/tab/incidents/${ids.B}/audit`, stepUp);
      expect(audit.status).toBe(200);
      expect(audit.body.events.map((e: Json) => e.action)).toEqual(
        expect.arrayContaining(['record.amend', 'record.view-narrative', 'access.denied']),
      );
      expect((await getAs(SAM, `/api/tab/incidents/${ids.B}/audit`, stepUp)).status).toBe(403);
    });
  });

  describe('closing and reopening a case', () => {
    const post = async (oid: string, url: string, body: unknown, claims = {}) => {
      const res = await fetch(`${app.baseUrl}${url}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await token(oid, claims)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };

    it('when the team closes a case, then it needs its outcome and step-up; reopening needs a reason', async () => {
      const close = `/api/tab/incidents/${ids.A}/close`;
      const reopen = `/api/tab/incidents/${ids.A}/reopen`;
      expect((await post(SAM, close, {}, stepUp)).status).toBe(403);
      expect((await post(DANIEL, close, {})).status).toBe(401);
      expect(await post(DANIEL, close, {}, stepUp)).toEqual({
        status: 400,
        body: expect.objectContaining({ code: 'CASE.OUTCOME_REQUIRED' }),
      });
      const daniel = { ...(await services.staff.resolveActor(TENANT, DANIEL)), steppedUp: true };
      await services.actions.add(daniel, ids.A!, {
        details: {
          kind: 'decision',
          outcome: 'no-further-action',
          reason: 'Parents spoke to; resolved.',
        },
        happenedAt: new Date(Date.now() - 60_000),
        text: 'Decision recorded after the call.',
        alertStaffIds: [],
        idempotencyKey: `close-${ids.A}`,
      });
      // The action is a line of the pupil's chronology of its own (never its text).
      const actionsOnly = await getAs(DANIEL, `/api/tab/pupils/${PUPIL}/chronology?types=action`);
      expect(actionsOnly.body.entries).toEqual([
        expect.objectContaining({ type: 'action', title: 'Action: decision', incidentId: ids.A }),
      ]);
      expect(JSON.stringify(actionsOnly.body)).not.toContain('Decision recorded after the call.');
      expect(await post(DANIEL, close, {}, stepUp)).toEqual({
        status: 200,
        body: { status: 'closed' },
      });
      const view = await getAs(DANIEL, `/api/tab/incidents/${ids.A}`, stepUp);
      expect(view.body.incident.status).toBe('closed');
      expect(view.body.actions).toEqual([expect.objectContaining({ kind: 'decision' })]);
      expect((await post(DANIEL, close, {}, stepUp)).status).toBe(409);
      expect((await post(DANIEL, reopen, { reason: ' ' }, stepUp)).body.code).toBe(
        'CASE.REASON_REQUIRED',
      );
      expect(
        await post(DANIEL, reopen, { reason: 'New information from the school nurse.' }, stepUp),
      ).toEqual({ status: 200, body: { status: 'open' } });
    });
  });

  describe('export', () => {
    it('when a teacher exports, then 403 and the refusal is audited', async () => {
      const { status, body } = await getAs(SAM, `/api/tab/pupils/${PUPIL}/export`, stepUp);
      expect(status).toBe(403);
      expect(body.code).toBe('ACCESS.DENIED');
    });

    it('when the DSL exports without step-up, then the claims challenge', async () => {
      const { status, body } = await getAs(PRIYA, `/api/tab/pupils/${PUPIL}/export`);
      expect(status).toBe(401);
      expect(body.code).toBe('ACCESS.STEP_UP_REQUIRED');
    });

    it('when the DSL exports after step-up, then every record with narrative, each audited', async () => {
      const { status, body } = await getAs(
        PRIYA,
        `/api/tab/pupils/${PUPIL}/export?from=2026-10-01`,
        stepUp,
      );
      expect(status).toBe(200);
      expect(body.exportedByName).toBe('Priya Shah');
      // Records' own lines (actions added to record A elsewhere in this file are lines too).
      const records = { entries: body.entries.filter((e: Json) => e.type === 'incident') };
      expect(references(records)).toEqual(['D', 'C', 'B']);
      expect(records.entries[2].childsWords).toBe('MY DAD HIT ME WITH A BELT');
      for (const name of ['B', 'C', 'D']) {
        const events = await services.auditEvents.listForTarget(SCHOOL, ids[name]!, 20);
        expect(events.map((e) => e.action)).toContain('record.export');
      }
    });
  });

  describe('development sign-in and the static tab', () => {
    it('when developing, then dev sign-in gives a token the same verifier accepts', async () => {
      const users = await get('/api/tab/dev/users');
      expect(users.body.users).toContainEqual({
        aadObjectId: PRIYA,
        displayName: 'Priya Shah',
        roles: ['staff', 'dsl'],
      });
      const signIn = await fetch(`${app.baseUrl}/api/tab/dev/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ aadObjectId: PRIYA, stepUp: true }),
      });
      const { token: devToken } = (await signIn.json()) as { token: string };
      const me = await get('/api/tab/me', devToken);
      expect(me.body).toMatchObject({ displayName: 'Priya Shah', steppedUp: true });
    });

    it('when /tab/ is fetched, then the page comes with a CSP that only Teams may frame', async () => {
      const res = await fetch(`${app.baseUrl}/tab/?pupil=EP1001`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>tab</title>');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain(
        "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.office.com https://*.cloud.microsoft https://*.microsoft365.com",
      );
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const deep = await fetch(`${app.baseUrl}/tab/chronology/EP1001`);
      expect(await deep.text()).toContain('<title>tab</title>');
      const asset = await fetch(`${app.baseUrl}/tab/assets/app-1234.js`);
      expect(asset.headers.get('content-type')).toContain('javascript');
      const escape = await fetch(`${app.baseUrl}/tab/..%2f..%2fpackage.json`);
      expect(await escape.text()).toContain('<title>tab</title>');
    });

    it('when API answers are sent, then they are never cached', async () => {
      const { res } = await getAs(SAM, '/api/tab/me');
      expect(res.headers.get('cache-control')).toBe('no-store');
    });
  });

  describe('rate limit', () => {
    it('when one person sends more than the limit in a minute, then 429 with Retry-After', async () => {
      const bearer = await token(staff('11')); // nobody else's requests count against Ben
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 61; i += 1) {
        const { res, status } = await get('/api/tab/me', bearer);
        statuses.push(status);
        if (status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
      expect(statuses[60]).toBe(429);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    });
  });
});

describe('tab API in production', () => {
  const log = capturingLogger();
  let app: RunningApp;

  beforeAll(async () => {
    app = await startTestApp(__filename, log.logger, {
      APP_MODE: 'production',
      MicrosoftAppId: CLIENT_ID,
      MicrosoftAppPassword: 'test-secret-not-real',
      MicrosoftAppTenantId: TENANT,
      TAB_CLIENT_ID: CLIENT_ID,
      PUBLIC_BASE_URL: 'https://safeguarding.example.org',
      TAB_RATE_LIMIT_PER_MINUTE: '2',
      ENCRYPTION_KEY_SOURCE: 'file',
      ENCRYPTION_ALLOW_KEY_FILE_IN_PRODUCTION: 'true',
    });
  });
  afterAll(() => stopTestApp(app));

  it('when in production, then the development sign-in routes do not exist', async () => {
    const signIn = await fetch(`${app.baseUrl}/api/tab/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ aadObjectId: SAM }),
    });
    expect(signIn.status).toBe(404);
    expect((await fetch(`${app.baseUrl}/api/tab/dev/users`)).status).toBe(404);
  });

  it('when one address floods the API, then 429 with Retry-After before any token work', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 9; i += 1) {
      const res = await fetch(`${app.baseUrl}/api/tab/me`);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses[8]).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
