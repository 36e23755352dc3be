import { Schema, Types, type Collection } from 'mongoose';
import { asBuffer } from './binary';
import type { WrappedKey } from './sealed.types';
import type { WrappedKeyHolder, WrappedKeyRef } from './rewrap-all';

const envelopeFields = {
  v: { type: Number, required: true },
  keyId: { type: String, required: true },
  wrappedKey: { type: Buffer, required: true },
  iv: { type: Buffer, required: true },
  tag: { type: Buffer, required: true },
};

/** A `KeyEnvelope` as a mongoose subdocument (a file's header; its ciphertext is in chunks). */
export const keyEnvelopeSchema = new Schema(envelopeFields, { _id: false, strict: 'throw' });

/** A `SealedNarrative` as a mongoose subdocument. */
export const sealedNarrativeSchema = new Schema(
  { ...envelopeFields, ciphertext: { type: Buffer, required: true } },
  { _id: false, strict: 'throw' },
);

/**
 * The wrapped data keys of one collection, at `path` (a KeyEnvelope or SealedNarrative field).
 * It works on the driver's collection, under mongoose: that is deliberate, because it is how key
 * rotation passes the incident model's immutability hooks. It can only set `<path>.keyId` and
 * `<path>.wrappedKey`, and only when they still hold what was read, so the record itself (and its
 * ciphertext, iv and tag) cannot change through it.
 */
export class MongoWrappedKeyHolder implements WrappedKeyHolder {
  constructor(
    readonly name: string,
    private readonly collection: Collection,
    private readonly path: string,
    /** How the collection's `_id`s are made: ObjectIds (the default) or strings of our own. */
    private readonly idKind: 'objectId' | 'string' = 'objectId',
  ) {}

  private toId(id: string): Types.ObjectId | string {
    return this.idKind === 'objectId' ? new Types.ObjectId(id) : id;
  }

  async listWrappedByOtherKeys(
    activeKeyId: string,
    after: string | undefined,
    limit: number,
  ): Promise<WrappedKeyRef[]> {
    const filter: Record<string, unknown> = {
      [`${this.path}.keyId`]: { $exists: true, $ne: activeKeyId },
    };
    if (after) filter._id = { $gt: this.toId(after) };
    const docs = await this.collection
      .find(filter, { projection: { _id: 1, [this.path]: 1 } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => {
      const envelope = doc[this.path] as { keyId: string; wrappedKey: unknown };
      return {
        id: String(doc._id),
        keyId: envelope.keyId,
        wrappedKey: asBuffer(envelope.wrappedKey, 'wrapped key'),
      };
    });
  }

  async replaceWrappedKey(ref: WrappedKeyRef, next: WrappedKey): Promise<boolean> {
    const filter: Record<string, unknown> = {
      _id: this.toId(ref.id),
      [`${this.path}.keyId`]: ref.keyId,
      [`${this.path}.wrappedKey`]: ref.wrappedKey,
    };
    const result = await this.collection.updateOne(filter, {
      $set: {
        [`${this.path}.keyId`]: next.keyId,
        [`${this.path}.wrappedKey`]: next.wrappedKey,
      },
    });
    return result.modifiedCount === 1;
  }
}
