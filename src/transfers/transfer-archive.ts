import type JSZip from 'jszip';
import { jszip } from '../shared/lazy-modules';
import { AppError } from '../shared/errors';
import type { BuiltPackage } from './transfer-package.builder';
import { transferPackageSchema, type TransferPackage } from './transfer-package.schema';
import { renderTransferSummary } from './transfer-pdf';
import { createHash } from 'node:crypto';

/** The archive's fixed names (docs/transfer-format/README.md). */
const PACKAGE_JSON = 'package.json';
const SUMMARY_PDF = 'summary.pdf';
/** Far more than a child's file; a bigger archive is not one of ours. */
const MOST_ENTRIES = 10_000;

/** One zip: package.json (the schema's JSON), summary.pdf, and files/ with each upload's bytes. */
export async function packArchive(built: BuiltPackage): Promise<Buffer> {
  const zip = new (jszip())();
  // A fixed date: the same package packs to the same bytes (the hash means something).
  const date = new Date(built.json.exportedAt);
  zip.file(PACKAGE_JSON, JSON.stringify(built.json, null, 2), { date });
  zip.file(SUMMARY_PDF, await renderTransferSummary(built.json), { date });
  for (const [path, bytes] of [...built.files].sort(([a], [b]) => a.localeCompare(b))) {
    zip.file(path, bytes, { date });
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/**
 * Reads an archive back: the package checked against the schema, every file present and
 * matching its SHA-256. Anything else is refused with what is wrong (never half-read).
 */
export async function unpackArchive(
  bytes: Buffer,
): Promise<{ json: TransferPackage; files: Map<string, Buffer> }> {
  let zip: JSZip;
  try {
    zip = await jszip().loadAsync(bytes, { checkCRC32: true });
  } catch {
    throw archiveInvalid('the archive is not a readable zip (truncated or damaged)');
  }
  if (Object.keys(zip.files).length > MOST_ENTRIES) throw archiveInvalid('too many entries');
  const entry = zip.file(PACKAGE_JSON);
  if (!entry) throw archiveInvalid('the archive has no package.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await entry.async('string'));
  } catch {
    throw archiveInvalid('package.json is not JSON');
  }
  const parsed = transferPackageSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw archiveInvalid(
      `package.json does not match the transfer format: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  const files = new Map<string, Buffer>();
  for (const record of parsed.data.records) {
    for (const f of record.files) {
      const file = zip.file(f.path);
      if (!file) throw archiveInvalid(`${f.path} is missing from the archive`);
      const content = await file.async('nodebuffer');
      if (createHash('sha256').update(content).digest('hex') !== f.sha256) {
        throw archiveInvalid(`${f.path} does not match its SHA-256`);
      }
      files.set(f.path, content);
    }
  }
  return { json: parsed.data, files };
}

function archiveInvalid(message: string): AppError {
  return new AppError('TRANSFER.ARCHIVE_INVALID', message);
}
