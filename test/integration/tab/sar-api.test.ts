import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningApp } from '../../../src/app';
import { createAppServices, type AppServices } from '../../../src/app-services';
import type { Pupil } from '../../../src/pupils';
import { systemClock } from '../../../src/shared/clock';
import { anIncidentInput } from '../../support/incident-builders';
import { pdfPageTexts } from '../../support/pdf-text';
import { capturingLogger } from '../../support/silent-logger';
import { startTabApiApp, type TabApiApp } from '../../support/tab-api-app';
import { testAppCipher } from '../../support/test-app';

const TENANT = '00000000-0000-0000-0000-0000000000d1';
const SAM = '00000000-0000-0000-0000-000000000e01'; // teacher, the recorder
const PRIYA = '00000000-0000-0000-0000-000000000e02'; // DSL
const HELEN = '00000000-0000-0000-0000-000000000e04'; // head and SLT, not on the team
const STEP_UP = { acrs: ['c1'] };
const SUBJECT = 'EP1101';
/** The review's answer as these tests read it. */
type Section = { heading: string; paragraphs: { paragraphId: string; text: string }[] };
type Proposed = {
  proposalId: string;
  paragraphId: string;
  start: number;
  end: number;
  kind: string;
  text: string;
};
const LINKED = 'EP1102';
const NAMED = 'EP1103';
const REQUESTER = 'Janet Requesterson';
const HOUR = 3_600_000;

jest.setTimeout(120_000);

