import { AppError } from '../shared/errors';
import {
  ALLOWED_FILE_TYPES,
  MAX_FILE_BYTES,
  type AllowedFileType,
  type FileKind,
} from './file-limits';
import { extensionOf, sanitiseFileName } from './file-name';

/** A file that passed every check: its safe name and what its bytes really are. */
export interface CheckedFile {
  readonly name: string;
  readonly type: AllowedFileType;
}

/**
 * The allowed type a name's extension claims, refusing names whose extension is not allowed.
 * Cheap, so the bot checks it before downloading anything; the bytes are checked afterwards.
 */
export function allowedTypeForName(name: string): AllowedFileType {
  const extension = extensionOf(name);
  const type = ALLOWED_FILE_TYPES.find((t) => t.extensions.includes(extension));
  if (!type) {
    // The extension stays out of the message: "Letter re J. Smith" has the extension " Smith".
    throw new AppError('FILE.TYPE_NOT_ALLOWED', 'file extension not allowed');
  }
  return type;
}

/**
 * Checks a file by its name AND its bytes (never by a client's content type): the extension must
 * be allowed, the bytes must be that type, and documents must carry no macros or embedded
 * programs. Returns the sanitised name and the type to store it as.
 */
export function checkFile(rawName: string, bytes: Uint8Array): CheckedFile {
  const name = sanitiseFileName(rawName);
  const type = allowedTypeForName(name);
  if (bytes.byteLength === 0) throw new AppError('FILE.EMPTY', 'file is empty');
  if (bytes.byteLength > MAX_FILE_BYTES) {
    throw new AppError('FILE.TOO_LARGE', `file is ${bytes.byteLength} bytes`);
  }
  const sniffed = sniffFileKind(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (sniffed === 'active-content') {
    throw new AppError('FILE.ACTIVE_CONTENT', `${type.kind} holds macros or embedded programs`);
  }
  if (sniffed !== type.kind) {
    throw new AppError(
      'FILE.TYPE_MISMATCH',
      `named ${type.kind}, bytes are ${sniffed ?? 'unknown'}`,
    );
  }
  return { name, type };
}

/**
 * What a file's bytes are, among the allowed kinds: `active-content` for an Office or
 * OpenDocument file carrying macros, ActiveX or embedded OLE programs; undefined for anything
 * else (executables, HTML, SVG, archives, unknown binaries).
 */
export function sniffFileKind(bytes: Buffer): FileKind | 'active-content' | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (
    startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) &&
    bytes.toString('latin1', 12, 16) === 'IHDR'
  ) {
    return 'png';
  }
  if (isHeic(bytes)) return 'heic';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return zipDocumentKind(bytes);
  if (isPlainText(bytes)) return 'txt';
  return undefined;
}

function startsWith(bytes: Buffer, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);
}

// HEIF brands of HEVC-coded images (HEIC). AVIF and other ISO media (MP4, MOV) are not these.
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);

/** An ISO base media file whose `ftyp` box names a HEIC brand (major or compatible). */
function isHeic(bytes: Buffer): boolean {
  if (bytes.length < 16 || bytes.toString('latin1', 4, 8) !== 'ftyp') return false;
  const boxSize = bytes.readUInt32BE(0);
  if (boxSize < 16 || boxSize > 512 || boxSize > bytes.length || boxSize % 4 !== 0) return false;
  const brands = [bytes.toString('latin1', 8, 12)];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) {
    brands.push(bytes.toString('latin1', offset, offset + 4));
  }
  return brands.some((b) => HEIC_BRANDS.has(b));
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_SIZE = 22;

/**
 * The entry names in a ZIP's central directory (OOXML and OpenDocument files are ZIP packages),
 * read without inflating anything; undefined when malformed.
 */
