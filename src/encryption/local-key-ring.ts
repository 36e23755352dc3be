import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../shared/errors';
import type { KeyWrapper, WrappedKey } from './sealed.types';

const FORMAT = 'safeguarding-key-ring/1';
const KEY_ID = /^local-[0-9]{8}-[0-9a-f]{8}$/;
// How often at most an unknown key id makes the ring re-read its file (a rotation run elsewhere).
const RELOAD_AT_MOST_EVERY_MS = 5_000;

const keyFileSchema = z.object({
  format: z.literal(FORMAT),
  activeKeyId: z.string().regex(KEY_ID),
  keys: z
    .array(
      z.object({
        id: z.string().regex(KEY_ID),
        createdAt: z.iso.datetime(),
        /** Base64 of 32 random bytes. */
        key: z.string().refine((k) => Buffer.from(k, 'base64').byteLength === 32, '32-byte key'),
      }),
    )
    .min(1),
});
type KeyFile = z.infer<typeof keyFileSchema>;

/**
 * Master keys in a local JSON file (development, tests, and self-hosting that accepts the risk):
 * several keys, one active. Data keys are wrapped with AES-256-GCM under the master key, its id
 * authenticated too, so a wrapped key relabelled with another key id does not unwrap. The file is
 * created on first start with mode 0600 and refused if others can read it; rotation adds a key
 * by writing a new file and renaming it over the old one, so a crash leaves one or the other.
 */
export class LocalKeyRing implements KeyWrapper {
  private lastReloadAt = 0;

  private constructor(
    private ring: KeyFile,
    private readonly file: string | undefined,
  ) {}

