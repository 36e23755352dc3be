import type { Readable } from 'node:stream';
import type { NewFile } from '../../src/files';

/** A file as a member of staff uploads it to a record (a PDF of meeting minutes by default). */
export function aNewFile(bytes: Buffer, overrides: Partial<NewFile> = {}): NewFile {
  return {
    tenantId: 'tenant-a',
    schoolId: 'school-a',
    name: 'minutes.pdf',
    contentType: 'application/pdf',
    bytes,
    uploadedBy: { aadObjectId: 'aad-sam', displayName: 'Sam Taylor' },
    uploadedAt: new Date('2026-11-23T11:00:00.000Z'),
    ...overrides,
  };
}

/** Every byte a stored file's stream gives. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
