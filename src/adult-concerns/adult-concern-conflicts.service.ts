import { auditEvent, type AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { Actor } from '../staff';
import type { AdultConcernConflictRepository } from './adult-concern-conflict.repository';
import { subjectKeyOf } from './adult-concern-keys';

/** Declared conflicts of interest in the allegations process (who must never see a concern). */
export class AdultConcernConflicts {
  constructor(
    private readonly deps: {
      readonly conflicts: AdultConcernConflictRepository;
      readonly audit: AuditTrail;
      readonly clock: Clock;
    },
  ) {}

  /**
   * Records that a member of staff has a conflict of interest with an adult in the directory. A
   * person declares their own; the head, the named deputy, the chair or an admin may record one.
   */
  async declareConflict(
    actor: Actor,
    declaration: { aadObjectId: string; subjectAadObjectId: string },
  ): Promise<void> {
    const mayRecord = actor.roles.some((r) =>
      ['head', 'allegations-deputy', 'chair-of-governors', 'admin'].includes(r),
    );
    if (declaration.aadObjectId !== actor.aadObjectId && !mayRecord) {
      throw new AppError('ACCESS.DENIED', 'only the person or a case manager declares a conflict');
    }
    await this.deps.conflicts.declare({
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      aadObjectId: declaration.aadObjectId.toLowerCase(),
      subjectKey: subjectKeyOf(declaration.subjectAadObjectId.toLowerCase(), ''),
      declaredAt: this.deps.clock.now(),
      declaredBy: actor.aadObjectId,
    });
    await this.deps.audit.record(
      auditEvent(actor, 'adult-concern.conflict-declared', {
        kind: 'school',
        id: actor.schoolId,
      }),
    );
  }
}
