import { throwawayCipher } from '../../../src/encryption';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { createFileStore, MongoFileStore } from '../../../src/files';
import { syncAllIndexes } from '../../../src/store/connection';
import { dropTestStore, openTestStore } from '../../support/test-store';
import { codeOf } from '../../support/error-code';
import { aNewFile, readAll } from '../../support/file-builders';

const SCOPE = { tenantId: 'tenant-a', schoolId: 'school-a' };
const uploadedAt = new Date('2026-11-23T11:00:00.000Z');

describe('the MongoDB chunk file store (real store)', () => {
  let connection: Connection;
  let store: MongoFileStore;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    store = new MongoFileStore(connection, throwawayCipher());
    await syncAllIndexes(connection);
  });
  afterAll(() => dropTestStore(connection));

  const chunks = () => connection.collection('file_chunks');
  const files = () => connection.collection('files');

  it('when a 1 MB file is stored, then it is split into 255 KB chunks and read back byte for byte', async () => {
    const bytes = randomBytes(1_000_000);
    const stored = await store.put(aNewFile(bytes));

    expect(stored.size).toBe(1_000_000);
    expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const sizes = (await chunks().find({ fileId: stored.fileId }).sort({ n: 1 }).toArray()).map(
      (c) => (c.data as { length: () => number }).length(),
    );
    expect(sizes).toEqual([261_120, 261_120, 261_120, 216_640]);

    expect((await store.getBuffer(SCOPE, stored.fileId)).equals(bytes)).toBe(true);
    expect((await readAll(await store.getStream(SCOPE, stored.fileId))).equals(bytes)).toBe(true);
    expect(await store.metadata(SCOPE, stored.fileId)).toEqual(stored);
    const doc = await files().findOne({ fileId: stored.fileId });
    expect(doc).toMatchObject({
      ...SCOPE,
      name: 'minutes.pdf',
      contentType: 'application/pdf',
      uploadedBy: { aadObjectId: 'aad-sam', displayName: 'Sam Taylor' },
      uploadedAt,
      complete: true,
      chunkCount: 4,
    });
  });

  it('when a file is smaller than a chunk, then it is one chunk', async () => {
    const stored = await store.put(aNewFile(Buffer.from('%PDF-1.4 tiny')));
    expect(await chunks().countDocuments({ fileId: stored.fileId })).toBe(1);
    expect((await store.getBuffer(SCOPE, stored.fileId)).toString()).toBe('%PDF-1.4 tiny');
  });

  it('when a file was only half written (complete flag not set), then it is not served', async () => {
    // What a crash between the chunks and the flag leaves behind.
    const fileId = randomUUID();
    await files().insertOne({
      ...SCOPE,
      fileId,
      name: 'half.pdf',
      contentType: 'application/pdf',
      size: 300_000,
      sha256: 'a'.repeat(64),
      chunkSize: 261_120,
      chunkCount: 2,
      uploadedBy: { aadObjectId: 'aad-sam', displayName: 'Sam Taylor' },
      uploadedAt,
      complete: false,
    });
    await chunks().insertOne({ fileId, n: 0, data: randomBytes(1000) });

    expect(await store.metadata(SCOPE, fileId)).toBeUndefined();
    expect(await codeOf(store.getBuffer(SCOPE, fileId))).toBe('FILE.NOT_FOUND');
    expect(await codeOf(store.getStream(SCOPE, fileId))).toBe('FILE.NOT_FOUND');
  });

  it('when a chunk has been tampered with, then reading fails with FILE.CORRUPT', async () => {
    const bytes = randomBytes(600_000);
    const { fileId } = await store.put(aNewFile(bytes));
    const tampered = Buffer.from(bytes.subarray(261_120, 522_240));
    tampered[100] = tampered[100]! ^ 0xff;
    await chunks().updateOne({ fileId, n: 1 }, { $set: { data: tampered } });

    expect(await codeOf(store.getBuffer(SCOPE, fileId))).toBe('FILE.CORRUPT');
    expect(await codeOf(readAll(await store.getStream(SCOPE, fileId)))).toBe('FILE.CORRUPT');
  });

  it('when a chunk has gone missing, then reading fails with FILE.CORRUPT', async () => {
    const { fileId } = await store.put(aNewFile(randomBytes(600_000)));
    await chunks().deleteOne({ fileId, n: 1 });

    expect(await codeOf(store.getBuffer(SCOPE, fileId))).toBe('FILE.CORRUPT');
    expect(await codeOf(readAll(await store.getStream(SCOPE, fileId)))).toBe('FILE.CORRUPT');
  });

  it('when another school asks for a file, then it does not exist for them', async () => {
    const { fileId } = await store.put(aNewFile(randomBytes(1000)));
    const other = { tenantId: 'tenant-a', schoolId: 'school-b' };
    expect(await store.metadata(other, fileId)).toBeUndefined();
    expect(await codeOf(store.getBuffer(other, fileId))).toBe('FILE.NOT_FOUND');
  });

  it('when a chunk position is written twice, then the unique index refuses the second', async () => {
    const { fileId } = await store.put(aNewFile(randomBytes(1000)));
    const error = await chunks()
      .insertOne({ fileId, n: 0, data: randomBytes(10) })
      .then(
        () => undefined,
        (e: unknown) => e as { code?: number },
      );
    expect(error?.code).toBe(11000);
  });

  it('when the factory is asked for the mongo kind, then it builds this store', () => {
    expect(createFileStore({ kind: 'mongo' }, connection, throwawayCipher())).toBeInstanceOf(
      MongoFileStore,
    );
  });
});
