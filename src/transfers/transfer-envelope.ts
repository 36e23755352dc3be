import { createCipheriv, createDecipheriv, randomBytes, randomInt, scrypt } from 'node:crypto';
import { AppError } from '../shared/errors';

/**
 * The encrypted envelope around a transfer archive (docs/transfer-format/README.md, "Envelope"):
 *
 *   "SGXFER01" | header length (uint16, big-endian) | header (UTF-8 JSON) | ciphertext | tag (16)
 *
 * The header names the KDF and cipher with their parameters (scrypt N, r, p, a 16-byte salt;
 * AES-256-GCM with a 12-byte IV), base64; the key is scrypt(one-time code, salt). The magic,
 * length and header are the GCM additional data, so changing any byte of the file is refused.
 * Only node:crypto: any platform with scrypt and AES-GCM opens it.
 */

const MAGIC = Buffer.from('SGXFER01', 'ascii');
const TAG_BYTES = 16;
const KDF = { N: 32_768, r: 8, p: 1 } as const;

/** No 0/O, 1/I/L: a code read over the phone is typed right first time. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 12;

interface EnvelopeHeader {
  readonly kdf: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
  readonly cipher: 'aes-256-gcm';
  readonly iv: string;
  readonly content: 'application/zip';
}

/** A fresh one-time code, shown as ABCD-EFGH-JKMN (about 59 bits; five tries, then the link locks). */
export function newOneTimeCode(): string {
  const chars = Array.from(
    { length: CODE_LENGTH },
    () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)],
  );
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** The code as the key is derived from it: upper case, spaces and dashes dropped. */
function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]+/g, '');
}

/** Encrypts an archive under a key derived from the one-time code. */
export async function sealArchive(archive: Buffer, code: string): Promise<Buffer> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const header: EnvelopeHeader = {
    kdf: 'scrypt',
    ...KDF,
    salt: salt.toString('base64'),
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    content: 'application/zip',
  };
  const prefix = prefixOf(Buffer.from(JSON.stringify(header), 'utf8'));
  const key = await deriveKey(normaliseCode(code), salt, header);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(prefix);
  const body = Buffer.concat([cipher.update(archive), cipher.final()]);
  return Buffer.concat([prefix, body, cipher.getAuthTag()]);
}

/**
 * Opens an envelope with the code: the archive, or TRANSFER.WRONG_CODE when the code (or any
 * byte of the file) is wrong, TRANSFER.ARCHIVE_INVALID when it is not an envelope at all.
 */
export async function openArchive(envelope: Buffer, code: string): Promise<Buffer> {
  const { header, prefix } = readHeader(envelope);
  if (envelope.length < prefix.length + TAG_BYTES) throw invalid('the file is truncated');
  const key = await deriveKey(normaliseCode(code), Buffer.from(header.salt, 'base64'), header);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'));
  decipher.setAAD(prefix);
  decipher.setAuthTag(envelope.subarray(envelope.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(envelope.subarray(prefix.length, envelope.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new AppError(
      'TRANSFER.WRONG_CODE',
      'the code does not open this file (a wrong code, or the file was changed or cut short)',
    );
  }
}

function prefixOf(header: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(header.length);
  return Buffer.concat([MAGIC, length, header]);
}

function readHeader(envelope: Buffer): { header: EnvelopeHeader; prefix: Buffer } {
  if (envelope.length < MAGIC.length + 2 || !envelope.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw invalid('this is not a transfer envelope (SGXFER01)');
  }
  const length = envelope.readUInt16BE(MAGIC.length);
  const end = MAGIC.length + 2 + length;
  if (envelope.length < end) throw invalid('the file is truncated');
  let header: EnvelopeHeader;
  try {
    header = JSON.parse(
      envelope.subarray(MAGIC.length + 2, end).toString('utf8'),
    ) as EnvelopeHeader;
  } catch {
    throw invalid('the envelope header is damaged');
  }
  if (
    header.kdf !== 'scrypt' ||
    header.cipher !== 'aes-256-gcm' ||
    ![header.N, header.r, header.p].every((n) => Number.isInteger(n) && n > 0) ||
    // Bounds on what an envelope may ask of us: at most 64 MiB of scrypt memory.
    header.N > 65_536 ||
    header.r > 8 ||
    header.p > 4
  ) {
    throw invalid('the envelope names a KDF or cipher this version does not open');
  }
  return { header, prefix: envelope.subarray(0, end) };
}

function deriveKey(
  code: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      code,
      salt,
      32,
      { N: params.N, r: params.r, p: params.p, maxmem: 128 * params.N * params.r + 1_048_576 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

function invalid(message: string): AppError {
  return new AppError('TRANSFER.ARCHIVE_INVALID', message);
}
