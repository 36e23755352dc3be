/**
 * Every limit on files kept with a record, in one place: the types a school needs for scanned
 * notes, letters and meeting minutes, how big, how named. Anything that runs code when opened
 * (executables, scripts, HTML, SVG, macro documents) or hides other files (archives) is refused.
 */

/** The kinds of file a record may hold. */
export type FileKind = 'pdf' | 'jpeg' | 'png' | 'heic' | 'docx' | 'xlsx' | 'odt' | 'txt';

/** One allowed kind: the extensions it may have and the content type it is stored and served as. */
export interface AllowedFileType {
  readonly kind: FileKind;
  /** Lower case, without the dot; the first is the usual one. */
  readonly extensions: readonly string[];
  /** Set from what the bytes are, never from what a client says. */
  readonly contentType: string;
  /** How staff know it, for the "what can I send?" message. */
  readonly label: string;
}

/**
 * The allowed types. Left out on purpose: legacy .doc/.xls (OLE compound files: the classic macro
 * carrier, and by their bytes indistinguishable from .msi installers without parsing them; Word
 * saves as .docx or PDF), macro-enabled Office files, RTF, HTML, SVG, archives and executables.
 */
export const ALLOWED_FILE_TYPES: readonly AllowedFileType[] = [
  { kind: 'pdf', extensions: ['pdf'], contentType: 'application/pdf', label: 'PDF' },
  {
    kind: 'docx',
    extensions: ['docx'],
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'Word (.docx)',
  },
  {
    kind: 'odt',
    extensions: ['odt'],
    contentType: 'application/vnd.oasis.opendocument.text',
    label: 'OpenDocument text (.odt)',
  },
  {
    kind: 'xlsx',
    extensions: ['xlsx'],
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    label: 'Excel (.xlsx)',
  },
  { kind: 'txt', extensions: ['txt'], contentType: 'text/plain', label: 'plain text (.txt)' },
  { kind: 'jpeg', extensions: ['jpg', 'jpeg'], contentType: 'image/jpeg', label: 'JPEG' },
  { kind: 'png', extensions: ['png'], contentType: 'image/png', label: 'PNG' },
  // iPhones save photos of paper notes as HEIC by default.
  { kind: 'heic', extensions: ['heic', 'heif'], contentType: 'image/heic', label: 'HEIC' },
];

/** Largest file kept: a scanned multi-page letter fits; a video does not. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Longest file name kept, in characters (the extension is kept when cutting). */
export const MAX_FILE_NAME_LENGTH = 200;

/** How far back the "which record is this for?" card looks. */
export const RECENT_RECORD_DAYS = 14;

/** How many records that card offers at most. */
export const RECENT_RECORD_LIMIT = 10;

/** Files taken from one message; more are ignored with a note (each is downloaded in turn). */
export const MAX_FILES_PER_MESSAGE = 5;

/** The allowed types in words, for messages that say what can be sent. */
export function describeAllowedTypes(): string {
  const labels = ALLOWED_FILE_TYPES.map((t) => t.label);
  const list = `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1] ?? ''}`;
  return `${list} files up to ${MAX_FILE_BYTES / (1024 * 1024)} MB`;
}
