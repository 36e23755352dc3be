import { randomUUID } from 'node:crypto';
import type { AccessActor } from '../access';
import type { AuditTrail } from '../audit';
import type { DomainEvents } from '../events';
import type { Clock } from '../shared/clock';
import { AppError, isDuplicateKeyError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { amendmentRequestSchema, type AmendmentRequest } from './amendment.schemas';
import type { AmendmentChanges, IncidentAmendment } from './amendment.types';
import type { IncidentDirectory } from './incident.service';
import type { Incident } from './incident.types';
import { auditEvent, type ChangeAuditRecovery } from '../audit';
import { amendmentChange, amendReason } from './amendment-audit';

/** Storage the amendments need (AmendmentRepository provides it). */
export interface AmendmentStore {
  insert(amendment: IncidentAmendment): Promise<void>;
  listForIncident(scope: SchoolScope, incidentId: string): Promise<IncidentAmendment[]>;
}

/** Checks the actor may amend the record (the access policy, with refusals audited). */
export interface AmendAuthorizer {
  authorize(
    actor: AccessActor,
    incidentId: string,
    operation: 'amend',
    requestId?: string,
  ): Promise<Incident>;
}

const MAX_VERSION_ATTEMPTS = 10;

/**
 * Amendments by the safeguarding team: the record stays as it was submitted, and each amendment
 * is the next version with who, when, why and the new values. Validates the request as unknown
 * input, checks ids against the school's lists, and audits the change with its reason.
 */
export class AmendmentService {
  constructor(
    private readonly store: AmendmentStore,
    private readonly access: AmendAuthorizer,
    private readonly directory: Pick<IncidentDirectory, 'listCategories' | 'listAgencies'>,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    /** Hears `incident.amended` once the amendment is stored. */
    private readonly events?: Pick<DomainEvents, 'publish'>,
    /** Appends the event a crash cut off after an earlier amendment (found again here). */
    private readonly recovery?: Pick<ChangeAuditRecovery, 'recover'>,
  ) {}

  /** Stores an amendment of the record; throws AMENDMENT.INVALID with a message to show. */
  async amend(
    actor: AccessActor,
    incidentId: string,
    raw: unknown,
    requestId?: string,
  ): Promise<IncidentAmendment> {
    const incident = await this.access.authorize(actor, incidentId, 'amend', requestId);
    const request = parseRequest(raw);
    await this.checkLists(actor, request.changes);
    const previous = await this.store.listForIncident(actor, incidentId);
    // A retried amendment finds its first try stored: that try may have died before its event.
    await this.recovery?.recover(
      previous.map((a) => amendmentChange({ ...a, changedFields: Object.keys(a.changes) })),
    );
    if (!changesAnything(effectiveRecord(incident, previous), request.changes)) {
      throw new AppError('AMENDMENT.INVALID', 'The amendment does not change anything.');
    }
    let version = (previous.at(-1)?.version ?? 1) + 1;
    for (let attempt = 0; attempt < MAX_VERSION_ATTEMPTS; attempt += 1, version += 1) {
      const amendment: IncidentAmendment = {
        amendmentId: randomUUID(),
        tenantId: incident.tenantId,
        schoolId: incident.schoolId,
        incidentId,
        version,
        amendedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
        amendedAt: this.clock.now(),
        reason: request.reason,
        changes: request.changes,
      };
      try {
        await this.store.insert(amendment);
      } catch (error) {
        if (isDuplicateKeyError(error)) continue; // another team member amended first
        throw error;
      }
      await this.audit.record(
        // The reason is narrative (it may name people): it is sealed with the amendment, not here.
        auditEvent(
          actor,
          'record.amend',
          { kind: 'incident', id: incidentId },
          { reason: amendReason(version, Object.keys(request.changes)), requestId },
        ),
      );
      await this.events?.publish({
        type: 'incident.amended',
        tenantId: amendment.tenantId,
        schoolId: amendment.schoolId,
        incidentId,
        amendmentId: amendment.amendmentId,
        version,
      });
      return amendment;
    }
    throw new AppError('AMENDMENT.CONTENDED', 'could not claim an amendment version');
  }

  private async checkLists(scope: SchoolScope, changes: AmendmentChanges): Promise<void> {
    const [categories, agencies] = await Promise.all([
      changes.categoryIds ? this.directory.listCategories(scope) : [],
      changes.agencyIds ? this.directory.listAgencies(scope) : [],
    ]);
    const activeCategories = new Set(categories.filter((c) => c.active).map((c) => c.categoryId));
    if (changes.categoryIds?.some((id) => !activeCategories.has(id))) {
      throw new AppError('AMENDMENT.INVALID', 'Choose categories from your school’s list.');
    }
    const activeAgencies = new Set(agencies.filter((a) => a.active).map((a) => a.agencyId));
    if (changes.agencyIds?.some((id) => !activeAgencies.has(id))) {
      throw new AppError('AMENDMENT.INVALID', 'Choose agencies from your school’s list.');
    }
  }
}

function parseRequest(raw: unknown): AmendmentRequest {
  const parsed = amendmentRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    const message =
      issue?.code === 'unrecognized_keys'
        ? `These fields cannot be amended: ${issue.keys.join(', ')}.`
        : field === 'reason' || field === ''
          ? (issue?.message ?? 'The amendment is not valid.')
          : `${field.replace(/^changes\./, '')}: ${issue?.message ?? 'not valid'}`;
    throw new AppError('AMENDMENT.INVALID', message);
  }
  if (Object.keys(parsed.data.changes).length === 0) {
    throw new AppError('AMENDMENT.INVALID', 'Say which fields the amendment changes.');
  }
  return parsed.data;
}

function changesAnything(current: Incident, changes: AmendmentChanges): boolean {
  return Object.entries(changes).some(([field, value]) => {
    const before = (current as unknown as Record<string, unknown>)[field];
    if (value instanceof Date)
      return !(before instanceof Date) || before.getTime() !== value.getTime();
    return JSON.stringify(before) !== JSON.stringify(value);
  });
}

/** The record as it reads after its amendments, in version order (the original is unchanged). */
export function effectiveRecord(
  incident: Incident,
  amendments: readonly IncidentAmendment[],
): Incident {
  return amendments.reduce<Incident>(
    (record, amendment) => ({ ...record, ...amendment.changes }) as Incident,
    incident,
  );
}
