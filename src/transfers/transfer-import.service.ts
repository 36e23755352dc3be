import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AccessActor } from '../access';
import type { ActionAlerts } from '../alerts';
import { auditEvent, type AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import type { StaffMember } from '../staff';
import { unpackArchive } from './transfer-archive';
import { authorizeTransfer } from './transfer-access';
import { openArchive } from './transfer-envelope';
import type { TransferredInRepository } from './transferred-in.repository';

/** The team's import: the file as received, its one-time code, and which of our pupils it is. */
const importSchema = z.object({
  pupilId: z.string().min(1).max(64),
  code: z.string().trim().min(1, 'type the one-time code').max(64),
  /** The encrypted file (.sgx), base64. */
  envelope: z.string().min(1, 'attach the file').max(14_000_000),
});

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
  readonly store: Pick<TransferredInRepository, 'insert'>;
  readonly pupils: { getPupil(scope: SchoolScope, pupilId: string): Promise<unknown> };
  readonly staff: {
    listSafeguardingTeam(scope: SchoolScope): Promise<StaffMember[]>;
    listActiveStaff(scope: SchoolScope, limit?: number): Promise<StaffMember[]>;
  };
  readonly alerts: Pick<ActionAlerts, 'queueForActionClock'>;
  readonly audit: AuditTrail;
  readonly clock: Clock;
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

  async importPackage(
    actor: AccessActor,
    raw: unknown,
    requestId?: string,
  ): Promise<ImportedPackage> {
    const parsed = importSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('TRANSFER.INVALID', parsed.error.issues[0]?.message ?? 'invalid import');
    }
    const { pupilId, code, envelope } = parsed.data;
    await authorizeTransfer(this.deps.audit, actor, { pupilId }, 'import', requestId);
    if (!(await this.deps.pupils.getPupil(actor, pupilId))) {
      throw new AppError('CHRONOLOGY.PUPIL_NOT_FOUND', 'no such pupil at this school');
    }
    const { json, files } = await unpackArchive(
      await openArchive(Buffer.from(envelope, 'base64'), code),
    );
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
    const summary: ImportedPackage = {
      imported,
      packageId: json.packageId,
      fromSchool: json.from.schoolName,
      records: json.records.length,
      versions: json.records.reduce((n, r) => n + 1 + r.amendments.length, 0),
      actions: json.records.reduce((n, r) => n + r.actions.length, 0),
      files: files.size,
      otherPupilsNamed: json.otherPupilsNamed.length,
      sen: json.flags.sen,
    };
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
