import type { Readable } from 'node:stream';
import type { SchoolScope } from '../shared/school-scope';

/** Who uploaded a file, as our staff directory names them (never as a client says). */
interface FileUploader {
  readonly aadObjectId: string;
  readonly displayName: string;
}

/** A file to store: already checked (name sanitised, type from its bytes, size within limits). */
export interface NewFile extends SchoolScope {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  readonly uploadedBy: FileUploader;
  readonly uploadedAt: Date;
}

/** A completely written file's metadata; the bytes are fetched separately and verified. */
export interface StoredFile extends SchoolScope {
  readonly fileId: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  /** Hex SHA-256 of the bytes, checked on every read: a record's files must be usable as evidence. */
  readonly sha256: string;
  readonly uploadedBy: FileUploader;
  readonly uploadedAt: Date;
}

/**
 * Where file bytes live (MongoDB chunks or a local directory), behind one interface so the
 * deployment chooses. Every read is scoped to one school and verified against the SHA-256 taken
 * when the file was stored; a half-written file is never served.
 */
export interface FileStore {
  /** Stores the bytes under a fresh id; readable only once every byte is written. */
  put(file: NewFile): Promise<StoredFile>;
  /** A complete file's metadata within the school, or undefined. */
  metadata(scope: SchoolScope, fileId: string): Promise<StoredFile | undefined>;
  /** The bytes, verified; throws FILE.NOT_FOUND or FILE.CORRUPT. */
  getBuffer(scope: SchoolScope, fileId: string): Promise<Buffer>;
  /**
   * The bytes as a stream for large responses. Verification needs every byte, so a corrupt file
   * is reported by the stream failing with FILE.CORRUPT at its end: treat a stream error as failure.
   */
  getStream(scope: SchoolScope, fileId: string): Promise<Readable>;
  /**
   * Destroys a file (disposal by crypto-shredding, src/retention): its wrapped data key and its
   * ciphertext are deleted and any cached data key forgotten. True when there was one to destroy.
   */
  shred(scope: SchoolScope, fileId: string): Promise<boolean>;
}

/**
 * A file added to a record: an append-only entry of its own (the record stays immutable), dated
 * and naming who uploaded it, so the record's chronology shows each upload.
 */
export interface IncidentFileEntry extends SchoolScope {
  readonly incidentId: string;
  readonly fileId: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  readonly uploadedBy: FileUploader;
  /** When the file reached us. */
  readonly uploadedAt: Date;
  /** When it was added to the record (a moment later, once the uploader chose the record). */
  readonly attachedAt: Date;
}
