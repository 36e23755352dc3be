import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AccessActor } from '../access';
import type { ActionAlerts } from '../alerts';
import { auditEvent, type AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import type { Pupil } from '../pupils';
import type { StaffMember } from '../staff';
import { unpackArchive } from './transfer-archive';
import { authorizeTransfer } from './transfer-access';
import { openArchive } from './transfer-envelope';
import type { TransferPackage } from './transfer-package.schema';
import { proposePupils, type PupilProposal } from './transfer-pupil-match';
import type { TransferredInRepository } from './transferred-in.repository';

/**
 * The team's upload: the file as received (the encrypted .sgx with its one-time code, or the
 * opened .zip when it came through the local authority's secure transfer), and, to import, which
 * of our pupils it is (MIS ids differ between schools: the team confirms, it is never guessed).
 */
const uploadSchema = z.object({
  pupilId: z.string().min(1).max(64).optional(),
  code: z.string().trim().max(64).optional(),
  /** The file, base64 (the route's own body limit bounds it: TRANSFER_IMPORT_MAX_BYTES). */
  envelope: z.string().min(1, 'attach the file'),
});

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** What an import did. */
export interface ImportedPackage {
  readonly imported: boolean;
  readonly packageId: string;
  readonly fromSchool: string;
  readonly records: number;
  readonly versions: number;
  readonly actions: number;
  readonly files: number;
  readonly otherPupilsNamed: number;
  readonly sen: boolean;
}

/** What importing reads and whom it tells. */
export interface TransferImportDeps {
  readonly store: Pick<TransferredInRepository, 'insert' | 'has' | 'find'>;
  readonly pupils: {
    getPupil(scope: SchoolScope, pupilId: string): Promise<Pupil | undefined>;
    listRoll(scope: SchoolScope): Promise<Pupil[]>;
  };
  readonly staff: {
    listSafeguardingTeam(scope: SchoolScope): Promise<StaffMember[]>;
    listActiveStaff(scope: SchoolScope, limit?: number): Promise<StaffMember[]>;
  };
  readonly alerts: Pick<ActionAlerts, 'queueForActionClock'>;
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

/** What the team sees before importing: the package's summary, and whom it may be on our roll. */
export interface CheckedPackage {
  readonly summary: ImportedPackage;
  readonly exportedAt: string;
  readonly sentPupil: TransferPackage['pupil'];
  readonly proposals: readonly PupilProposal[];
  readonly alreadyImported: boolean;
}

/** A SENCO is found by job title (there is no SENCO role): "SENCo", "SENDCo", "SENCO". */
const SENCO = /\bSEND?CO\b/i;

/**
 * The receiving school's side: the team (after step-up) imports a package a school running this
 * system sent. Everything is checked first (the code, the envelope, the schema, every file's
 * SHA-256) and nothing is kept on any error; the same package again changes nothing. The records
 * are kept as they arrived, with their original references and the sending school, sealed and
 * immutable; the team (and the SENCO when the package flags SEN) is told at once.
 */
export class TransferImportService {
  constructor(private readonly deps: TransferImportDeps) {}

  /**
   * Opens and checks an upload without keeping anything: what it holds, and the pupils on our
   * roll it may belong to (by UPN, or name and date of birth), for the team to confirm.
   */
  async checkPackage(
    actor: AccessActor,
    raw: unknown,
    requestId?: string,
  ): Promise<CheckedPackage> {
    const upload = parseUpload(raw);
    await authorizeTransfer(this.deps.audit, actor, {}, 'import-check', requestId);
    const { json, files } = await opened(upload);
    const summary = summaryOf(json, files.size, false);
    const roll = (await this.deps.pupils.listRoll(actor)).filter(
      (p) => !actor.conflictPupilIds.includes(p.pupilId),
    );
    await this.deps.audit.record(
      auditEvent(
        actor,
        'transfer.import-check',
        { kind: 'transfer', id: json.packageId.slice(0, 200) },
        { reason: `package from ${json.from.schoolId}, ${summary.records} records`, requestId },
      ),
    );
    return {
      summary,
      exportedAt: json.exportedAt,
      sentPupil: json.pupil,
      proposals: proposePupils(json.pupil, roll),
      alreadyImported: await this.deps.store.has(actor, json.packageId),
    };
  }

  async importPackage(
    actor: AccessActor,
    raw: unknown,
    requestId?: string,
  ): Promise<ImportedPackage> {
    const upload = parseUpload(raw);
    const pupilId = upload.pupilId;
    if (!pupilId) {
      throw new AppError('TRANSFER.INVALID', 'choose the pupil on your roll this file is for');
    }
    await authorizeTransfer(this.deps.audit, actor, { pupilId }, 'import', requestId);
    if (!(await this.deps.pupils.getPupil(actor, pupilId))) {
      throw new AppError('CHRONOLOGY.PUPIL_NOT_FOUND', 'no such pupil at this school');
    }
    const { json, files } = await opened(upload);
    // Already here for another child: say so rather than answer "imported" for the wrong one.
    const earlier = await this.deps.store.find(actor, json.packageId);
    if (earlier && earlier.pupilId !== pupilId) {
      throw new AppError(
        'TRANSFER.INVALID',
        'this file was already imported for another pupil on your roll; nothing was changed',
      );
    }
    const now = this.deps.clock.now();
    const imported = await this.deps.store.insert({
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      packageId: json.packageId,
      pupilId,
      fromSchool: json.from.schoolName,
      exportedAt: new Date(json.exportedAt),
      importedAt: now,
      importedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      package: json,
      files,
    });
    const summary = summaryOf(json, files.size, imported);
    if (!imported) return summary;
    await this.deps.audit.record(
      auditEvent(
        actor,
        'transfer.import',
        { kind: 'pupil', id: pupilId },
        {
          reason: `package from ${json.from.schoolId}, ${summary.records} records`,
          requestId,
        },
      ),
    );
    await this.tellTeam(actor, pupilId, summary, now);
    return summary;
  }

  /** The team (but anyone conflicted over the pupil), and the SENCO when the package flags SEN. */
  private async tellTeam(actor: AccessActor, pupilId: string, summary: ImportedPackage, now: Date) {
    const team = await this.deps.staff.listSafeguardingTeam(actor);
    const sencos = summary.sen
      ? (await this.deps.staff.listActiveStaff(actor, 500)).filter((m) =>
          SENCO.test(m.jobTitle ?? ''),
        )
      : [];
    const recipients = [
      ...new Set(
        [...team, ...sencos]
          .filter((m) => m.active && !m.conflictPupilIds.includes(pupilId))
          .map((m) => m.aadObjectId),
      ),
    ];
    const id = `ti-${createHash('sha256').update(`${actor.tenantId}|${actor.schoolId}|${summary.packageId}`).digest('hex').slice(0, 32)}`;
    await this.deps.alerts.queueForActionClock(
      {
        tenantId: actor.tenantId,
        schoolId: actor.schoolId,
        incidentId: id,
        reference: `From ${summary.fromSchool}`.slice(0, 200),
        actionId: id,
        sequence: 1,
        kind: 'transfer-in',
        author: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
        recordedAt: now,
        categoryNames: [],
      },
      'transfer-arrived',
      recipients,
      now,
    );
  }
}

function parseUpload(raw: unknown): z.infer<typeof uploadSchema> {
  const parsed = uploadSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('TRANSFER.INVALID', parsed.error.issues[0]?.message ?? 'invalid import');
  }
  return parsed.data;
}

/** The archive inside the upload: a zip as it is, an envelope opened with its code. */
async function opened(upload: z.infer<typeof uploadSchema>) {
  const bytes = Buffer.from(upload.envelope, 'base64');
  if (bytes.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) return unpackArchive(bytes);
  if (!upload.code) {
    throw new AppError('TRANSFER.INVALID', 'type the one-time code that came with the file');
  }
  return unpackArchive(await openArchive(bytes, upload.code));
}

function summaryOf(json: TransferPackage, files: number, imported: boolean): ImportedPackage {
  return {
    imported,
    packageId: json.packageId,
    fromSchool: json.from.schoolName,
    records: json.records.length,
    versions: json.records.reduce((n, r) => n + 1 + r.amendments.length, 0),
    actions: json.records.reduce((n, r) => n + r.actions.length, 0),
    files,
    otherPupilsNamed: json.otherPupilsNamed.length,
    sen: json.flags.sen,
  };
}
