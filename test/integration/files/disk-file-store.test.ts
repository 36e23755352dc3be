import { throwawayCipher } from '../../../src/encryption';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFileStore, DiskFileStore } from '../../../src/files';
import { codeOf } from '../../support/error-code';
import { aNewFile, readAll } from '../../support/file-builders';

const SCOPE = { tenantId: 'tenant-a', schoolId: 'school-a' };

describe('the local-disk file store (real files in a temporary directory)', () => {
  let dir: string;
  let store: DiskFileStore;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safeguarding-files-'));
    store = new DiskFileStore(path.join(dir, 'files'), throwawayCipher());
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const filesDir = () => path.join(dir, 'files');

  it('when a 1 MB file is stored, then it is one file under its id, with its metadata, and reads back verified', async () => {
    const bytes = randomBytes(1_000_000);
    const stored = await store.put(aNewFile(bytes));

    expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    // On disk the bytes are sealed (AES-GCM keeps the length): never the plaintext.
    const onDisk = fs.readFileSync(path.join(filesDir(), stored.fileId));
    expect(onDisk.byteLength).toBe(bytes.byteLength);
    expect(onDisk.equals(bytes)).toBe(false);
    expect(await store.getBuffer(SCOPE, stored.fileId)).toEqual(bytes);
    expect(fs.existsSync(path.join(filesDir(), `${stored.fileId}.json`))).toBe(true);
    // Temporary names are renamed away: nothing half-written is left lying about.
    expect(fs.readdirSync(filesDir()).filter((f) => f.startsWith('.tmp'))).toEqual([]);

    expect((await store.getBuffer(SCOPE, stored.fileId)).equals(bytes)).toBe(true);
    expect((await readAll(await store.getStream(SCOPE, stored.fileId))).equals(bytes)).toBe(true);
    expect(await store.metadata(SCOPE, stored.fileId)).toEqual(stored);
  });

  it('when the bytes were written but not the metadata (a crash in between), then the file is not served', async () => {
    const fileId = randomUUID();
    fs.writeFileSync(path.join(filesDir(), fileId), randomBytes(100));

    expect(await store.metadata(SCOPE, fileId)).toBeUndefined();
    expect(await codeOf(store.getBuffer(SCOPE, fileId))).toBe('FILE.NOT_FOUND');
  });

  it('when a stored file has been tampered with, then reading fails with FILE.CORRUPT', async () => {
    const bytes = randomBytes(50_000);
    const { fileId } = await store.put(aNewFile(bytes));
    const onDisk = path.join(filesDir(), fileId);
    const tampered = Buffer.from(bytes);
    tampered[25_000] = tampered[25_000]! ^ 0x01;
    fs.writeFileSync(onDisk, tampered);

    expect(await codeOf(store.getBuffer(SCOPE, fileId))).toBe('FILE.CORRUPT');
    expect(await codeOf(readAll(await store.getStream(SCOPE, fileId)))).toBe('FILE.CORRUPT');
  });

  it('when the bytes of a complete file go missing, then reading fails with FILE.CORRUPT', async () => {
    const { fileId } = await store.put(aNewFile(randomBytes(100)));
    fs.rmSync(path.join(filesDir(), fileId));
    expect(await codeOf(store.getBuffer(SCOPE, fileId))).toBe('FILE.CORRUPT');
  });

  it('when an id tries to climb out of the directory, then nothing is read', async () => {
    fs.writeFileSync(path.join(dir, 'secret.json'), '{}');
    expect(await store.metadata(SCOPE, '../secret')).toBeUndefined();
    expect(await codeOf(store.getBuffer(SCOPE, '../secret'))).toBe('FILE.NOT_FOUND');
  });

  it('when another school asks for a file, then it does not exist for them', async () => {
    const { fileId } = await store.put(aNewFile(randomBytes(100)));
    const other = { tenantId: 'tenant-b', schoolId: 'school-a' };
    expect(await store.metadata(other, fileId)).toBeUndefined();
    expect(await codeOf(store.getBuffer(other, fileId))).toBe('FILE.NOT_FOUND');
  });

  it('when the factory is asked for the disk kind, then it needs a directory', () => {
    expect(
      createFileStore({ kind: 'disk', dir: filesDir() }, undefined as never, throwawayCipher()),
    ).toBeInstanceOf(DiskFileStore);
    expect(() => createFileStore({ kind: 'disk' }, undefined as never, throwawayCipher())).toThrow(
      expect.objectContaining({ code: 'FILE.STORE_CONFIG' }),
    );
  });
});
