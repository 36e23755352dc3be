import { MAX_FILE_NAME_LENGTH } from './file-limits';

// Control characters (C0, DEL, C1), format characters (bidi overrides that make "gpj.exe" read as
// "exe.jpg", zero-width joiners) and line/paragraph separators never belong in a name.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
// Characters Windows refuses in names; replaced so a name still reads the same when downloaded.
const RESERVED = /[<>:"|?*]/g;
// An extension longer than this is more likely part of the name than an extension.
const MAX_EXTENSION_LENGTH = 16;

/**
 * A file name safe to store and show: the last path segment only (no `/` or `\`), no control or
 * invisible characters, no leading dots, at most MAX_FILE_NAME_LENGTH characters with the
 * extension kept. Never empty.
 */
export function sanitiseFileName(raw: string): string {
  const lastSegment = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = lastSegment
    .replace(/\t/g, ' ')
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    .replace(/\s+/gu, ' ')
    // Leading dots make hidden files or "..", trailing dots and spaces vanish on Windows.
    .replace(/^[.\s]+/u, '')
    .replace(/[.\s]+$/u, '');
  return truncateName(cleaned || 'file');
}

/** The extension of a (sanitised) name, lower case without the dot, or '' when there is none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function truncateName(name: string): string {
  // Count code points, not UTF-16 units, so an emoji is never cut in half.
  const chars = Array.from(name);
  if (chars.length <= MAX_FILE_NAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const suffix = dot > 0 ? Array.from(name.slice(dot)) : [];
  const keep = suffix.length > 1 && suffix.length <= MAX_EXTENSION_LENGTH + 1 ? suffix : [];
  const stem = chars
    .slice(0, MAX_FILE_NAME_LENGTH - keep.length)
    .join('')
    .replace(/[.\s]+$/u, '');
  return `${stem}${keep.join('')}`;
}
