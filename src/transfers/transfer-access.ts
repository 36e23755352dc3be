import type { AccessActor } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import { AppError } from '../shared/errors';
import { isSafeguardingTeam } from '../staff';

/**
 * Only the safeguarding team, after step-up, builds, sends or opens a transfer: a refusal is
 * audited (denials of the team-only rule; step-up is asked for, not denied). A member of the team
 * with a conflict of interest over the pupil is refused that pupil's transfer.
 */
export async function authorizeTransfer(
  audit: AuditTrail,
  actor: AccessActor,
  target: { pupilId?: string; transferId?: string },
  what: string,
  requestId?: string,
): Promise<void> {
  const id = (target.transferId ?? target.pupilId ?? 'transfers').slice(0, 200);
  const deny = async (reason: string) => {
    await audit.record(
      auditEvent(
        actor,
        'access.denied',
        { kind: 'transfer', id },
        {
          reason: `transfer-${what}:${reason}`,
          requestId,
        },
      ),
    );
    throw new AppError('ACCESS.DENIED', 'transfers are for the safeguarding team');
  };
  if (!isSafeguardingTeam(actor.roles)) await deny('team-only');
  if (!actor.steppedUp) {
    throw new AppError('ACCESS.STEP_UP_REQUIRED', 'transfers need a recent second factor');
  }
  if (target.pupilId && actor.conflictPupilIds.includes(target.pupilId)) {
    await deny('conflict-of-interest');
  }
}
