import type { SchoolScope } from '../shared/school-scope';
import type { AuditEventInput } from './audit.types';

/** Who did it, as every feature knows them: their school and their Entra object id. */
type AuditActor = SchoolScope & { readonly aadObjectId: string };

/**
 * One audit event in the trail's shape: the actor's school, what they did, to what (ids only),
 * and why and in which request when known (an empty reason or request id is left out).
 */
export function auditEvent(
  actor: AuditActor,
  action: AuditEventInput['action'],
  target: AuditEventInput['target'],
  extra: { readonly reason?: string | undefined; readonly requestId?: string | undefined } = {},
): AuditEventInput {
  return {
    tenantId: actor.tenantId,
    schoolId: actor.schoolId,
    actorAadObjectId: actor.aadObjectId,
    action,
    target,
    ...(extra.reason ? { reason: extra.reason } : {}),
    ...(extra.requestId ? { requestId: extra.requestId } : {}),
  };
}
