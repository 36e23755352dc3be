import { decideRecordAccess, recordAccessFacts, type AccessActor } from '../access';
import type { RecordOperation } from '../access';
import type { AuditTrail } from '../audit';
import type { Incident } from '../incidents';
import type { Category } from '../schools';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';

/** What access to a record depends on, read from the store by the app. */
export interface ActionRecords {
  findIncident(scope: SchoolScope, incidentId: string): Promise<Incident | undefined>;
  /** Everyone the record's alerts were addressed to (the outbox). */
  alertedTo(scope: SchoolScope, incidentId: string): Promise<string[]>;
  listCategories(scope: SchoolScope): Promise<Category[]>;
}

/**
 * Loads a record and asks the one access policy whether the actor may do `operation` to it; a
 * refusal is audited (access.denied, with the policy's reason) and thrown as ACCESS.DENIED. A
 * record of another school is "not found", so ids cannot be probed across schools.
 */
export async function authoriseOnRecord(
  deps: {
    records: ActionRecords;
    invitedTo(scope: SchoolScope, incidentIds: readonly string[]): Promise<Map<string, string[]>>;
    audit: AuditTrail;
  },
  actor: AccessActor,
  incidentId: string,
  operation: RecordOperation,
  requestId?: string,
): Promise<{ incident: Incident; categories: Category[] }> {
  const incident = await deps.records.findIncident(actor, incidentId);
  if (!incident) throw new AppError('ACTION.RECORD_NOT_FOUND', 'no such record at this school');
  const [alerted, invited, categories] = await Promise.all([
    deps.records.alertedTo(incident, incidentId),
    deps.invitedTo(incident, [incidentId]),
    deps.records.listCategories(incident),
  ]);
  const facts = recordAccessFacts(incident, {
    alertedAadObjectIds: alerted,
    invitedAadObjectIds: invited.get(incidentId) ?? [],
    teamOnlyCategoryIds: new Set(categories.filter((c) => c.teamOnly).map((c) => c.categoryId)),
  });
  const decision = decideRecordAccess(actor, facts, operation);
  if (!decision.allowed) {
    await deps.audit.record({
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      actorAadObjectId: actor.aadObjectId,
      action: 'access.denied',
      target: { kind: 'incident', id: incidentId },
      reason: `${operation}:${decision.reason}`,
      ...(requestId ? { requestId } : {}),
    });
    throw new AppError('ACCESS.DENIED', `${operation} refused: ${decision.reason}`);
  }
  return { incident, categories };
}

/** The record's category names for cards, in the record's order. */
export function categoryNamesOf(incident: Incident, categories: readonly Category[]): string[] {
  const names = new Map(categories.map((c) => [c.categoryId, c.name]));
  return incident.categoryIds.map((id) => names.get(id) ?? id);
}
