import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  asBuffer,
  keyEnvelopeSchema,
  MongoWrappedKeyHolder,
  type KeyEnvelope,
  type NarrativeCipher,
  type WrappedKeyHolder,
} from '../encryption';
import { AppError } from '../shared/errors';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { sha256Of, verifyBytes, verifyingStream } from './file-integrity';
import type { FileStore, NewFile, StoredFile } from './file.types';
import { corruptOnFailure, fileContext, openedOrCorrupt } from './sealed-file';

/** GridFS's chunk size: well under the 16 MB document limit, few chunks per file. */
const CHUNK_BYTES = 255 * 1024;
// Chunks inserted per round trip: bounds the size of one wire message (about 2 MB).
const CHUNKS_PER_INSERT = 8;
// Chunks fetched per cursor batch when streaming, so memory stays at a few chunks.
const CHUNKS_PER_READ = 4;

interface FileDoc extends StoredFile {
  chunkSize: number;
  chunkCount: number;
  /** Set last, once every chunk is in: a half-written file is never served. */
  complete: boolean;
  /** The wrapped data key, iv and tag of the chunks' ciphertext. */
  sealed: KeyEnvelope;
}

interface ChunkDoc {
  fileId: string;
  n: number;
  data: Buffer;
}

const fileSchema = new Schema<FileDoc>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    fileId: { type: String, required: true },
    name: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    chunkSize: { type: Number, required: true },
    chunkCount: { type: Number, required: true },
    uploadedBy: {
      aadObjectId: { type: String, required: true },
      displayName: { type: String, required: true },
    },
    uploadedAt: { type: Date, required: true },
    complete: { type: Boolean, required: true },
    sealed: { type: keyEnvelopeSchema, required: true },
  },
  { collection: 'files', strict: 'throw', minimize: false, versionKey: false },
);
fileSchema.index({ fileId: 1 }, { unique: true });
fileSchema.index({ tenantId: 1, schoolId: 1, uploadedAt: -1 });

const chunkSchema = new Schema<ChunkDoc>(
  {
    fileId: { type: String, required: true },
    n: { type: Number, required: true },
    data: { type: Buffer, required: true },
  },
  { collection: 'file_chunks', strict: 'throw', versionKey: false },
);
// One chunk per position: a retried insert cannot leave two versions of the same bytes.
chunkSchema.index({ fileId: 1, n: 1 }, { unique: true });

/**
 * File bytes in MongoDB without GridFS (FerretDB has none): a `files` document per file and
 * ≤ 255 KB binary chunks in `file_chunks`. The metadata is inserted first (claiming the id against
 * its unique index), then the chunks, then `complete` is set; reads ignore incomplete files and
 * verify size and SHA-256. The chunks hold the bytes sealed (AES-256-GCM, a data key per file
 * bound to the file's id); the key envelope is in the `files` document.
 */
export class MongoFileStore implements FileStore {
  private readonly files: Model<FileDoc>;
  private readonly chunks: Model<ChunkDoc>;

  constructor(
    connection: Connection,
    private readonly cipher: NarrativeCipher,
  ) {
    this.files =
      connection.models.StoredFile ?? connection.model<FileDoc>('StoredFile', fileSchema);
    this.chunks =
      connection.models.FileChunk ?? connection.model<ChunkDoc>('FileChunk', chunkSchema);
  }

  /** The files' wrapped data keys, for key rotation. */
  wrappedKeys(): WrappedKeyHolder {
    return new MongoWrappedKeyHolder('files', this.files.collection, 'sealed');
  }