describe('subject access requests and the sharing log in the tab API (real store, real HTTP)', () => {
  const log = capturingLogger();
  let app: RunningApp;
  let tab: TabApiApp;
  let services: AppServices;
  let incidentId: string;
  let referralId: string;
  let sarId: string;
  const names: Record<'subject' | 'linked' | 'named', string> = {
    subject: '',
    linked: '',
    named: '',
  };

  const call: TabApiApp['call'] = (...args) => tab.call(...args);

  beforeAll(async () => {
    tab = await startTabApiApp(__filename, log.logger);
    app = tab.app;
    services = await createAppServices(app.store.connection, systemClock, {
      cipher: await testAppCipher(),
    });
    const sam = await services.staff.resolveActor(TENANT, SAM);
    const found = await services.pupils.findPupils(sam, [SUBJECT, LINKED, NAMED]);
    const legal = (id: string) => {
      const p = found.find((q: Pupil) => q.pupilId === id)!;
      return `${p.legalFirstName} ${p.legalLastName}`;
    };
    names.subject = legal(SUBJECT);
    names.linked = legal(LINKED);
    names.named = legal(NAMED);
    const { incident } = await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId: SUBJECT,
        happenedAt: new Date(Date.now() - 2 * HOUR),
        facts:
          `At break ${names.linked} and ${names.named} took ${names.subject}'s bag. ` +
          'Mr Kowalski, a neighbour, rang on 07700 900123 and wrote from k.kowalski@example.com; he lives at SW1A 1AA.',
        childsWords: 'THEY ALWAYS TAKE MY THINGS',
        opinion: 'Upset but safe.',
        categoryIds: ['bullying'],
        linkedPupils: [{ pupilId: LINKED, role: 'alleged-perpetrator' }],
        agencyIds: [],
        bodyMap: [],
        alertStaffIds: [],
      }),
      'sar-api-1',
    );
    incidentId = incident.incidentId;
    const pending = await services.recordFiles.storePending(sam, {
      name: 'statement.txt',
      bytes: Buffer.from(`Written statement: ${names.named} was there too.`),
    });
    await services.recordFiles.attach(sam, pending.fileId, incidentId);
    const priya = await services.staff.resolveActor(TENANT, PRIYA);
    // The DSL corrects the opinion: the bundle has the record as amended, and the amendment.
    await services.amendments.amend({ ...priya, steppedUp: true }, incidentId, {
      reason: 'The recorder told the DSL the pupil went home with Mum.',
      changes: { opinion: 'Upset; went home with Mum.' },
    });
    const referral = await services.actions.add({ ...priya, steppedUp: false }, incidentId, {
      details: {
        kind: 'referral',
        agencyId: 'social-care-mash',
        agencyReference: 'MASH-123',
        referredAt: new Date(Date.now() - HOUR),
      },
      happenedAt: new Date(Date.now() - HOUR),
      text: 'Referred to MASH by phone.',
      alertStaffIds: [],
      idempotencyKey: 'sar-api-referral',
    });
    referralId = referral.action.actionId;
    // As the other tab tests do: the chronology of records written by this second graph.
    await services.reindexRecent(new Date(0));
  });
  afterAll(() => tab?.stop());

  const newRequest = {
    requestKey: 'sar-api-request-1',
    pupilId: SUBJECT,
    requesterName: REQUESTER,
    relationship: 'parent',
    identityCheck: 'Passport and council tax bill seen at reception',
    scopeOfRequest: 'All safeguarding records about my child',
    receivedAt: new Date(Date.now() - HOUR).toISOString(),
  };

  describe('who may', () => {
    it.each([
      ['a teacher', SAM],
      ['the head (SLT, not on the team)', HELEN],
    ])('when %s opens the register or logs a request, then 403', async (_who, oid) => {
      expect((await call('GET', 'sars', oid, STEP_UP)).status).toBe(403);
      expect((await call('POST', 'sars', oid, STEP_UP, newRequest)).status).toBe(403);
      expect((await call('GET', `pupils/${SUBJECT}/sharing`, oid, STEP_UP)).status).toBe(403);
    });

    it('when a teacher records a disclosure from a record, then it is refused', async () => {
      const answer = await call('POST', `incidents/${incidentId}/sharing`, SAM, STEP_UP, {});
      expect([403, 404]).toContain(answer.status);
    });
  });

  describe('the register', () => {
    it('when the DSL logs a request without saying how identity was checked, then 400 says so', async () => {
      const answer = await call('POST', 'sars', PRIYA, {}, { ...newRequest, identityCheck: ' ' });
      expect(answer).toEqual({
        status: 400,
        body: { code: 'SAR.INVALID', message: 'Say how the requester’s identity was checked.' },
      });
    });

    it('when the DSL logs a request (twice, same form), then it is one request with its one-month clock', async () => {
      const first = await call('POST', 'sars', PRIYA, {}, newRequest);
      const again = await call('POST', 'sars', PRIYA, {}, newRequest);
      expect(first.status).toBe(200);
      sarId = first.body.request.sarId;
      expect(again.body.request.sarId).toBe(sarId);
      expect(first.body.request).toEqual(
        expect.objectContaining({
          pupilName: expect.stringContaining(names.subject.split(' ')[1]!),
          requesterName: REQUESTER,
          status: 'open',
          overdue: false,
          releaseBlockers: [
            'Record whether the requester holds parental responsibility, and why.',
            'Record whether the child is competent to decide, and why.',
          ],
        }),
      );
      const days = (Date.parse(first.body.request.dueAt) - Date.now()) / (24 * HOUR);
      expect(days).toBeGreaterThan(27);
      expect(days).toBeLessThan(36);
      const list = await call('GET', 'sars', PRIYA);
      expect(list.body.requests.map((r: { sarId: string }) => r.sarId)).toEqual([sarId]);
    });

    it('when the DSL opens the desk, then the request is there with its clock', async () => {
      const desk = await call('GET', 'desk', PRIYA);
      expect(desk.body.subjectAccessRequests).toEqual([
        expect.objectContaining({ sarId, extended: false, overdue: false }),
      ]);
    });

    it('when the DSL extends it, then the requester-told date is required and the clock moves by the months', async () => {
      const missing = await call(
        'POST',
        `sars/${sarId}/extension`,
        PRIYA,
        {},
        { months: 2, reason: 'Complex' },
      );
      expect(missing.body).toEqual({
        code: 'SAR.INVALID',
        message: 'Give the date the requester was told of the extension.',
      });
      const before = (await call('GET', `sars/${sarId}`, PRIYA)).body.request.dueAt as string;
      const extended = await call(
        'POST',
        `sars/${sarId}/extension`,
        PRIYA,
        {},
        {
          months: 2,
          reason: 'Many records and a third party to consult',
          requesterToldOn: new Date().toISOString().slice(0, 10),
        },
      );
      expect(extended.body.request.status).toBe('extended');
      const days = (Date.parse(extended.body.request.dueAt) - Date.parse(before)) / (24 * HOUR);
      expect(days).toBeGreaterThan(55);
      expect(days).toBeLessThan(66);
    });
  });

  describe('the bundle', () => {
    const texts = (review: Record<string, unknown>): Proposed[] => {
      const sections = review.sections as Section[];
      const paragraphs = new Map<string, string>(
        sections.flatMap((s) => s.paragraphs.map((p) => [p.paragraphId, p.text] as const)),
      );
      return (review.proposals as Omit<Proposed, 'text'>[]).map((p) => ({
        ...p,
        text: paragraphs.get(p.paragraphId)!.slice(p.start, p.end),
      }));
    };

    it('when the DSL has not stepped up, then the bundle asks for the second factor', async () => {
      const answer = await call('GET', `sars/${sarId}/review`, PRIYA, {});
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('ACCESS.STEP_UP_REQUIRED');
    });

    it('when the DSL opens the bundle, then every directory name, linked pupil and contact detail is proposed, and the child is not', async () => {
      const review = await call('GET', `sars/${sarId}/review`, PRIYA, STEP_UP);
      expect(review.status).toBe(200);
      const proposed = texts(review.body);
      const proposedTexts = proposed.map((p: Proposed) => p.text);
      for (const expected of [
        names.linked,
        names.named,
        'Mr Kowalski',
        '07700 900123',
        'k.kowalski@example.com',
        'SW1A 1AA',
        'Sam Taylor',
      ]) {
        expect(proposedTexts).toContain(expected);
      }
      expect(proposedTexts).not.toContain(names.subject);
      // The linked pupil's name on the record's header, and the name in the file's text.
      expect(proposed).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ text: names.linked, kind: 'linked-pupil' }),
          expect.objectContaining({
            text: names.named,
            paragraphId: expect.stringMatching(/^file:/),
          }),
        ]),
      );
      // Everything held: the record as it stands, the referral's text, the file's text, the chronology.
      const all = JSON.stringify(review.body.sections);
      expect(all).toContain('THEY ALWAYS TAKE MY THINGS');
      expect(all).toContain('Referred to MASH by phone.');
      expect(all).toContain('Written statement');
      expect(all).toContain('Upset; went home with Mum.');
      expect(all).not.toContain('Upset but safe.');
      expect(all).toContain('The recorder told the DSL the pupil went home with Mum.');
      expect(review.body.sections.map((s: Section) => s.heading)).toEqual(
        // The sharing log is held about the child too: the referral's disclosure is in it.
        expect.arrayContaining(['Pupil status', 'Chronology', 'Information shared with others']),
      );
      expect(review.body.undecided).toBe(review.body.proposals.length);
    });

    it('when the decisions are missing, then no response PDF is made', async () => {
      const answer = await call('GET', `sars/${sarId}/response`, PRIYA, STEP_UP);
      expect(answer.status).toBe(409);
      expect(answer.body.code).toBe('SAR.DECISIONS_REQUIRED');
      expect(answer.body.message).toContain('parental responsibility');
    });

    it('when the DSL saves decisions as they go, then each save is kept and reads back; the PDF waits for the rest', async () => {
      const review = (await call('GET', `sars/${sarId}/review`, PRIYA, STEP_UP)).body;
      const [first, second] = review.proposals;
      const noReason = await call('PUT', `sars/${sarId}/review`, PRIYA, STEP_UP, {
        decisions: [{ proposalId: first.proposalId, decision: 'redact' }],
      });
      expect(noReason.body).toEqual({
        code: 'SAR.INVALID',
        message: 'Give the exemption for each redaction.',
      });
      const saved = await call('PUT', `sars/${sarId}/review`, PRIYA, STEP_UP, {
        decisions: [
          { proposalId: first.proposalId, decision: 'redact', exemption: 'third-party-data' },
        ],
      });
      expect(saved.body).toEqual(expect.objectContaining({ draft: 1, decided: 1 }));
      await call('PUT', `sars/${sarId}/review`, PRIYA, STEP_UP, {
        decisions: [{ proposalId: second.proposalId, decision: 'disclose' }],
      });
      const again = (await call('GET', `sars/${sarId}/review`, PRIYA, STEP_UP)).body;
      expect(again.decisions).toEqual([
        { proposalId: first.proposalId, decision: 'redact', exemption: 'third-party-data' },
        { proposalId: second.proposalId, decision: 'disclose' },
      ]);
      expect(again.savedByName).toBe('Priya Shah');
      for (const kind of ['parental-responsibility', 'competence']) {
        const decided = await call(
          'POST',
          `sars/${sarId}/decisions`,
          PRIYA,
          {},
          {
            kind,
            decision: kind === 'competence' ? 'not-competent' : 'held',
            reason: kind === 'competence' ? 'Aged 7' : 'Named on the birth certificate',
          },
        );
        expect(decided.status).toBe(200);
      }
      const early = await call('GET', `sars/${sarId}/response`, PRIYA, STEP_UP);
      expect(early.body.code).toBe('SAR.REVIEW_INCOMPLETE');
    });

    it('when the DSL withholds words the app did not propose, then they join the review as decided, and undoing one removes it', async () => {
      const facts = `incident:${incidentId}:facts`;
      const add = (text: string) => ({
        paragraphId: facts,
        text,
        occurrence: 1,
        exemption: 'serious-harm',
      });
      const saved = await call('PUT', `sars/${sarId}/review`, PRIYA, STEP_UP, {
        decisions: [],
        add: [add('a neighbour'), add('took')],
      });
      expect(saved.status).toBe(200);
      const review = texts((await call('GET', `sars/${sarId}/review`, PRIYA, STEP_UP)).body);
      const manual = review.filter((p) => p.kind === 'manual');
      expect(manual.map((p) => p.text).sort()).toEqual(['a neighbour', 'took']);
      const took = manual.find((p) => p.text === 'took')!;
      await call('PUT', `sars/${sarId}/review`, PRIYA, STEP_UP, {
        decisions: [{ proposalId: took.proposalId, decision: 'undecided' }],
      });
      const again = (await call('GET', `sars/${sarId}/review`, PRIYA, STEP_UP)).body;
      expect(
        texts(again)
          .filter((p) => p.kind === 'manual')
          .map((p) => p.text),
      ).toEqual(['a neighbour']);
      expect(again.decisions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ decision: 'redact', exemption: 'serious-harm' }),
        ]),
      );
    });

    it('when every proposal is decided, then the PDF has the accepted redactions burned in and the schedule of exemptions', async () => {
      const review = (await call('GET', `sars/${sarId}/review`, PRIYA, STEP_UP)).body;
      const proposed = texts(review);
      // Other people's names and contact details are withheld; staff acting for the school are not.
      const withhold = (p: Proposed) => p.kind !== 'staff' && p.kind !== 'agency';
      await call('PUT', `sars/${sarId}/review`, PRIYA, STEP_UP, {
        // (The DSL's own redaction keeps the decision it was added with.)
        decisions: proposed
          .filter((p) => p.kind !== 'manual')
          .map((p: Proposed) =>
            withhold(p)
              ? {
                  proposalId: p.proposalId,
                  decision: 'redact',
                  exemption: p.kind === 'adult' ? 'other' : 'third-party-data',
                  otherText: 'A neighbour',
                }
              : { proposalId: p.proposalId, decision: 'disclose' },
          ),
      });
      const answer = await call('GET', `sars/${sarId}/response`, PRIYA, STEP_UP);
      expect(answer.status).toBe(200);
      expect(answer.body.redactions).toBe(proposed.filter(withhold).length);
      const file = path.join(
        fs.mkdtempSync(path.join(os.tmpdir(), 'sar-response-')),
        answer.body.fileName,
      );
      fs.writeFileSync(file, Buffer.from(answer.body.pdfBase64, 'base64'));
      const text = pdfPageTexts(file).join('\n');
      for (const p of proposed.filter(withhold)) expect(text).not.toContain(p.text);
      for (const word of [...names.linked.split(' '), ...names.named.split(' ')]) {
        if (!names.subject.includes(word)) expect(text).not.toContain(word);
      }
      expect(text).toContain('THEY ALWAYS TAKE MY THINGS');
      expect(text).toContain('Schedule of exemptions applied');
      expect(text).toContain('Third-party personal data');
      expect(text).toContain('Other: A neighbour');
      // The DSL's own redaction is burned in too, under its exemption.
      expect(text).not.toContain('a neighbour');
      expect(text).toContain('information withheld by the school');
      expect(text).toContain('Serious harm');
    });

    it('when the request is closed as released, then it leaves the desk and cannot change', async () => {
      const closed = await call(
        'POST',
        `sars/${sarId}/close`,
        PRIYA,
        {},
        {
          status: 'released',
          response: 'Bundle sent by secure email with 12 redactions.',
        },
      );
      expect(closed.body.request.status).toBe('released');
      expect((await call('GET', 'desk', PRIYA)).body.subjectAccessRequests).toEqual([]);
      const late = await call(
        'POST',
        `sars/${sarId}/extension`,
        PRIYA,
        {},
        {
          months: 1,
          reason: 'x',
          requesterToldOn: '2026-01-01',
        },
      );
      expect(late.body.code).toBe('SAR.CLOSED');
    });
  });

  describe('the information-sharing log', () => {
    it('when a referral was added, then the log lists it once, without anyone typing it', async () => {
      // The event again (a repeated form announces it again): still one entry.
      await services.events.publish({
        type: 'action.added',
        tenantId: TENANT,
        schoolId: (await services.staff.resolveActor(TENANT, PRIYA)).schoolId,
        incidentId,
        actionId: referralId,
      });
      const log = await call('GET', `pupils/${SUBJECT}/sharing`, PRIYA, STEP_UP);
      expect(log.status).toBe(200);
      expect(log.body.entries).toEqual([
        expect.objectContaining({
          kind: 'disclosure',
          source: 'referral',
          recipient: "Children's social care / MASH",
          lawfulBasis: 'safeguarding-children',
          decidedByName: 'Priya Shah',
          incidentId,
        }),
      ]);
      // The linked pupil's log lists it too: the referral was about both.
      const linked = await call('GET', `pupils/${LINKED}/sharing`, PRIYA, STEP_UP);
      expect(linked.body.entries).toHaveLength(1);
    });

    it('when the DSL records a disclosure and a decision not to share from the record, then both are listed with who decided', async () => {
      const at = new Date(Date.now() - HOUR / 2).toISOString();
      const noBasis = await call('POST', `incidents/${incidentId}/sharing`, PRIYA, STEP_UP, {
        kind: 'disclosure',
        what: 'Chronology',
        recipient: 'School nurse',
        at,
        why: 'Health assessment',
      });
      expect(noBasis.body).toEqual({
        code: 'SHARING.INVALID',
        message: 'Choose the lawful basis for sharing.',
      });
      const shared = await call('POST', `incidents/${incidentId}/sharing`, PRIYA, STEP_UP, {
        kind: 'disclosure',
        what: 'Chronology of the last term',
        recipient: 'School nurse',
        at,
        why: 'Health assessment after the incident',
        lawfulBasis: 'public-task',
      });
      expect(shared.status).toBe(200);
      const declined = await call('POST', `incidents/${incidentId}/sharing`, PRIYA, STEP_UP, {
        kind: 'not-shared',
        what: 'The record in full',
        recipient: 'A parent of the other pupil',
        at,
        why: 'Third-party information about a child; no safeguarding reason to share',
      });
      expect(declined.body.entry).toEqual(
        expect.objectContaining({
          kind: 'not-shared',
          lawfulBasis: null,
          decidedByName: 'Priya Shah',
        }),
      );
      const log = await call('GET', `pupils/${SUBJECT}/sharing`, PRIYA, STEP_UP);
      expect(
        log.body.entries
          .map(
            (e: { kind: string; source: string; recipient: string }) =>
              `${e.kind}:${e.source}:${e.recipient}`,
          )
          .sort(),
      ).toEqual(
        [
          "disclosure:referral:Children's social care / MASH",
          'disclosure:tab:School nurse',
          'not-shared:tab:A parent of the other pupil',
        ].sort(),
      );
    });

    it('when the DSL has not stepped up, then the log asks for the second factor', async () => {
      expect((await call('GET', `pupils/${SUBJECT}/sharing`, PRIYA, {})).status).toBe(401);
    });
  });

  describe('afterwards', () => {
    it('when all this was read and written, then each step is audited and no name or detail reaches the log', async () => {
      const actions = (
        await app.store.connection
          .collection('audit_events')
          .find({ 'target.id': SUBJECT })
          .toArray()
      ).map((e) => String(e.action));
      for (const a of [
        'sar.register',
        'sar.change',
        'sar.bundle-view',
        'sar.review-save',
        'sar.bundle-release',
        'sharing.view',
      ]) {
        expect(actions).toContain(a);
      }
      const lines = log.lines.join('\n');
      for (const secret of [REQUESTER, names.linked, names.named, '07700 900123', 'Kowalski']) {
        expect(lines).not.toContain(secret);
      }
    });
  });
});
