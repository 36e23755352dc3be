import { randomUUID } from 'node:crypto';
import { FIRST_WAVE_ROLES, newReference, subjectKeyOf } from './adult-concern-keys';
import type { AdultConcernAlerts } from '../alerts';
import { auditEvent, type AuditTrail } from '../audit';
import { addWorkingDays, type StatutoryCalendar } from '../clocks';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { toSchoolDateTime } from '../shared/school-time';
import type { Actor, StaffMember } from '../staff';
import {
  decideAdultConcernAccess,
  type AdultConcernActor,
  type AdultConcernOperation,
} from './adult-concern-access';
import type { AdultConcernConflictRepository } from './adult-concern-conflict.repository';
import { AdultConcernValidationError, concernNotFound } from './adult-concern.errors';
import type { AdultConcernRepository } from './adult-concern.repository';
import type {
  AdultConcern,
  AdultConcernHeader,
  AdultConcernInput,
  CaseManagerRoute,
} from './adult-concern.types';
import { DEFAULT_RETENTION_POLICY, retentionFor } from './retention';

/** The staff directory reads this feature needs. */
export interface AdultConcernDirectory {
  findStaff(scope: SchoolScope, aadObjectIds: readonly string[]): Promise<StaffMember[]>;
  listActiveStaff(scope: SchoolScope, limit?: number): Promise<StaffMember[]>;
}

export interface AdultConcernServiceDeps {
  readonly concerns: AdultConcernRepository;
  readonly conflicts: AdultConcernConflictRepository;
  readonly directory: AdultConcernDirectory;
  readonly alerts: Pick<AdultConcernAlerts, 'queue'>;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly calendar: StatutoryCalendar;
}

/**
 * Concerns about adults: recording (once per form), who may see them (their own policy), the
 * case manager's alert and acknowledgement, invitations and declared conflicts. Every read and
 * change is audited in the school's one chain, under kinds of its own.
 */
export class AdultConcernService {
  constructor(private readonly deps: AdultConcernServiceDeps) {}

  /** Records a concern once per form (`idempotencyKey`), then alerts the case manager. */
  async record(
    actor: Actor,
    input: AdultConcernInput,
    idempotencyKey: string,
  ): Promise<{ concern: AdultConcernHeader; created: boolean }> {
    const { concerns, clock, calendar } = this.deps;
    const existing = await concerns.findByKey(actor, actor.aadObjectId, idempotencyKey);
    if (existing) return { concern: existing, created: false };

    const subject = await this.subjectOf(actor, input.subjectAadObjectId);
    const now = clock.now();
    const caseManagerRoute: CaseManagerRoute = subject?.roles.includes('head') ? 'chair' : 'head';
    const route = input.mayMeetHarmThreshold ? 'allegation' : 'low-level';
    const concern = {
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      concernId: randomUUID(),
      idempotencyKey,
      reference: newReference(now),
      route,
      caseManagerRoute,
      adultKind: input.adultKind,
      subjectAadObjectId: subject?.aadObjectId,
      subjectKey: subjectKeyOf(subject?.aadObjectId, input.details.adultName),
      happenedAt: input.happenedAt,
      recordedAt: now,
      recordedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      mayMeetHarmThreshold: input.mayMeetHarmThreshold,
      // KCSIE: the LADO should hear of an allegation within one working day.
      ladoReferralDueAt: route === 'allegation' ? addWorkingDays(now, 1, calendar) : undefined,
      ladoReferredAt: undefined,
      acknowledgedAt: undefined,
      acknowledgedBy: undefined,
      invitedAadObjectIds: [],
      retention: retentionFor({
        route,
        recordedOn: toSchoolDateTime(now).date,
        policy: DEFAULT_RETENTION_POLICY,
      }),
      details: input.details,
    } as const;
    const created = await concerns.insert(concern, now);
    const stored = created
      ? await concerns.header(actor, concern.concernId)
      : await concerns.findByKey(actor, actor.aadObjectId, idempotencyKey);
    if (!stored) throw new AppError('ADULT_CONCERN.CONTENDED', 'reference clash: submit again');
    if (created) {
      await this.deps.audit.record(
        auditEvent(actor, 'adult-concern.create', { kind: 'adult-concern', id: stored.concernId }),
      );
    }
    // Also on a repeat: the outbox's unique key makes it harmless, and mends a crash between.
    await this.alertFirstWave(stored);
    // A case manager who records a concern has seen it: nothing to escalate to anyone else.
    if (
      created &&
      (await this.decide({ ...actor, steppedUp: false }, stored, 'acknowledge')).allowed
    ) {
      await this.deps.concerns.acknowledge(actor, stored.concernId, actor.displayName, now);
      await this.deps.audit.record(
        auditEvent(actor, 'adult-concern.acknowledge', {
          kind: 'adult-concern',
          id: stored.concernId,
        }),
      );
    }
    return { concern: (await concerns.header(actor, stored.concernId)) ?? stored, created };
  }

  /** The concerns this person may see (headers only), newest first. */
  async list(actor: AdultConcernActor): Promise<AdultConcernHeader[]> {
    const recent = await this.deps.concerns.listRecent(actor, 500);
    const visible: AdultConcernHeader[] = [];
    for (const concern of recent) {
      if ((await this.decide(actor, concern, 'view')).allowed) visible.push(concern);
    }
    await this.deps.audit.record(
      auditEvent(actor, 'adult-concern.list', { kind: 'school', id: actor.schoolId }),
    );
    return visible;
  }

