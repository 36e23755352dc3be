import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { createNarrativeCipher, LocalKeyRing, rewrapAll } from '../../../src/encryption';
import { SarRepository } from '../../../src/sar';
import { SharingRepository } from '../../../src/sharing';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCOPE = { tenantId: 't-sar', schoolId: 's-sar' };
const WHO = { aadObjectId: 'aad-priya', displayName: 'Priya Shah' };
const AT = new Date('2026-11-10T10:00:00.000Z');

describe('the SAR register and the sharing log at rest (real store)', () => {
  let connection: Connection;
  let keyFile: string;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    keyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sar-keys-')), 'keys.json');
    await LocalKeyRing.openOrCreate(keyFile);
  });
  afterAll(async () => {
    await dropTestStore(connection);
    await connection.close();
  });

  it('when a request, a change, a draft and a sharing entry are stored, then no name or reason is in the store, and after key rotation they still open', async () => {
    const cipher = await createNarrativeCipher({ source: 'file', keyFile });
    const sars = new SarRepository(connection, cipher);
    const sharing = new SharingRepository(connection, cipher);
    await sars.insertRequest('key-1', {
      ...SCOPE,
      sarId: 'sar-1',
      reference: 'SAR-2026-11-10-0001',
      pupilId: 'p1',
      requesterName: 'Janet Requesterson',
      relationship: 'parent',
      identityCheck: 'Passport 123456789 seen',
      scopeOfRequest: 'Everything about my son',
      receivedAt: AT,
      loggedBy: WHO,
      loggedAt: AT,
    });
    await sars.insertChange({
      ...SCOPE,
      sarId: 'sar-1',
      sequence: 1,
      by: WHO,
      at: AT,
      kind: 'competence',
      decision: 'not-competent',
      reason: 'Aged six and non-verbal',
    });
    await sars.insertDraft({
      ...SCOPE,
      sarId: 'sar-1',
      sequence: 1,
      by: WHO,
      at: AT,
      decisions: [
        {
          proposalId: 'a'.repeat(20),
          decision: 'redact',
          exemption: 'other',
          otherText: 'Neighbour dispute',
        },
      ],
      added: [{ paragraphId: 'incident:i1:facts', text: 'the flat above', occurrence: 1 }],
    });
    await sharing.insert({
      ...SCOPE,
      entryId: 'e1',
      kind: 'not-shared',
      pupilIds: ['p1'],
      what: 'The full record',
      recipient: 'Uncle Bob Requesterson',
      at: AT,
      why: 'No safeguarding reason to share with a relative',
      decidedBy: WHO,
      recordedBy: WHO,
      recordedAt: AT,
      source: 'tab',
    });

    const dump: string[] = [];
    for (const name of ['sar_requests', 'sar_changes', 'sar_review_drafts', 'sharing_log']) {
      dump.push(JSON.stringify(await connection.db!.collection(name).find({}).toArray()));
    }
    const all = dump.join('\n');
    expect(all).toContain('SAR-2026-11-10-0001');
    for (const secret of [
      'Requesterson',
      'Passport',
      'Everything about',
      'Aged six',
      'Neighbour',
      'flat above',
      'full record',
      'safeguarding reason',
    ]) {
      expect({ secret, found: all.includes(secret) }).toEqual({ secret, found: false });
    }

    await LocalKeyRing.addActiveKey(keyFile);
    const rotated = await createNarrativeCipher({ source: 'file', keyFile });
    const counts = await rewrapAll(
      [
        ...new SarRepository(connection, rotated).wrappedKeys(),
        new SharingRepository(connection, rotated).wrappedKeys(),
      ],
      rotated,
    );
    expect(counts.map((c) => `${c.name}:${c.rewrapped}:${c.failed}`)).toEqual([
      'sar_requests:1:0',
      'sar_changes:1:0',
      'sar_review_drafts:1:0',
      'sharing_log:1:0',
    ]);
    const after = new SarRepository(connection, rotated);
    expect((await after.findRequest(SCOPE, 'sar-1'))?.requesterName).toBe('Janet Requesterson');
    expect((await after.listChanges(SCOPE, ['sar-1']))[0]).toEqual(
      expect.objectContaining({ kind: 'competence', reason: 'Aged six and non-verbal' }),
    );
    const draft = await after.latestDraft(SCOPE, 'sar-1');
    expect(draft?.decisions[0]).toEqual(
      expect.objectContaining({ otherText: 'Neighbour dispute' }),
    );
    expect(draft?.added).toEqual([
      { paragraphId: 'incident:i1:facts', text: 'the flat above', occurrence: 1 },
    ]);
    const [entry] = await new SharingRepository(connection, rotated).listForPupil(SCOPE, 'p1', 10);
    expect(entry?.recipient).toBe('Uncle Bob Requesterson');
  });
});
