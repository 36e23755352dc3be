// A little over 300 lines: the local-disk file store writes, seals, verifies and streams back in
// one place, so the crash-safety of each step (temp file, fsync, rename) reads top to bottom.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import {
  SEALED_FORMAT_VERSION,
  type KeyEnvelope,
  type NarrativeCipher,
  type WrappedKey,
  type WrappedKeyHolder,
  type WrappedKeyRef,
} from '../encryption';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { sha256Of, verifyBytes, verifyingStream } from './file-integrity';
import type { FileStore, NewFile, StoredFile } from './file.types';
import { corruptOnFailure, fileContext, openedOrCorrupt } from './sealed-file';

// Ids are ours (randomUUID); anything else is refused before it can name a path.
const FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

// The key envelope of the sealed bytes, binary fields as base64 in the JSON.
const envelopeSchema = z.object({
  v: z.literal(SEALED_FORMAT_VERSION),
  keyId: z.string().min(1),
  wrappedKey: base64,
  iv: base64,
  tag: base64,
});
type StoredEnvelope = z.infer<typeof envelopeSchema>;

// The metadata file is read back as unknown and checked, like any input.
const metadataSchema = z.object({
  tenantId: z.string(),
  schoolId: z.string(),
  fileId: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  uploadedBy: z.object({ aadObjectId: z.string(), displayName: z.string() }),
  uploadedAt: z.iso.datetime().transform((s) => new Date(s)),
  complete: z.literal(true),
  sealed: envelopeSchema,
});

/**
 * File bytes in a local directory: `<id>` holds the bytes, sealed (AES-256-GCM, a data key per
 * file bound to its id), and `<id>.json` the metadata with the key envelope. Each is written under
 * a temporary name, flushed to disk and renamed into place, and the metadata goes last (its
 * presence is the "complete" flag), so a crash never leaves a half-written file that could be
 * served. Reads are scoped to the school and verified against the SHA-256.
 */
export class DiskFileStore implements FileStore {
  private readonly dir: string;

  constructor(
    dir: string,
    private readonly cipher: NarrativeCipher,
  ) {
    this.dir = path.resolve(dir);
  }

  /** The files' wrapped data keys (in their metadata files), for key rotation. */
  wrappedKeys(): WrappedKeyHolder {
    return {
      name: `files in ${this.dir}`,
      listWrappedByOtherKeys: (activeKeyId, after, limit) =>
        this.listWrappedByOtherKeys(activeKeyId, after, limit),
      replaceWrappedKey: (ref, next) => this.replaceWrappedKey(ref, next),
    };
  }

