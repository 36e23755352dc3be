import type { Connection } from 'mongoose';
import { KeyVaultKeyWrapper, NarrativeCipher, rewrapAll } from '../../../src/encryption';
import { MongoFileStore } from '../../../src/files';
import { IncidentDraftRepository, IncidentRepository } from '../../../src/incidents';
import { syncAllIndexes } from '../../../src/store/connection';
import { FakeKeyVault } from '../../support/fake-key-vault';
import { anIncidentInput, SCOPE } from '../../support/incident-builders';
import { dropTestStore, openTestStore } from '../../support/test-store';
import { aPdf } from '../../unit/files/file-samples';

const now = new Date('2026-11-23T11:00:00.000Z');

describe('rotating to a new Key Vault key version (records on the real store)', () => {
  const vault = new FakeKeyVault();
  let connection: Connection;

  beforeAll(async () => {
    await vault.start();
    connection = await openTestStore(__filename);
  });
  afterAll(async () => {
    await dropTestStore(connection);
    await vault.stop();
  });

  function cipherFor(keyId: string): NarrativeCipher {
    const token = vault.issueToken();
    return new NarrativeCipher(
      new KeyVaultKeyWrapper({ keyId, tokens: { token: async () => token } }),
    );
  }

  function repositoriesFor(cipher: NarrativeCipher) {
    return {
      incidents: new IncidentRepository(connection, cipher),
      drafts: new IncidentDraftRepository(connection, cipher),
      files: new MongoFileStore(connection, cipher),
    };
  }

  it('when KEY_VAULT_KEY_ID moves to a new version, then every data key is re-wrapped with it and all still opens', async () => {
    const first = cipherFor(vault.createKeyVersion('records'));
    const before = repositoriesFor(first);
    await syncAllIndexes(connection);
    const incident = {
      ...SCOPE,
      ...anIncidentInput(),
      incidentId: 'kv-incident-1',
      reference: 'EPC-2026-00001',
      referenceYear: 2026,
      referenceNumber: 1,
      idempotencyKey: 'kv-form-1',
      recordedBy: { aadObjectId: 'aad-recorder', displayName: 'Sam Taylor', roles: ['staff'] },
      recordedAt: now,
    };
    await before.incidents.insert(incident);
    const owner = { ...SCOPE, aadObjectId: 'aad-recorder' };
    await before.drafts.saveValues(owner, 'kv-draft-1', { facts: 'half typed' }, now);
    const pdf = aPdf();
    const file = await before.files.put({
      ...SCOPE,
      name: 'letter.pdf',
      contentType: 'application/pdf',
      bytes: pdf,
      uploadedBy: { aadObjectId: 'aad-recorder', displayName: 'Sam Taylor' },
      uploadedAt: now,
    });

    const nextVersion = vault.createKeyVersion('records');
    const second = cipherFor(nextVersion);
    const after = repositoriesFor(second);
    const wrapsBefore = vault.count('wrapkey');
    const report = await rewrapAll(
      [after.incidents.wrappedKeys(), after.drafts.wrappedKeys(), after.files.wrappedKeys()],
      second,
    );
    expect(report.map((r) => [r.name, r.rewrapped, r.failed])).toEqual([
      ['incidents', 1, 0],
      ['incident_drafts', 1, 0],
      ['files', 1, 0],
    ]);
    expect(vault.count('wrapkey') - wrapsBefore).toBe(3);
    const stored = await connection
      .collection('incidents')
      .findOne({ incidentId: 'kv-incident-1' });
    expect(stored?.sealed.keyId).toBe(nextVersion);

    expect(await after.incidents.findById(SCOPE, 'kv-incident-1')).toEqual(incident);
    expect((await after.drafts.find(owner, 'kv-draft-1'))?.values).toEqual({ facts: 'half typed' });
    expect((await after.files.getBuffer(SCOPE, file.fileId)).equals(pdf)).toBe(true);
  });
});
