import { Schema, type Connection } from 'mongoose';
import { isDuplicateKeyError } from '../../../src/shared/errors';
import { pingStore, syncAllIndexes } from '../../../src/store/connection';
import { dropTestStore, openTestStore } from '../../support/test-store';

interface Note {
  tenantId: string;
  schoolId: string;
  ref: string;
  body: string;
  tags: string[];
  happenedAt: Date;
}

const noteSchema = new Schema<Note>({
  tenantId: { type: String, required: true },
  schoolId: { type: String, required: true },
  ref: { type: String, required: true },
  body: { type: String, required: true },
  tags: { type: [String], default: [] },
  happenedAt: { type: Date, required: true },
});
noteSchema.index({ tenantId: 1, schoolId: 1, ref: 1 }, { unique: true });

describe('the store, over the wire', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await openTestStore(__filename);
    connection.model('Note', noteSchema);
    await syncAllIndexes(connection);
  });
  afterAll(() => dropTestStore(connection));

  it('when pinged, then the server answers', async () => {
    expect(await pingStore(connection)).toBe(true);
  });

  it('when a document is saved, then it reads back field for field', async () => {
    const Note = connection.model<Note>('Note');
    const happenedAt = new Date('2026-03-04T10:15:00.000Z');
    const created = await Note.create({
      tenantId: 't1',
      schoolId: 's1',
      ref: 'EPC-2026-00001',
      body: 'round trip',
      tags: ['a', 'b'],
      happenedAt,
    });
    const read = await Note.findById(created._id).lean();
    expect(read).toMatchObject({
      tenantId: 't1',
      schoolId: 's1',
      ref: 'EPC-2026-00001',
      body: 'round trip',
      tags: ['a', 'b'],
    });
    expect(read?.happenedAt.toISOString()).toBe(happenedAt.toISOString());
  });

  it('when a duplicate key is inserted, then the unique index refuses it with code 11000', async () => {
    const Note = connection.model<Note>('Note');
    const doc = {
      tenantId: 't1',
      schoolId: 's1',
      ref: 'EPC-2026-00002',
      body: 'first',
      happenedAt: new Date(),
    };
    await Note.create(doc);
    const second = await Note.create({ ...doc, body: 'second' }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(second)).toBe(true);
    expect(await Note.countDocuments({ ref: 'EPC-2026-00002' })).toBe(1);
    // The same ref in another school is a different record.
    await expect(Note.create({ ...doc, schoolId: 's2' })).resolves.toBeDefined();
  });
});