  /** Writes metadata, then chunks, then the complete flag; cleans up after itself on failure. */
  async put(file: NewFile): Promise<StoredFile> {
    const plain = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
    const stored: StoredFile = {
      tenantId: file.tenantId,
      schoolId: file.schoolId,
      fileId: randomUUID(),
      name: file.name,
      contentType: file.contentType,
      size: plain.byteLength,
      sha256: sha256Of(plain),
      uploadedBy: {
        aadObjectId: file.uploadedBy.aadObjectId,
        displayName: file.uploadedBy.displayName,
      },
      uploadedAt: file.uploadedAt,
    };
    const { envelope, ciphertext: bytes } = await this.cipher.sealBytes(
      plain,
      fileContext(stored.fileId),
    );
    const chunkCount = Math.ceil(bytes.byteLength / CHUNK_BYTES);
    await this.files.create({
      ...stored,
      chunkSize: CHUNK_BYTES,
      chunkCount,
      complete: false,
      sealed: envelope,
    });
    try {
      for (let first = 0; first < chunkCount; first += CHUNKS_PER_INSERT) {
        const batch: ChunkDoc[] = [];
        for (let n = first; n < Math.min(first + CHUNKS_PER_INSERT, chunkCount); n++) {
          const data = bytes.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES);
          batch.push({ fileId: stored.fileId, n, data });
        }
        await this.chunks.insertMany(batch, { ordered: true });
      }
      await this.files.updateOne({ fileId: stored.fileId }, { $set: { complete: true } });
    } catch (error) {
      // Best effort: anything left behind is incomplete, so never served, and a sweep can drop it.
      await this.chunks.deleteMany({ fileId: stored.fileId }).catch(() => undefined);
      await this.files.deleteOne({ fileId: stored.fileId }).catch(() => undefined);
      throw error;
    }
    return stored;
  }

  /**
   * Deletes the file's envelope (its wrapped data key) and chunks below the model (the files'
   * one sanctioned deletion besides a failed put's clean-up), and forgets its cached data key.
   */
  async shred(scope: SchoolScope, fileId: string): Promise<boolean> {
    const doc = await this.files.findOne({ ...scoped(scope), fileId }).lean();
    if (!doc) return false;
    this.cipher.forget([
      { keyId: doc.sealed.keyId, wrappedKey: asBuffer(doc.sealed.wrappedKey, 'key') },
    ]);
    await this.files.collection.deleteOne({ fileId });
    await this.chunks.collection.deleteMany({ fileId });
    return true;
  }

  /** A complete file's metadata, only within the school. */
  async metadata(scope: SchoolScope, fileId: string): Promise<StoredFile | undefined> {
    const doc = await this.findComplete(scope, fileId);
    return doc ? toStoredFile(doc) : undefined;
  }

  /** Reads every chunk in order and verifies the whole before returning it. */
  async getBuffer(scope: SchoolScope, fileId: string): Promise<Buffer> {
    const doc = await this.requireComplete(scope, fileId);
    const chunks = await this.chunks.find({ fileId }).sort({ n: 1 }).lean();
    const parts: Buffer[] = [];
    chunks.forEach((chunk, i) => {
      if (chunk.n !== i) throw corrupt(fileId);
      parts.push(asBuffer(chunk.data, 'chunk data'));
    });
    if (parts.length !== doc.chunkCount) throw corrupt(fileId);
    const bytes = await openedOrCorrupt(
      fileId,
      this.cipher.openBytes(doc.sealed, Buffer.concat(parts), fileContext(fileId)),
    );
    verifyBytes(fileId, bytes, doc);
    return bytes;
  }

  /** Streams chunks a few at a time; the stream fails at the end if the bytes do not verify. */
  async getStream(scope: SchoolScope, fileId: string): Promise<Readable> {
    const doc = await this.requireComplete(scope, fileId);
    const cursor = this.chunks
      .find({ fileId })
      .sort({ n: 1 })
      .batchSize(CHUNKS_PER_READ)
      .lean()
      .cursor();
    async function* inOrder(): AsyncGenerator<Buffer> {
      let expected = 0;
      try {
        for await (const chunk of cursor) {
          if (chunk.n !== expected++) throw corrupt(fileId);
          yield asBuffer(chunk.data, 'chunk data');
        }
      } finally {
        await cursor.close().catch(() => undefined);
      }
      if (expected !== doc.chunkCount) throw corrupt(fileId);
    }
    const plain = this.cipher.openStream(doc.sealed, inOrder(), fileContext(fileId));
    return verifyingStream(fileId, corruptOnFailure(fileId, plain), doc);
  }

  private async findComplete(scope: SchoolScope, fileId: string): Promise<FileDoc | null> {
    if (typeof fileId !== 'string') return null;
    return this.files.findOne({ ...scoped(scope), fileId, complete: true }).lean();
  }

  private async requireComplete(scope: SchoolScope, fileId: string): Promise<FileDoc> {
    const doc = await this.findComplete(scope, fileId);
    if (!doc) throw new AppError('FILE.NOT_FOUND', `no complete file ${fileId}`);
    return doc;
  }
}

function corrupt(fileId: string): AppError {
  return new AppError('FILE.CORRUPT', `file ${fileId} has missing or misplaced chunks`);
}

// Whitelist on the way out: only the fields of the type.
function toStoredFile(doc: FileDoc): StoredFile {
  return {
    tenantId: doc.tenantId,
    schoolId: doc.schoolId,
    fileId: doc.fileId,
    name: doc.name,
    contentType: doc.contentType,
    size: doc.size,
    sha256: doc.sha256,
    uploadedBy: {
      aadObjectId: doc.uploadedBy.aadObjectId,
      displayName: doc.uploadedBy.displayName,
    },
    uploadedAt: doc.uploadedAt,
  };
}
