import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import type { Connection } from 'mongoose';
import type { AccessActor } from '../../../src/access';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { UNKNOWN_STATUS } from '../../../src/pupil-status/pupil-status.types';
import {
  openArchive,
  packArchive,
  unpackArchive,
  type TransferPackage,
} from '../../../src/transfers';
import { TransferLinkRepository } from '../../../src/transfers/transfer-link.repository';
import { DEMO_TENANT } from '../../support/activities';
import { codeOf } from '../../support/error-code';
import { anIncidentInput } from '../../support/incident-builders';
import { MutableClock } from '../../support/mutable-clock';
import { pdfPageTexts } from '../../support/pdf-text';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCHEMA = path.join(
  __dirname,
  '..',
  '..',
  '..',
  'docs',
  'transfer-format',
  'transfer-package.v1.schema.json',
);
const aad = (n: string) => `00000000-0000-0000-0000-000000000e${n}`;
const SAM = aad('01');
const PRIYA = aad('02');
const DAY = 86_400_000;
const tokenOf = (downloadPath: string) => downloadPath.split('/').at(-1)!;

describe('the transfer package and its secure delivery, on the real store', () => {
  let connection: Connection;
  let services: AppServices;
  let clock: MutableClock;
  let keys = 0;
  const validate = new Ajv({ allErrors: true, strict: false });
  addFormats(validate);
  const matchesSchema = validate.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    clock = new MutableClock(new Date('2026-05-20T09:00:00.000Z'));
    services = await createAppServices(connection, clock);
    await seedDemo(connection, DEMO_TENANT);
  });
  afterAll(() => dropTestStore(connection));

  async function actor(aadObjectId: string, steppedUp = false): Promise<AccessActor> {
    return { ...(await services.staff.resolveActor(DEMO_TENANT, aadObjectId)), steppedUp };
  }

  /** A pupil's whole file: an amended record naming a sibling, actions, a closed case, a file, a status. */
  async function aFileAbout(pupilId: string, sibling: string) {
    const sam = await actor(SAM);
    const priya = await actor(PRIYA, true);
    const { incident } = await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId,
        happenedAt: new Date(clock.now().getTime() - 3_600_000),
        linkedPupils: [{ pupilId: sibling, role: 'sibling' }],
        agencyIds: [],
        alertStaffIds: [],
        categoryIds: ['bullying'],
        bodyMap: [],
        facts: 'Seen crying by the gate at 08:40; said “nobody walks home with me”.',
        childsWords: 'THEY TOOK MY BAG AGAIN',
      }),
      `delivery-${++keys}`,
    );
    await services.amendments.amend(priya, incident.incidentId, {
      reason: 'The recorder corrected the time in person.',
      changes: { facts: 'Seen crying by the gate at 08:50; said “nobody walks home with me”.' },
    });
    const action = (details: object, text: string) =>
      services.actions.add(priya, incident.incidentId, {
        details,
        happenedAt: clock.now(),
        text,
        alertStaffIds: [],
        idempotencyKey: `delivery-${++keys}`,
      } as never);
    await action(
      { kind: 'phone-call', with: 'parent-carer' },
      'Called mum: she will walk with him.',
    );
    const decision = await action(
      {
        kind: 'decision',
        outcome: 'no-further-action',
        reason: 'Mum is engaged; monitor in class.',
      },
      'Decided with the deputy DSL.',
    );
    await services.cases.close(priya, incident.incidentId, decision.action.actionId);
    const stored = await services.recordFiles.storePending(sam, {
      name: 'note.txt',
      bytes: Buffer.from('Scanned note: written at 08:55 by the class teacher.\n'),
    });
    await services.recordFiles.attach(sam, stored.fileId, incident.incidentId);
    await services.pupilStatus.change(priya, pupilId, {
      status: { ...UNKNOWN_STATUS, ehcp: true, childInNeed: true, nhsNumber: '943 476 5919' },
      reason: 'EHCP issued; child in need plan from the LA.',
    });
    await services.reindexRecent(new Date(clock.now().getTime() - DAY));
    return incident;
  }

  async function sendFor(pupilId: string) {
    const priya = await actor(PRIYA, true);
    const opened = await services.transfers.open(priya, { pupilId, destinationUrn: '654321' });
    return services.transferDelivery.send(priya, opened.transfer.transferId, {
      recipientName: 'Ms Okafor',
      recipientSchool: 'Riverside Academy',
    });
  }

  const envelopeOf = async (downloadPath: string) => {
    const hash = createHash('sha256').update(tokenOf(downloadPath)).digest('hex');
    // The encrypted file waits in the file store (chunked), named by the link.
    const link = (await new TransferLinkRepository(connection).find(hash))!;
    return services.fileStore.getBuffer(link, link.envelopeFileId!);
  };

  it('when the DSL sends a file, then every field, version, action, status and file arrives, valid against the committed schema', async () => {
    const incident = await aFileAbout('EP1050', 'EP1051');
    const sent = await sendFor('EP1050');
    expect(sent.oneTimeCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(sent.transfer).toMatchObject({
      state: 'awaiting-receipt',
      transfer: {
        sent: [
          expect.objectContaining({
            recipientName: 'Ms Okafor',
            recipientSchool: 'Riverside Academy',
            contents: { records: 1, versions: 2, actions: 2, files: 1 },
            sha256: sent.sha256,
          }),
        ],
      },
    });

    const { json, files } = await unpackArchive(
      await openArchive(await envelopeOf(sent.downloadPath), sent.oneTimeCode),
    );
    expect(matchesSchema(json)).toBe(true);
    const pkg: TransferPackage = json;
    expect(pkg.to).toEqual({
      schoolName: 'Riverside Academy',
      urn: '654321',
      recipientName: 'Ms Okafor',
    });
    expect(pkg.flags).toEqual({
      sen: true,
      childProtectionPlan: false,
      childInNeed: true,
      lookedAfter: false,
    });
    expect(pkg.statusHistory.at(-1)).toMatchObject({
      reason: 'EHCP issued; child in need plan from the LA.',
    });
    const [record] = pkg.records;
    expect(record).toMatchObject({
      incidentId: incident.incidentId,
      reference: incident.reference,
      pupilRole: 'subject',
      status: 'closed',
      original: { facts: incident.facts, childsWords: 'THEY TOOK MY BAG AGAIN' },
      current: { facts: 'Seen crying by the gate at 08:50; said “nobody walks home with me”.' },
      amendments: [
        {
          version: 2,
          reason: 'The recorder corrected the time in person.',
          changedFields: ['facts'],
        },
      ],
      caseStatus: [{ sequence: 1, status: 'closed' }],
    });
    expect(record!.actions.map((a) => [a.kind, a.text, a.details.reason])).toEqual([
      ['phone-call', 'Called mum: she will walk with him.', undefined],
      ['decision', 'Decided with the deputy DSL.', 'Mum is engaged; monitor in class.'],
    ]);
    const [file] = record!.files;
    expect(files.get(file!.path)!.toString()).toBe(
      'Scanned note: written at 08:55 by the class teacher.\n',
    );
    expect(pkg.otherPupilsNamed).toEqual([
      expect.objectContaining({ pupilId: 'EP1051', incidentIds: [incident.incidentId] }),
    ]);
    expect(pkg.chronology.length).toBeGreaterThanOrEqual(1);
    // Sending is a disclosure: the sharing log has it without anyone typing it (once).
    const log = await services.sharing.listForPupil(await actor(PRIYA, true), 'EP1050');
    expect(log.filter((e) => e.source === 'transfer')).toEqual([
      expect.objectContaining({
        kind: 'disclosure',
        recipient: 'Riverside Academy',
        lawfulBasis: 'safeguarding-children',
        sourceId: sent.transfer.transfer.transferId,
      }),
    ]);
  });

  it('when the summary PDF is read, then it names the child and the record as amended, with characters WinAnsi cannot draw simplified', async () => {
    await aFileAbout('EP1060', 'EP1061');
    const sent = await sendFor('EP1060');
    const zip = await JSZip.loadAsync(
      await openArchive(await envelopeOf(sent.downloadPath), sent.oneTimeCode),
    );
    const pdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'transfer-pdf-')), 'summary.pdf');
    fs.writeFileSync(pdf, await zip.file('summary.pdf')!.async('nodebuffer'));
    const text = pdfPageTexts(pdf).join('\n');
    expect(text).toContain('Child protection file');
    expect(text).toContain('at 08:50; said "nobody walks home with me"');
    expect(text).toContain('Mum is engaged; monitor in class.');
  });

  it('when the archive or its envelope is tampered with or cut short, then it is refused with a clear message', async () => {
    await aFileAbout('EP1070', 'EP1071');
    const sent = await sendFor('EP1070');
    const envelope = await envelopeOf(sent.downloadPath);
    const flipped = Buffer.from(envelope);
    flipped[flipped.length - 40]! ^= 0x01;
    expect(await codeOf(openArchive(flipped, sent.oneTimeCode))).toBe('TRANSFER.WRONG_CODE');
    expect(await codeOf(openArchive(envelope.subarray(0, 30), sent.oneTimeCode))).toBe(
      'TRANSFER.ARCHIVE_INVALID',
    );
    expect(await codeOf(openArchive(Buffer.from('not an envelope'), sent.oneTimeCode))).toBe(
      'TRANSFER.ARCHIVE_INVALID',
    );

    const zipBytes = await openArchive(envelope, sent.oneTimeCode);
    await expect(unpackArchive(zipBytes.subarray(0, zipBytes.length - 100))).rejects.toThrow(
      /not a readable zip/,
    );
    const zip = await JSZip.loadAsync(zipBytes);
    const pkg = JSON.parse(await zip.file('package.json')!.async('string')) as TransferPackage;
    zip.file(pkg.records[0]!.files[0]!.path, 'a different note');
    await expect(unpackArchive(await zip.generateAsync({ type: 'nodebuffer' }))).rejects.toThrow(
      /does not match its SHA-256/,
    );
    zip.file('package.json', JSON.stringify({ ...pkg, format: 'something-else' }));
    await expect(unpackArchive(await zip.generateAsync({ type: 'nodebuffer' }))).rejects.toThrow(
      /does not match the transfer format: format/,
    );
    // Packing what was unpacked gives a package the schema still accepts (a round trip).
    const again = await unpackArchive(await packArchive(await unpackArchive(zipBytes)));
    expect(matchesSchema(again.json)).toBe(true);
  });

  it('when the receiving DSL gives wrong codes, then each is counted and audited; the fifth locks the link (410)', async () => {
    await aFileAbout('EP1080', 'EP1081');
    const sent = await sendFor('EP1080');
    const token = tokenOf(sent.downloadPath);
    const receipt = { name: 'Ms Okafor', school: 'Riverside Academy', role: 'DSL' };
    expect(await services.transferDelivery.linkFacts(token)).toMatchObject({ attemptsLeft: 5 });
    for (let left = 4; left >= 1; left -= 1) {
      await expect(
        services.transferDelivery.confirm(token, { ...receipt, code: 'AAAA-BBBB-CCCC' }),
      ).rejects.toMatchObject({
        code: 'TRANSFER.WRONG_CODE',
        message: String(left),
      });
    }
    expect(
      await codeOf(
        services.transferDelivery.confirm(token, { ...receipt, code: 'AAAA-BBBB-CCCC' }),
      ),
    ).toBe('TRANSFER.LINK_GONE');
    // Locked: even the right code is refused now.
    expect(
      await codeOf(
        services.transferDelivery.confirm(token, { ...receipt, code: sent.oneTimeCode }),
      ),
    ).toBe('TRANSFER.LINK_GONE');
    expect(await codeOf(services.transferDelivery.linkFacts(token))).toBe('TRANSFER.LINK_GONE');
    const audited = await services.auditEvents.listForTarget(
      { tenantId: DEMO_TENANT, schoolId: 'elm-park' },
      sent.transfer.transfer.transferId,
      50,
    );
    const actions = audited.map((e) => e.action);
    expect(actions.filter((a) => a === 'transfer.code-wrong')).toHaveLength(5);
    expect(actions).toEqual(
      expect.arrayContaining(['transfer.send', 'transfer.link-open', 'transfer.link-locked']),
    );
  });

  it('when the right code and a receipt are given, then the clock stops, the encrypted file downloads once, and the link answers 410 after', async () => {
    await aFileAbout('EP1090', 'EP1091');
    const sent = await sendFor('EP1090');
    const token = tokenOf(sent.downloadPath);
    const { ticket } = await services.transferDelivery.confirm(token, {
      code: sent.oneTimeCode.toLowerCase().replace(/-/g, ' '),
      name: 'Ms Okafor',
      school: 'Riverside Academy',
      role: 'DSL',
    });
    const download = await services.transferDelivery.download(token, ticket);
    expect(createHash('sha256').update(download.envelope).digest('hex')).toBe(sent.sha256);
    expect(await codeOf(services.transferDelivery.download(token, ticket))).toBe(
      'TRANSFER.LINK_GONE',
    );
    expect(await codeOf(services.transferDelivery.linkFacts(token))).toBe('TRANSFER.LINK_GONE');

    clock.advance(10 * DAY); // long past day 5: a received file is not chased
    const line = await services.transfers.view(
      await actor(PRIYA, true),
      sent.transfer.transfer.transferId,
    );
    expect(line).toMatchObject({
      state: 'received',
      overdue: false,
      chasesDue: 0,
      transfer: { receipt: { name: 'Ms Okafor', school: 'Riverside Academy', role: 'DSL' } },
    });
    await expect(
      services.transferDelivery.send(await actor(PRIYA, true), sent.transfer.transfer.transferId, {
        recipientName: 'Ms Okafor',
        recipientSchool: 'Riverside Academy',
      }),
    ).rejects.toMatchObject({ code: 'TRANSFER.ALREADY_RECEIVED' });
  });

  it('when the DSL sends again (a lost code), then the earlier link answers 410 and the new one works', async () => {
    await aFileAbout('EP1105', 'EP1106');
    const first = await sendFor('EP1105');
    const second = await services.transferDelivery.send(
      await actor(PRIYA, true),
      first.transfer.transfer.transferId,
      { recipientName: 'Ms Okafor', recipientSchool: 'Riverside Academy' },
    );
    expect(await codeOf(services.transferDelivery.linkFacts(tokenOf(first.downloadPath)))).toBe(
      'TRANSFER.LINK_GONE',
    );
    expect(await services.transferDelivery.linkFacts(tokenOf(second.downloadPath))).toMatchObject({
      attemptsLeft: 5,
    });
    expect(second.transfer.transfer.sent).toHaveLength(2);
  });

  it('when the link is older than 7 days, then it answers 410', async () => {
    await aFileAbout('EP1100', 'EP1101');
    const sent = await sendFor('EP1100');
    clock.advance(7 * DAY + 1);
    expect(await codeOf(services.transferDelivery.linkFacts(tokenOf(sent.downloadPath)))).toBe(
      'TRANSFER.LINK_GONE',
    );
  });

  it('when a teacher or an un-stepped-up DSL tries to send, then it is refused', async () => {
    await aFileAbout('EP1110', 'EP1111');
    const priya = await actor(PRIYA, true);
    const opened = await services.transfers.open(priya, { pupilId: 'EP1110' });
    const body = { recipientName: 'Ms Okafor', recipientSchool: 'Riverside Academy' };
    expect(
      await codeOf(
        services.transferDelivery.send(await actor(SAM, true), opened.transfer.transferId, body),
      ),
    ).toBe('ACCESS.DENIED');
    expect(
      await codeOf(
        services.transferDelivery.send(await actor(PRIYA), opened.transfer.transferId, body),
      ),
    ).toBe('ACCESS.STEP_UP_REQUIRED');
  });
});
