import type { Clock } from '../shared/clock';
import { AppError, isDuplicateKeyError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import type { Actor } from '../staff';
import { RECENT_RECORD_DAYS, RECENT_RECORD_LIMIT } from './file-limits';
import { checkFile } from './file-type';
import type { FileStore, IncidentFileEntry, StoredFile } from './file.types';

/** A record as the file feature needs it: enough to check who made it and to name it. */
export interface RecordHeader {
  readonly incidentId: string;
  readonly reference: string;
  readonly recordedAt: Date;
  readonly recordedBy: { readonly aadObjectId: string };
}

/** A record offered for a file: reference and date only, never a name or narrative. */
export interface RecordSummary {
  readonly incidentId: string;
  readonly reference: string;
  readonly recordedAt: Date;
}

/** The records this feature reads (IncidentRepository provides both). */
export interface RecordLookup {
  findById(scope: SchoolScope, incidentId: string): Promise<RecordHeader | undefined>;
  listRecordedBy(
    scope: SchoolScope,
    aadObjectId: string,
    since: Date,
    limit: number,
  ): Promise<readonly RecordSummary[]>;
}

/** Storage for the append-only "file on a record" entries. */
export interface IncidentFileStore {
  insert(entry: IncidentFileEntry): Promise<void>;
  findByFileId(scope: SchoolScope, fileId: string): Promise<IncidentFileEntry | undefined>;
  listForIncident(scope: SchoolScope, incidentId: string): Promise<IncidentFileEntry[]>;
}

/** The outcome of attaching: `created` is false when this file was already on this record. */
export interface AttachResult {
  readonly entry: IncidentFileEntry;
  readonly reference: string;
  readonly created: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Files on a record, independent of Teams: a file is checked and stored first (pending, on no
 * record), then added to a record by an append-only entry, so the record itself never changes.
 * For now only the record's own recorder may add or list its files; the access-policy work will
 * widen this to the safeguarding team.
 */
export class RecordFileService {
  constructor(
    private readonly files: Pick<FileStore, 'put' | 'metadata'>,
    private readonly entries: IncidentFileStore,
    private readonly records: RecordLookup,
    private readonly clock: Clock,
  ) {}

  /** The actor's own records from the last 14 days, newest first, to choose one for a file. */
  async recentRecords(actor: Actor): Promise<RecordSummary[]> {
    const since = new Date(this.clock.now().getTime() - RECENT_RECORD_DAYS * DAY_MS);
    const records = await this.records.listRecordedBy(
      actor,
      actor.aadObjectId,
      since,
      RECENT_RECORD_LIMIT,
    );
    return records.map((r) => ({
      incidentId: r.incidentId,
      reference: r.reference,
      recordedAt: r.recordedAt,
    }));
  }

  /**
   * Checks a received file (allowed type by name and bytes, size, name) and stores it, not yet on
   * any record. Throws FILE.TYPE_NOT_ALLOWED, FILE.TYPE_MISMATCH, FILE.ACTIVE_CONTENT,
   * FILE.TOO_LARGE or FILE.EMPTY, and then nothing is stored.
   */
  async storePending(
    actor: Actor,
    upload: { name: string; bytes: Uint8Array },
  ): Promise<StoredFile> {
    const checked = checkFile(upload.name, upload.bytes);
    return this.files.put({
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      name: checked.name,
      contentType: checked.type.contentType,
      bytes: upload.bytes,
      uploadedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      uploadedAt: this.clock.now(),
    });
  }

  /**
   * Adds the actor's pending file to one of their records, once: a repeated click answers with
   * the same entry. A file goes on one record only.
   */
  async attach(actor: Actor, fileId: string, incidentId: string): Promise<AttachResult> {
    const record = await this.ownRecord(actor, incidentId);
    const file = await this.files.metadata(actor, fileId);
    if (!file) throw new AppError('FILE.NOT_FOUND', `no pending file ${fileId}`);
    // A file id alone is no permission: it must be the actor's own upload.
    if (file.uploadedBy.aadObjectId !== actor.aadObjectId) {
      throw new AppError('FILE.ACCESS_DENIED', 'file was uploaded by someone else');
    }
    const existing = await this.entries.findByFileId(actor, fileId);
    if (existing) return this.sameRecord(existing, record);

    const entry: IncidentFileEntry = {
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      incidentId: record.incidentId,
      fileId: file.fileId,
      name: file.name,
      size: file.size,
      contentType: file.contentType,
      uploadedBy: { ...file.uploadedBy },
      uploadedAt: file.uploadedAt,
      attachedAt: this.clock.now(),
    };
    try {
      await this.entries.insert(entry);
      return { entry, reference: record.reference, created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // Two clicks raced: the other inserted first.
      const raced = await this.entries.findByFileId(actor, fileId);
      if (!raced) throw error;
      return this.sameRecord(raced, record);
    }
  }

  /** The files on one of the actor's records, oldest first. */
  async listFiles(actor: Actor, incidentId: string): Promise<IncidentFileEntry[]> {
    const record = await this.ownRecord(actor, incidentId);
    return this.entries.listForIncident(actor, record.incidentId);
  }

  private async ownRecord(actor: Actor, incidentId: string): Promise<RecordHeader> {
    const record = await this.records.findById(actor, incidentId);
    if (!record) throw new AppError('FILE.RECORD_NOT_FOUND', `no record ${incidentId} at school`);
    if (record.recordedBy.aadObjectId !== actor.aadObjectId) {
      throw new AppError('FILE.ACCESS_DENIED', 'only the recorder may add files for now');
    }
    return record;
  }

  private sameRecord(existing: IncidentFileEntry, record: RecordHeader): AttachResult {
    if (existing.incidentId !== record.incidentId) {
      throw new AppError('FILE.ALREADY_ATTACHED', `file ${existing.fileId} is on another record`);
    }
    return { entry: existing, reference: record.reference, created: false };
  }
}
