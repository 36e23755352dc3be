import type { AccessActor } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import { AppError } from '../shared/errors';
import { isSafeguardingTeam } from '../staff';

/**
 * Who may work on retention: the safeguarding team only, after a recent second factor (the due
 * list names pupils, holds and disposals are irreversible in effect). Refusals are audited; the
 * rest of the school gets ACCESS.DENIED, as for subject access requests.
 */
export async function authorizeRetention(
  audit: AuditTrail,
  actor: AccessActor,
  operation: string,
  requestId?: string,
): Promise<void> {
  if (!isSafeguardingTeam(actor.roles)) {
    await audit.record(
      auditEvent(
        actor,
        'access.denied',
        { kind: 'school', id: actor.schoolId },
        { reason: `${operation}:team-only`, requestId },
      ),
    );
    throw new AppError('ACCESS.DENIED', 'retention is for the safeguarding team');
  }
  if (!actor.steppedUp) {
    throw new AppError('ACCESS.STEP_UP_REQUIRED', 'retention needs a recent second factor');
  }
}

/** Parses input as unknown through a schema; the first problem, in words, as RETENTION.INVALID. */
export function parseOrInvalid<T>(
  schema: {
    safeParse(
      raw: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
  },
  raw: unknown,
): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('RETENTION.INVALID', parsed.error.issues[0]?.message ?? 'Not valid.');
  }
  return parsed.data;
}
