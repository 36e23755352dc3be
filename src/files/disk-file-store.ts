import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { sha256Of, verifyBytes, verifyingStream } from './file-integrity';
import type { FileStore, NewFile, StoredFile } from './file.types';

// Ids are ours (randomUUID); anything else is refused before it can name a path.
const FILE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
});

/**
 * File bytes in a local directory: `<id>` holds the bytes and `<id>.json` the metadata. Each is
 * written under a temporary name, flushed to disk and renamed into place, and the metadata goes
 * last (its presence is the "complete" flag), so a crash never leaves a half-written file that
 * could be served. Reads are scoped to the school and verified against the SHA-256.
 */
export class DiskFileStore implements FileStore {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
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
    const dataPath = this.dataPath(stored.fileId);
    await this.writeAtomically(dataPath, file.bytes);
    try {
      const metadata = { ...stored, uploadedAt: stored.uploadedAt.toISOString(), complete: true };
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
    const m = parsed.data;
    if (m.tenantId !== scope.tenantId || m.schoolId !== scope.schoolId) return undefined;
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
    const bytes = await fs.promises.readFile(this.dataPath(fileId)).catch((error: unknown) => {
      throw missingData(fileId, error);
    });
    verifyBytes(fileId, bytes, meta);
    return bytes;
  }

  /** Streams the file; the stream fails at the end if the bytes do not verify. */
  async getStream(scope: SchoolScope, fileId: string): Promise<Readable> {
    const meta = await this.requireMetadata(scope, fileId);
    const handle = await fs.promises.open(this.dataPath(fileId), 'r').catch((error: unknown) => {
      throw missingData(fileId, error);
    });
    return verifyingStream(fileId, handle.createReadStream(), meta);
  }

  private async requireMetadata(scope: SchoolScope, fileId: string): Promise<StoredFile> {
    const meta = await this.metadata(scope, fileId);
    if (!meta) throw new AppError('FILE.NOT_FOUND', `no complete file ${fileId}`);
    return meta;
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