  /** Writes the bytes, then the metadata, each atomically by rename. */
  async put(file: NewFile): Promise<StoredFile> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const stored: StoredFile = {
      tenantId: file.tenantId,
      schoolId: file.schoolId,
      fileId: randomUUID(),
      name: file.name,
      contentType: file.contentType,
      size: file.bytes.byteLength,
      sha256: sha256Of(file.bytes),
      uploadedBy: {
        aadObjectId: file.uploadedBy.aadObjectId,
        displayName: file.uploadedBy.displayName,
      },
      uploadedAt: file.uploadedAt,
    };
    const { envelope, ciphertext } = await this.cipher.sealBytes(
      file.bytes,
      fileContext(stored.fileId),
    );
    const dataPath = this.dataPath(stored.fileId);
    await this.writeAtomically(dataPath, ciphertext);
    try {
      const metadata = {
        ...stored,
        uploadedAt: stored.uploadedAt.toISOString(),
        complete: true,
        sealed: toStoredEnvelope(envelope),
      };
      await this.writeAtomically(this.metadataPath(stored.fileId), JSON.stringify(metadata));
    } catch (error) {
      await fs.promises.rm(dataPath, { force: true }).catch(() => undefined);
      throw error;
    }
    await this.syncDirectory();
    return stored;
  }

  /** A complete file's metadata, only within the school. */
  async metadata(scope: SchoolScope, fileId: string): Promise<StoredFile | undefined> {
    const m = await this.readMetadata(fileId);
    if (!m || m.tenantId !== scope.tenantId || m.schoolId !== scope.schoolId) return undefined;
    return {
      tenantId: m.tenantId,
      schoolId: m.schoolId,
      fileId: m.fileId,
      name: m.name,
      contentType: m.contentType,
      size: m.size,
      sha256: m.sha256,
      uploadedBy: { aadObjectId: m.uploadedBy.aadObjectId, displayName: m.uploadedBy.displayName },
      uploadedAt: m.uploadedAt,
    };
  }

  /** Reads the whole file and verifies it before returning it. */
  async getBuffer(scope: SchoolScope, fileId: string): Promise<Buffer> {
    const meta = await this.requireMetadata(scope, fileId);
    const sealed = await fs.promises.readFile(this.dataPath(fileId)).catch((error: unknown) => {
      throw missingData(fileId, error);
    });
    const bytes = await openedOrCorrupt(
      fileId,
      this.cipher.openBytes(fromStoredEnvelope(meta.sealed), sealed, fileContext(fileId)),
    );
    verifyBytes(fileId, bytes, meta);
    return bytes;
  }

  /** Streams the file; the stream fails at the end if the bytes do not verify. */
  async getStream(scope: SchoolScope, fileId: string): Promise<Readable> {
    const meta = await this.requireMetadata(scope, fileId);
    const handle = await fs.promises.open(this.dataPath(fileId), 'r').catch((error: unknown) => {
      throw missingData(fileId, error);
    });
    const envelope = fromStoredEnvelope(meta.sealed);
    const plain = this.cipher.openStream(envelope, handle.createReadStream(), fileContext(fileId));
    return verifyingStream(fileId, corruptOnFailure(fileId, plain), meta);
  }

  /**
   * Overwrites the metadata (which holds the wrapped data key) and the ciphertext with zeros before
   * unlinking them: the filesystem may keep freed blocks, but not with the key in them.
   */
  async shred(scope: SchoolScope, fileId: string): Promise<boolean> {
    const meta = await this.readMetadata(fileId);
    if (!meta || meta.tenantId !== scope.tenantId || meta.schoolId !== scope.schoolId) return false;
    this.cipher.forget([fromStoredEnvelope(meta.sealed)]);
    for (const file of [this.metadataPath(fileId), this.dataPath(fileId)]) {
      const size = await fs.promises.stat(file).then(
        (st) => st.size,
        () => -1,
      );
      if (size < 0) continue;
      await fs.promises.writeFile(file, Buffer.alloc(size));
      await fs.promises.rm(file, { force: true });
    }
    await this.syncDirectory();
    return true;
  }

  private async requireMetadata(scope: SchoolScope, fileId: string): Promise<FileMetadata> {
    const meta = await this.readMetadata(fileId);
    if (!meta || meta.tenantId !== scope.tenantId || meta.schoolId !== scope.schoolId) {
      throw new AppError('FILE.NOT_FOUND', `no complete file ${fileId}`);
    }
    return meta;
  }

  /** A complete file's metadata file, checked; undefined when there is none. */
  private async readMetadata(fileId: string): Promise<FileMetadata | undefined> {
    if (typeof fileId !== 'string' || !FILE_ID.test(fileId)) return undefined;
    let raw: string;
    try {
      raw = await fs.promises.readFile(this.metadataPath(fileId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = metadataSchema.safeParse(parseJson(raw));
    if (!parsed.success || parsed.data.fileId !== fileId) {
      throw new AppError('FILE.CORRUPT', `metadata of file ${fileId} is not valid`);
    }
    return parsed.data;
  }

  private async listWrappedByOtherKeys(
    activeKeyId: string,
    after: string | undefined,
    limit: number,
  ): Promise<WrappedKeyRef[]> {
    const names = await fs.promises.readdir(this.dir).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [] as string[];
      throw error;
    });
    const ids = names
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -'.json'.length))
      .filter((id) => FILE_ID.test(id) && (after === undefined || id > after))
      .sort();
    const refs: WrappedKeyRef[] = [];
    for (const id of ids) {
      if (refs.length >= limit) break;
      const meta = await this.readMetadata(id);
      if (meta && meta.sealed.keyId !== activeKeyId) {
        refs.push({
          id,
          keyId: meta.sealed.keyId,
          wrappedKey: Buffer.from(meta.sealed.wrappedKey, 'base64'),
        });
      }
    }
    return refs;
  }

  /**
   * Rewrites a metadata file with the re-wrapped key (atomically, by rename); the bytes file and
   * every other field stay as they were.
   */
  private async replaceWrappedKey(ref: WrappedKeyRef, next: WrappedKey): Promise<boolean> {
    const raw = await fs.promises.readFile(this.metadataPath(ref.id), 'utf8');
    const json = parseJson(raw) as { sealed?: Partial<StoredEnvelope> } | undefined;
    const parsed = metadataSchema.safeParse(json);
    if (!json || !parsed.success) return false;
    const current = parsed.data.sealed;
    if (current.keyId !== ref.keyId || current.wrappedKey !== ref.wrappedKey.toString('base64')) {
      return false;
    }
    json.sealed = {
      ...json.sealed,
      keyId: next.keyId,
      wrappedKey: next.wrappedKey.toString('base64'),
    };
    await this.writeAtomically(this.metadataPath(ref.id), JSON.stringify(json));
    await this.syncDirectory();
    return true;
  }

  private dataPath(fileId: string): string {
    return path.join(this.dir, fileId);
  }

  private metadataPath(fileId: string): string {
    return path.join(this.dir, `${fileId}.json`);
  }

  /** Temp file (created exclusively), flushed, then renamed over the final name. */
  private async writeAtomically(finalPath: string, data: Uint8Array | string): Promise<void> {
    const temp = path.join(
      this.dir,
      `.tmp-${path.basename(finalPath)}-${randomBytes(6).toString('hex')}`,
    );
    const handle = await fs.promises.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
    await handle.close();
    await fs.promises.rename(temp, finalPath).catch(async (error: unknown) => {
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      throw error;
    });
  }

  /** Makes the renames themselves durable (best effort: not every platform can sync a folder). */
  private async syncDirectory(): Promise<void> {
    const handle = await fs.promises.open(this.dir, 'r').catch(() => undefined);
    if (!handle) return;
    await handle.sync().catch(() => undefined);
    await handle.close();
  }
}

type FileMetadata = z.infer<typeof metadataSchema>;

function toStoredEnvelope(envelope: KeyEnvelope): StoredEnvelope {
  return {
    v: envelope.v,
    keyId: envelope.keyId,
    wrappedKey: envelope.wrappedKey.toString('base64'),
    iv: envelope.iv.toString('base64'),
    tag: envelope.tag.toString('base64'),
  };
}

function fromStoredEnvelope(stored: StoredEnvelope): KeyEnvelope {
  return {
    v: stored.v,
    keyId: stored.keyId,
    wrappedKey: Buffer.from(stored.wrappedKey, 'base64'),
    iv: Buffer.from(stored.iv, 'base64'),
    tag: Buffer.from(stored.tag, 'base64'),
  };
}

function missingData(fileId: string, cause: unknown): AppError {
  // The metadata says the file is complete, so its bytes going missing is corruption.
  return new AppError('FILE.CORRUPT', `bytes of file ${fileId} are missing`, { cause });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
