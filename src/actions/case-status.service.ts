import type { AccessActor } from '../access';
import type { AuditTrail } from '../audit';
import type { DomainEvents } from '../events';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import type { ActionRepository } from './action.repository';
import type { CaseStatusRepository } from './case-status.repository';
import type { CaseStatus, CaseStatusEvent } from './action.types';
import type { ActionRecords } from './record-access';
import { auditEvent } from '../audit';

type StatusStore = Pick<CaseStatusRepository, 'insertStatus' | 'statusEvents' | 'latestStatusesIn'>;

/**
 * A record's case status: open until the safeguarding team closes it with an outcome (a decision
 * action on the record); a closed case is reopened by the team with a reason. Derived from
 * append-only status events, each claiming the record's next sequence number, so two people
 * closing at once make one close.
 */
export class CaseStatusService {
  constructor(
    private readonly actions: Pick<ActionRepository, 'findById' | 'listForIncidents'>,
    private readonly store: StatusStore,
    private readonly records: Pick<ActionRecords, 'authorize'>,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    /** Hears `case.closed` and `case.reopened` once the change is stored. */
    private readonly events?: Pick<DomainEvents, 'publish'>,
  ) {}

  /** Each record's status (open when it never changed), for history cards and the tab. */
  async caseStatus(scope: SchoolScope, incidentIds: readonly string[]): Promise<CaseStatus[]> {
    const events = await this.store.statusEvents(scope, incidentIds);
    return incidentIds.map((incidentId) => {
      // Events come latest first: the first one of a record is its status.
      const latest = events.find((e) => e.incidentId === incidentId);
      return latest
        ? { incidentId, status: latest.status === 'closed' ? 'closed' : 'open', latest }
        : { incidentId, status: 'open' };
    });
  }

  /**
   * Of the school's records whose status ever changed: which are closed now, and when the open
   * ones were last reopened (a record never changed is open since it was recorded).
   */
  async statusChangesOfSchool(
    scope: SchoolScope,
  ): Promise<{ closedIds: string[]; reopenedAt: Map<string, Date> }> {
    const latest = await this.store.latestStatusesIn(scope);
    return {
      closedIds: latest.filter((s) => s.status === 'closed').map((s) => s.incidentId),
      reopenedAt: new Map(
        latest.filter((s) => s.status === 'reopened').map((s) => [s.incidentId, s.at] as const),
      ),
    };
  }

  /**
   * Closes a case with its outcome: the decision action named, or the record's latest decision.
   * Team only (the policy's `close`). Throws CASE.OUTCOME_REQUIRED without a decision (after the
   * latest reopening, if the case was reopened: the decision that closed it before was about what
   * was known then) and CASE.ALREADY_CLOSED when it is closed.
   */
  async close(
    actor: AccessActor,
    incidentId: string,
    outcomeActionId?: string,
    requestId?: string,
  ): Promise<CaseStatusEvent> {
    await this.authorise(actor, incidentId, requestId);
    const [latest] = await this.store.statusEvents(actor, [incidentId]);
    const reopenedAt = latest?.status === 'reopened' ? latest.at.getTime() : undefined;
    const outcome = outcomeActionId
      ? await this.actions.findById(actor, outcomeActionId)
      : (await this.actions.listForIncidents(actor, [incidentId], 1_000)).find(
          (a) => a.details.kind === 'decision',
        );
    if (!outcome || outcome.incidentId !== incidentId || outcome.details.kind !== 'decision') {
      throw new AppError('CASE.OUTCOME_REQUIRED', 'closing needs a decision action on the record');
    }
    if (reopenedAt !== undefined && outcome.recordedAt.getTime() <= reopenedAt) {
      throw new AppError('CASE.OUTCOME_REQUIRED', 'closing a reopened case needs a newer decision');
    }
    const event = await this.append(actor, incidentId, 'closed', {
      outcomeActionId: outcome.actionId,
    });
    await this.audited(actor, 'record.close', incidentId, `outcome:${outcome.actionId}`, requestId);
    await this.events?.publish({
      type: 'case.closed',
      tenantId: event.tenantId,
      schoolId: event.schoolId,
      incidentId,
      outcomeActionId: outcome.actionId,
    });
    return event;
  }

  /** Reopens a closed case; team only, with a reason. Throws CASE.REASON_REQUIRED, CASE.NOT_CLOSED. */
  async reopen(
    actor: AccessActor,
    incidentId: string,
    reason: string,
    requestId?: string,
  ): Promise<CaseStatusEvent> {
    if (reason.trim() === '') {
      throw new AppError('CASE.REASON_REQUIRED', 'reopening a case needs a reason');
    }
    await this.authorise(actor, incidentId, requestId);
    const event = await this.append(actor, incidentId, 'reopened', { reason: reason.trim() });
    await this.audited(actor, 'record.reopen', incidentId, reason.trim(), requestId);
    await this.events?.publish({
      type: 'case.reopened',
      tenantId: event.tenantId,
      schoolId: event.schoolId,
      incidentId,
    });
    return event;
  }

  private async authorise(actor: AccessActor, incidentId: string, requestId?: string) {
    await this.records.authorize(actor, incidentId, 'close', requestId);
  }

  /** Appends the change if the current status allows it; a lost race is re-checked once more. */
  private async append(
    actor: AccessActor,
    incidentId: string,
    status: CaseStatusEvent['status'],
    extra: { outcomeActionId?: string; reason?: string },
  ): Promise<CaseStatusEvent> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const [latest] = await this.store.statusEvents(actor, [incidentId]);
      const closed = latest?.status === 'closed';
      if (status === 'closed' && closed) {
        throw new AppError('CASE.ALREADY_CLOSED', 'the case is already closed');
      }
      if (status === 'reopened' && !closed) {
        throw new AppError('CASE.NOT_CLOSED', 'only a closed case can be reopened');
      }
      const event: CaseStatusEvent = {
        tenantId: actor.tenantId,
        schoolId: actor.schoolId,
        incidentId,
        sequence: (latest?.sequence ?? 0) + 1,
        status,
        ...extra,
        at: this.clock.now(),
        by: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      };
      if (await this.store.insertStatus(event)) return event;
    }
    throw new AppError('CASE.ALREADY_CLOSED', 'the case status changed meanwhile');
  }

  private async audited(
    actor: AccessActor,
    action: 'record.close' | 'record.reopen',
    incidentId: string,
    reason: string,
    requestId?: string,
  ): Promise<void> {
    await this.audit.record(
      auditEvent(actor, action, { kind: 'incident', id: incidentId }, { reason, requestId }),
    );
  }
}
