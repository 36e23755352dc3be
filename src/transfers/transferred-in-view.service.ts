import { decideRecordAccess, type AccessActor, type RecordOperation } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import { AppError } from '../shared/errors';
import type { TransferPackage } from './transfer-package.schema';
import { provenanceOf, TRANSFERRED_IN_RECORDER } from './transferred-in-chronology';
import type { TransferredIn, TransferredInRepository } from './transferred-in.repository';

/** One record another school sent, as it arrived, with where it came from. */
export interface TransferredRecordView {
  readonly packageId: string;
  readonly pupilId: string;
  readonly fromSchool: string;
  readonly exportedAt: Date;
  readonly receivedAt: Date;
  readonly importedByName: string;
  /** "transferred in from …, original reference …, received …". */
  readonly provenance: string;
  readonly record: TransferPackage['records'][number];
  /** Other children this record names at the sending school: for the DSL to consider. */
  readonly otherPupilsNamed: readonly { displayName: string; note: string }[];
}

/**
 * Reading what arrived: the same policy as the pupil's own records, with no one at this school
 * tied to them but the pupil. The team reads them after step-up; a conflict of interest over the
 * pupil refuses (and is audited); anyone else is told there is no such record. Every read and
 * every file downloaded is audited.
 */
export class TransferredInViewService {
  constructor(
    private readonly deps: {
      readonly store: Pick<TransferredInRepository, 'find' | 'fileBytes'>;
      readonly audit: AuditTrail;
    },
  ) {}

  async viewRecord(
    actor: AccessActor,
    packageId: string,
    incidentId: string,
    requestId?: string,
  ): Promise<TransferredRecordView> {
    const pkg = await this.allowed(actor, packageId, 'viewNarrative', requestId);
    const record = pkg.package.records.find((r) => r.incidentId === incidentId);
    if (!record) throw notFound();
    await this.deps.audit.record(
      auditEvent(
        actor,
        'transfer.record-view',
        { kind: 'pupil', id: pkg.pupilId },
        { reason: `package ${packageId}, record ${incidentId}`.slice(0, 300), requestId },
      ),
    );
    return {
      packageId,
      pupilId: pkg.pupilId,
      fromSchool: pkg.fromSchool,
      exportedAt: pkg.exportedAt,
      receivedAt: pkg.importedAt,
      importedByName: pkg.importedBy.displayName,
      provenance: provenanceOf(pkg, record.reference),
      record,
      otherPupilsNamed: pkg.package.otherPupilsNamed
        .filter((o) => o.incidentIds.includes(incidentId))
        .map((o) => ({ displayName: o.displayName, note: o.note })),
    };
  }

  /** A file of a transferred record, verified against the SHA-256 the sending school gave. */
  async file(
    actor: AccessActor,
    packageId: string,
    incidentId: string,
    fileId: string,
    requestId?: string,
  ): Promise<{ name: string; bytes: Buffer }> {
    const pkg = await this.allowed(actor, packageId, 'viewNarrative', requestId);
    const sent = pkg.package.records
      .find((r) => r.incidentId === incidentId)
      ?.files.find((f) => f.fileId === fileId);
    if (!sent) throw notFound();
    const bytes = await this.deps.store.fileBytes(actor, packageId, sent.path);
    if (!bytes) throw notFound();
    await this.deps.audit.record(
      auditEvent(
        actor,
        'transfer.file-download',
        { kind: 'pupil', id: pkg.pupilId },
        { reason: `package ${packageId}, file ${fileId}`.slice(0, 300), requestId },
      ),
    );
    return { name: sent.name, bytes };
  }

  private async allowed(
    actor: AccessActor,
    packageId: string,
    operation: RecordOperation,
    requestId?: string,
  ): Promise<TransferredIn> {
    const pkg = await this.deps.store.find(actor, packageId);
    if (!pkg) throw notFound();
    const decision = decideRecordAccess(
      actor,
      {
        tenantId: pkg.tenantId,
        schoolId: pkg.schoolId,
        recordedByAadObjectId: TRANSFERRED_IN_RECORDER,
        pupilIds: [pkg.pupilId],
        alertedAadObjectIds: [],
        invitedAadObjectIds: [],
        teamOnly: false,
      },
      operation,
    );
    if (decision.allowed) return pkg;
    if (decision.reason === 'step-up-required') {
      throw new AppError('ACCESS.STEP_UP_REQUIRED', 'a recent second factor is needed');
    }
    await this.deps.audit.record(
      auditEvent(
        actor,
        'access.denied',
        { kind: 'pupil', id: pkg.pupilId },
        { reason: `transferred-in:${decision.reason}`, requestId },
      ),
    );
    // Someone with no part in the pupil's records is not told they exist.
    if (decision.reason === 'no-relationship') throw notFound();
    throw new AppError('ACCESS.DENIED', `access denied: ${decision.reason}`);
  }
}

function notFound(): AppError {
  return new AppError('TRANSFER.NOT_FOUND', 'no such transferred record at this school');
}
