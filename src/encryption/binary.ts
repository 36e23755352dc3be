import { AppError } from '../shared/errors';

/**
 * A Buffer over the bytes of a stored binary value. Lean mongoose reads give BSON `Binary`
 * (bytes in `.buffer`, length in `.position`), not Buffer; documents are checked like any input.
 */
export function asBuffer(value: unknown, what: string): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  const inner = (value as { buffer?: unknown } | null)?.buffer;
  if (inner instanceof Uint8Array) {
    const position = (value as { position?: unknown }).position;
    const length = typeof position === 'number' ? position : inner.byteLength;
    return Buffer.from(inner.buffer, inner.byteOffset, length);
  }
  throw new AppError('ENCRYPTION.UNSUPPORTED_FORMAT', `${what} is not binary`);
}