  /** The ring in `file`, created with one fresh key if the file does not exist yet. */
  static async openOrCreate(file: string): Promise<LocalKeyRing> {
    const resolved = path.resolve(file);
    const existing = await readKeyFile(resolved);
    if (existing) return new LocalKeyRing(existing, resolved);
    await fs.promises.mkdir(path.dirname(resolved), { recursive: true, mode: 0o700 });
    const ring = newRing(undefined);
    try {
      // 'wx': if another process created it a moment ago, keep theirs.
      await fs.promises.writeFile(resolved, serialise(ring), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw keyFileError(error);
      const theirs = await readKeyFile(resolved);
      if (!theirs) throw new AppError('ENCRYPTION.KEY_FILE', 'the key file vanished');
      return new LocalKeyRing(theirs, resolved);
    }
    return new LocalKeyRing(ring, resolved);
  }

  /**
   * A ring that lives only in this process's memory: real encryption for tests, but whatever it
   * seals is unreadable once the process ends. Never used by the app or the CLIs.
   */
  static inMemory(): LocalKeyRing {
    return new LocalKeyRing(newRing(undefined), undefined);
  }

  /**
   * Adds a fresh key to the file and makes it the active one; older keys stay for unwrapping.
   * Returns the new and the previous active key ids.
   */
  static async addActiveKey(file: string): Promise<{ keyId: string; previousKeyId: string }> {
    const resolved = path.resolve(file);
    const current = await readKeyFile(resolved);
    if (!current) throw new AppError('ENCRYPTION.KEY_FILE', `no key file at ${resolved}`);
    const next = newRing(current);
    const temp = `${resolved}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await fs.promises.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(serialise(next));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, resolved).catch(async (error: unknown) => {
      await fs.promises.rm(temp, { force: true });
      throw keyFileError(error);
    });
    return { keyId: next.activeKeyId, previousKeyId: current.activeKeyId };
  }

  get keyId(): string {
    return this.ring.activeKeyId;
  }

  /** Every key id the ring holds, active one included. */
  get keyIds(): string[] {
    return this.ring.keys.map((k) => k.id);
  }

  async wrap(dataKey: Buffer): Promise<WrappedKey> {
    const keyId = this.ring.activeKeyId;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey(keyId), iv);
    cipher.setAAD(wrapContext(keyId));
    const sealed = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return { keyId, wrappedKey: Buffer.concat([iv, cipher.getAuthTag(), sealed]) };
  }

  async unwrap(wrapped: Buffer, keyId: string): Promise<Buffer> {
    if (!this.has(keyId)) await this.reloadForUnknownKey();
    if (!this.has(keyId)) {
      throw new AppError(
        'ENCRYPTION.UNKNOWN_KEY',
        `key ${safeKeyId(keyId)} is not in the key ring`,
      );
    }
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.masterKey(keyId),
        wrapped.subarray(0, 12),
      );
      decipher.setAAD(wrapContext(keyId));
      decipher.setAuthTag(wrapped.subarray(12, 28));
      return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
    } catch (cause) {
      throw new AppError(
        'ENCRYPTION.UNWRAP_FAILED',
        `data key does not unwrap with ${safeKeyId(keyId)}`,
        {
          cause,
        },
      );
    }
  }

  private has(keyId: string): boolean {
    return this.ring.keys.some((k) => k.id === keyId);
  }

  private masterKey(keyId: string): Buffer {
    const entry = this.ring.keys.find((k) => k.id === keyId);
    if (!entry) throw new AppError('ENCRYPTION.UNKNOWN_KEY', `key ${keyId} is not in the key ring`);
    return Buffer.from(entry.key, 'base64');
  }

  // A rotation run by `npm run keys:rotate` while the app runs adds keys this process has not seen.
  // Only reads are affected (new wraps keep using the key the app started with until a restart).
  private async reloadForUnknownKey(): Promise<void> {
    if (!this.file || Date.now() - this.lastReloadAt < RELOAD_AT_MOST_EVERY_MS) return;
    this.lastReloadAt = Date.now();
    const fresh = await readKeyFile(this.file);
    if (fresh) this.ring = { ...fresh, activeKeyId: this.ring.activeKeyId };
  }
}

function newRing(previous: KeyFile | undefined): KeyFile {
  const now = new Date();
  const id = `local-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
  const key = { id, createdAt: now.toISOString(), key: randomBytes(32).toString('base64') };
  return { format: FORMAT, activeKeyId: id, keys: [...(previous?.keys ?? []), key] };
}

function serialise(ring: KeyFile): string {
  return `${JSON.stringify(ring, null, 2)}\n`;
}

function wrapContext(keyId: string): Buffer {
  return Buffer.from(`safeguarding/key-wrap/v1/${keyId}`, 'utf8');
}

/** The file's ring, or undefined when there is no file; refuses a file others can read. */
async function readKeyFile(file: string): Promise<KeyFile | undefined> {
  let raw: string;
  try {
    const stat = await fs.promises.stat(file);
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw new AppError(
        'ENCRYPTION.KEY_FILE',
        `key file ${file} is readable by other users: chmod 600 it`,
      );
    }
    raw = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof AppError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw keyFileError(error);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const parsed = keyFileSchema.safeParse(json);
  // The issues name paths only: a zod message never quotes the key material.
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || 'file').join(', ');
    throw new AppError('ENCRYPTION.KEY_FILE', `key file ${file} is not valid (${where})`);
  }
  if (!parsed.data.keys.some((k) => k.id === parsed.data.activeKeyId)) {
    throw new AppError('ENCRYPTION.KEY_FILE', `key file ${file}: the active key is missing`);
  }
  return parsed.data;
}

function keyFileError(cause: unknown): AppError {
  const code = (cause as { code?: unknown } | null)?.code;
  return new AppError('ENCRYPTION.KEY_FILE', `key file unusable (${String(code ?? 'error')})`, {
    cause,
  });
}

// Key ids come from stored documents: show a bounded, printable form only.
function safeKeyId(keyId: string): string {
  return keyId.replace(/[^\w.:/-]/g, '?').slice(0, 200);
}
