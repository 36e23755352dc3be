import type { AuditTrail } from '../audit';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { decideRecordAccess } from './access-policy';
import type { AccessActor, RecordOperation } from './access.types';
import { recordAccessFacts } from './record-facts';
import { auditEvent } from '../audit';

/** The parts of a stored record access needs (an Incident has them all). */
export interface AccessibleRecord extends SchoolScope {
  readonly incidentId: string;
  readonly pupilId: string;
  readonly linkedPupils: readonly { readonly pupilId: string }[];
  readonly categoryIds: readonly string[];
  readonly alertStaffIds: readonly string[];
  readonly recordedBy: { readonly aadObjectId: string };
}

/** Where the facts about a record's audience live (the alert outbox, actions, the school's lists). */
export interface RecordAudienceSource<R extends AccessibleRecord> {
  findRecord(scope: SchoolScope, incidentId: string): Promise<R | undefined>;
  /**
   * Per record: everyone an alert about it was addressed to, and everyone invited to it later
   * (action recipients, task assignees).
   */
  relationsOf(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<Map<string, { alerted: readonly string[]; invited: readonly string[] }>>;
  teamOnlyCategoryIds(scope: SchoolScope): Promise<ReadonlySet<string>>;
  /**
   * The record's categories now: an amendment may have moved it into (or out of) a team-only
   * category, and access follows what the record says now, not what it said when submitted.
   */
  currentCategoryIds(scope: SchoolScope, record: R): Promise<readonly string[]>;
}

/**
 * Answers "may this actor do this to this record?" for one record id: gathers the record's facts
 * server-side, asks the access policy, and audits every refusal. A record of another school, or
 * one the actor may not even know exists, is reported as not found so ids cannot be probed.
 */
export class RecordAccess<R extends AccessibleRecord> {
  constructor(
    private readonly source: RecordAudienceSource<R>,
    private readonly audit: AuditTrail,
  ) {}

  /** The record, if the actor may do `operation` to it; otherwise throws a typed refusal. */
  async authorize(
    actor: AccessActor,
    incidentId: string,
    operation: RecordOperation,
    requestId?: string,
  ): Promise<R> {
    const record = await this.source.findRecord(actor, incidentId);
    if (!record) {
      await this.refuse(actor, incidentId, `not-found: ${operation}`, requestId);
      throw new AppError('INCIDENT.NOT_FOUND', 'no such record at this school');
    }
    const [relations, teamOnly, categoryIds] = await Promise.all([
      this.source.relationsOf(actor, [incidentId]),
      this.source.teamOnlyCategoryIds(actor),
      this.source.currentCategoryIds(actor, record),
    ]);
    const related = relations.get(incidentId);
    const facts = recordAccessFacts(
      { ...record, categoryIds },
      {
        alertedAadObjectIds: related?.alerted ?? [],
        invitedAadObjectIds: related?.invited ?? [],
        teamOnlyCategoryIds: teamOnly,
      },
    );
    const decision = decideRecordAccess(actor, facts, operation);
    if (decision.allowed) return record;
    await this.refuse(actor, incidentId, `${decision.reason}: ${operation}`, requestId);
    if (decision.reason === 'step-up-required') {
      throw new AppError('ACCESS.STEP_UP_REQUIRED', 'a recent second factor is needed');
    }
    // Whether the record exists is itself need-to-know: only the team learns it was refused.
    if (decision.reason === 'no-relationship' || decision.reason === 'team-only-category') {
      throw new AppError('INCIDENT.NOT_FOUND', 'no such record at this school');
    }
    throw new AppError('ACCESS.DENIED', `refused: ${decision.reason}`);
  }

  private refuse(
    actor: AccessActor,
    incidentId: string,
    reason: string,
    requestId: string | undefined,
  ): Promise<void> {
    return this.audit.record(
      auditEvent(
        actor,
        'access.denied',
        { kind: 'incident', id: incidentId.slice(0, 100) },
        { reason, requestId },
      ),
    );
  }
}
