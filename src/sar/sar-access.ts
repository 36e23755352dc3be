import type { AccessActor } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import { AppError } from '../shared/errors';
import { isSafeguardingTeam } from '../staff';

/**
 * Who may work on subject access requests: the safeguarding team only (the DSL answers them),
 * never about a pupil they have a conflict of interest with; the bundle and the response, which
 * hold the child's records, need a recent second factor too. Refusals are audited.
 */
export async function authorizeSar(
  audit: AuditTrail,
  actor: AccessActor,
  what: { pupilId: string; operation: string; stepUp: boolean },
  requestId?: string,
): Promise<void> {
  const deny = async (reason: string) =>
    audit.record(
      auditEvent(
        actor,
        'access.denied',
        // The register as a whole is the school's; a request is about its pupil.
        what.pupilId === ''
          ? { kind: 'school', id: actor.schoolId }
          : { kind: 'pupil', id: what.pupilId.slice(0, 100) },
        { reason: `${what.operation}:${reason}`, requestId },
      ),
    );
  if (!isSafeguardingTeam(actor.roles)) {
    await deny('team-only');
    throw new AppError('ACCESS.DENIED', 'subject access requests are for the safeguarding team');
  }
  if (what.pupilId !== '' && actor.conflictPupilIds.includes(what.pupilId)) {
    await deny('conflict-of-interest');
    throw new AppError('ACCESS.DENIED', 'conflict of interest with the pupil');
  }
  if (what.stepUp && !actor.steppedUp) {
    throw new AppError('ACCESS.STEP_UP_REQUIRED', 'the bundle needs a recent second factor');
  }
}