function zipEntryNames(bytes: Buffer): string[] | undefined {
  if (bytes.length < EOCD_SIZE) return undefined;
  const earliest = Math.max(0, bytes.length - EOCD_SIZE - 0xffff);
  for (let eocd = bytes.length - EOCD_SIZE; eocd >= earliest; eocd--) {
    if (bytes.readUInt32LE(eocd) !== EOCD_SIGNATURE) continue;
    const count = bytes.readUInt16LE(eocd + 10);
    const size = bytes.readUInt32LE(eocd + 12);
    const start = bytes.readUInt32LE(eocd + 16);
    // 0xffff entries means ZIP64, which a document under 10 MB never needs.
    if (count === 0xffff || start + size > eocd) return undefined;
    const names: string[] = [];
    let at = start;
    for (let i = 0; i < count; i++) {
      if (at + 46 > eocd || bytes.readUInt32LE(at) !== CENTRAL_SIGNATURE) return undefined;
      const nameLength = bytes.readUInt16LE(at + 28);
      const extraLength = bytes.readUInt16LE(at + 30);
      const commentLength = bytes.readUInt16LE(at + 32);
      names.push(bytes.toString('utf8', at + 46, at + 46 + nameLength));
      at += 46 + nameLength + extraLength + commentLength;
    }
    return names;
  }
  return undefined;
}

// Parts that run code or carry programs: VBA macros, ActiveX controls, embedded OLE objects
// (the "packager" trick that hides an .exe in a letter), OpenDocument Basic and scripts.
const ACTIVE_PARTS = [
  /(^|\/)vbaProject\.bin$/i,
  /(^|\/)vbaData\.xml$/i,
  /(^|\/)activeX\//i,
  /(^|\/)embeddings\/oleObject[^/]*\.bin$/i,
  /^Basic\//,
  /^Scripts\//,
];

const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';

/** DOCX, XLSX or ODT by the parts the package holds; anything else in a ZIP is an archive. */
function zipDocumentKind(bytes: Buffer): FileKind | 'active-content' | undefined {
  const entries = zipEntryNames(bytes);
  if (!entries) return undefined;
  const names = new Set(entries);
  let kind: FileKind | undefined;
  if (names.has('[Content_Types].xml') && names.has('word/document.xml')) kind = 'docx';
  else if (names.has('[Content_Types].xml') && names.has('xl/workbook.xml')) kind = 'xlsx';
  else if (isOdt(bytes) && names.has('content.xml')) kind = 'odt';
  if (!kind) return undefined;
  if (entries.some((n) => ACTIVE_PARTS.some((pattern) => pattern.test(n)))) {
    return 'active-content';
  }
  return kind;
}

/** OpenDocument puts an uncompressed `mimetype` entry first, holding the document's type. */
function isOdt(bytes: Buffer): boolean {
  if (bytes.length < 30) return false;
  const method = bytes.readUInt16LE(8);
  const storedSize = bytes.readUInt32LE(18);
  const nameLength = bytes.readUInt16LE(26);
  const extraLength = bytes.readUInt16LE(28);
  const dataStart = 30 + nameLength + extraLength;
  return (
    method === 0 &&
    bytes.toString('latin1', 30, 30 + nameLength) === 'mimetype' &&
    storedSize === ODT_MIMETYPE.length &&
    bytes.toString('latin1', dataStart, dataStart + storedSize) === ODT_MIMETYPE
  );
}

// Control characters allowed in text: tab, line feed, vertical tab, form feed, carriage return.
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

function hasBinaryControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && !TEXT_CONTROLS.has(code)) || code === 0x7f) return true;
  }
  return false;
}

/**
 * Text a person wrote: UTF-8, UTF-16 with a byte order mark, or a legacy 8-bit encoding (Notepad
 * used to save Windows-1252), with no binary control characters. Text that starts like markup or
 * a script (`<`, `#!`) is refused: a browser could sniff it as HTML or SVG.
 */
function isPlainText(bytes: Buffer): boolean {
  const text = decodeText(bytes);
  if (text === undefined || hasBinaryControl(text)) return false;
  const start = text.replace(/^\ufeff/, '').trimStart();
  return !start.startsWith('<') && !start.startsWith('#!');
}

function decodeText(bytes: Buffer): string | undefined {
  try {
    if (startsWith(bytes, [0xff, 0xfe]))
      return new TextDecoder('utf-16le', { fatal: true }).decode(bytes);
    if (startsWith(bytes, [0xfe, 0xff]))
      return new TextDecoder('utf-16be', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}
