import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AppError } from '../shared/errors';

/** Hex SHA-256 of some bytes. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throws FILE.CORRUPT unless the bytes are exactly what was stored. */
export function verifyBytes(
  fileId: string,
  bytes: Uint8Array,
  expected: { size: number; sha256: string },
): void {
  if (bytes.byteLength !== expected.size || sha256Of(bytes) !== expected.sha256) {
    throw new AppError('FILE.CORRUPT', `file ${fileId} does not match its checksum`);
  }
}

/**
 * Passes chunks through while hashing them, and fails the stream with FILE.CORRUPT at the end if
 * the bytes are not exactly what was stored (a reader learns of tampering before it finishes).
 */
export function verifyingStream(
  fileId: string,
  source: AsyncIterable<Uint8Array>,
  expected: { size: number; sha256: string },
): Readable {
  async function* verified(): AsyncGenerator<Buffer> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of source) {
      size += chunk.byteLength;
      if (size > expected.size) break;
      hash.update(chunk);
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
    if (size !== expected.size || hash.digest('hex') !== expected.sha256) {
      throw new AppError('FILE.CORRUPT', `file ${fileId} does not match its checksum`);
    }
  }
  return Readable.from(verified(), { objectMode: false });
}