  /** One concern with what it says and its steps; audited; refused as "not found". */
  async view(actor: AdultConcernActor, concernId: string): Promise<AdultConcern> {
    await this.authorize(actor, concernId, 'viewDetails');
    const concern = await this.deps.concerns.full(actor, concernId);
    if (!concern) throw concernNotFound();
    await this.deps.audit.record(
      auditEvent(actor, 'adult-concern.view', { kind: 'adult-concern', id: concernId }),
    );
    return concern;
  }

  /** "I have seen this" from the alert card: the first one stops the escalation. */
  async acknowledge(
    actor: Actor,
    concernId: string,
  ): Promise<{ concern: AdultConcernHeader; changed: boolean }> {
    const concern = await this.authorize({ ...actor, steppedUp: false }, concernId, 'acknowledge');
    const changed = await this.deps.concerns.acknowledge(
      actor,
      concernId,
      actor.displayName,
      this.deps.clock.now(),
    );
    if (changed) {
      await this.deps.audit.record(
        auditEvent(actor, 'adult-concern.acknowledge', { kind: 'adult-concern', id: concernId }),
      );
    }
    return { concern: (await this.deps.concerns.header(actor, concernId)) ?? concern, changed };
  }

  /** The case manager invites the DSL (or a deputy DSL) to read the concern. */
  async invite(actor: AdultConcernActor, concernId: string, inviteeId: string): Promise<void> {
    const concern = await this.authorize(actor, concernId, 'manage');
    const [invitee] = await this.deps.directory.findStaff(actor, [inviteeId]);
    const conflicted = await this.deps.conflicts.conflictedWith(actor, concern.subjectKey);
    if (
      !invitee?.active ||
      !invitee.roles.some((r) => r === 'dsl' || r === 'deputy-dsl') ||
      invitee.aadObjectId === concern.subjectAadObjectId ||
      conflicted.includes(invitee.aadObjectId)
    ) {
      throw new AdultConcernValidationError({
        invitee:
          'Only the DSL or a deputy DSL without a conflict, and not the adult, can be invited.',
      });
    }
    await this.deps.concerns.invite(actor, concernId, invitee.aadObjectId);
    await this.deps.audit.record(
      auditEvent(
        actor,
        'adult-concern.invite',
        { kind: 'adult-concern', id: concernId },
        { reason: `invited ${invitee.aadObjectId}` },
      ),
    );
  }

  /**
   * Asks the policy, with the facts gathered server-side; a refusal is audited and answered as
   * "not found". Returns the header for the caller's next step.
   */
  async authorize(
    actor: AdultConcernActor,
    concernId: string,
    operation: AdultConcernOperation,
  ): Promise<AdultConcernHeader> {
    const concern = await this.deps.concerns.header(actor, concernId);
    const decision = concern ? await this.decide(actor, concern, operation) : undefined;
    if (concern && decision?.allowed) return concern;
    await this.deps.audit.record(
      auditEvent(
        actor,
        'access.denied',
        { kind: 'adult-concern', id: concernId.slice(0, 100) },
        {
          reason: `${operation}: ${decision && !decision.allowed ? decision.reason : 'not-found'}`,
        },
      ),
    );
    if (decision && !decision.allowed && decision.reason === 'step-up-required') {
      throw new AppError('ACCESS.STEP_UP_REQUIRED', 'a recent second factor is needed');
    }
    throw concernNotFound();
  }

  /** Who may acknowledge a concern among these staff: active, and allowed by the policy. */
  async eligible(
    concern: AdultConcernHeader,
    staff: readonly StaffMember[],
  ): Promise<StaffMember[]> {
    const conflicted = await this.deps.conflicts.conflictedWith(concern, concern.subjectKey);
    return staff.filter(
      (m) =>
        m.active &&
        m.aadObjectId !== concern.recordedBy.aadObjectId &&
        decideAdultConcernAccess(
          { ...m, steppedUp: false },
          { ...concern, conflictedAadObjectIds: conflicted },
          'acknowledge',
        ).allowed,
    );
  }

  private async decide(
    actor: AdultConcernActor,
    concern: AdultConcernHeader,
    operation: AdultConcernOperation,
  ) {
    const conflicted = await this.deps.conflicts.conflictedWith(concern, concern.subjectKey);
    return decideAdultConcernAccess(
      actor,
      { ...concern, conflictedAadObjectIds: conflicted },
      operation,
    );
  }

  private async alertFirstWave(concern: AdultConcernHeader): Promise<void> {
    const staff = await this.deps.directory.listActiveStaff(concern, 500);
    const roles = FIRST_WAVE_ROLES[concern.caseManagerRoute];
    const recipients = await this.eligible(
      concern,
      staff.filter((m) => m.roles.some((r) => roles.includes(r))),
    );
    await this.deps.alerts.queue(
      {
        ...concern,
        recorderAadObjectId: concern.recordedBy.aadObjectId,
      },
      recipients.map((m) => m.aadObjectId),
      'case-manager',
      0,
      this.deps.clock.now(),
    );
  }

  private async subjectOf(actor: Actor, id: string | undefined): Promise<StaffMember | undefined> {
    if (!id) return undefined;
    const [subject] = await this.deps.directory.findStaff(actor, [id]);
    if (!subject) {
      throw new AdultConcernValidationError({
        subjectAadObjectId:
          'Choose the colleague from the list, or leave it empty and give their name.',
      });
    }
    if (subject.aadObjectId === actor.aadObjectId) {
      throw new AdultConcernValidationError({
        subjectAadObjectId: 'This form is for a concern about someone else.',
      });
    }
    return subject;
  }
}
