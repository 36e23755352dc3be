import { randomUUID } from 'node:crypto';
import type { AccessActor, RecordOperation } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { isSafeguardingTeam } from '../staff';
import type { SharingRepository } from './sharing.repository';
import { sharingEntrySchema } from './sharing.schemas';
import type { SharingEntry } from './sharing.types';

const MOST_ENTRIES = 500;

/** A referral as the log needs it (an action of kind referral: no narrative is copied). */
export interface ReferralShared extends SchoolScope {
  readonly actionId: string;
  readonly incidentId: string;
  readonly reference: string;
  readonly pupilIds: readonly string[];
  readonly agencyName: string;
  readonly referredAt: Date;
  readonly author: { readonly aadObjectId: string; readonly displayName: string };
  readonly recordedAt: Date;
}

/** A child protection file sent to the next school, as the sharing log needs it. */
export interface TransferShared extends SchoolScope {
  readonly transferId: string;
  readonly pupilId: string;
  readonly recipientSchool: string;
  readonly sentAt: Date;
  readonly sentBy: { readonly aadObjectId: string; readonly displayName: string };
  readonly sha256: string;
}

export interface SharingServiceDeps {
  readonly store: Pick<SharingRepository, 'insert' | 'listForPupil'>;
  /** The one access policy: recording a disclosure is taking information out ("export"). */
  readonly access: {
    authorize(
      actor: AccessActor,
      incidentId: string,
      operation: RecordOperation,
      requestId?: string,
    ): Promise<{
      pupilId: string;
      linkedPupils: readonly { pupilId: string }[];
      reference: string;
    }>;
  };
  readonly staff: {
    findStaff(
      scope: SchoolScope,
      ids: readonly string[],
    ): Promise<{ aadObjectId: string; displayName: string }[]>;
  };
  readonly pupils: { getPupil(scope: SchoolScope, pupilId: string): Promise<unknown> };
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

/**
 * The information-sharing log: what was shared, with whom, when, why, on which lawful basis and
 * who decided, and each reasoned decision not to share. The team records entries from a record;
 * features that share (referrals, transfers) add their own, once, so nobody types them twice.
 */
export class SharingService {
  constructor(private readonly deps: SharingServiceDeps) {}

  async record(
    actor: AccessActor,
    incidentId: string,
    raw: unknown,
    requestId?: string,
  ): Promise<SharingEntry> {
    const record = await this.deps.access.authorize(actor, incidentId, 'export', requestId);
    const parsed = sharingEntrySchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('SHARING.INVALID', parsed.error.issues[0]?.message ?? 'invalid entry');
    }
    const input = parsed.data;
    const now = this.deps.clock.now();
    if (input.at.getTime() > now.getTime()) {
      throw new AppError('SHARING.INVALID', 'The date cannot be in the future.');
    }
    const decidedBy = await this.decider(actor, input.decidedByAadObjectId);
    const entry: SharingEntry = {
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      entryId: randomUUID(),
      kind: input.kind,
      pupilIds: [record.pupilId, ...record.linkedPupils.map((p) => p.pupilId)],
      incidentId,
      reference: record.reference,
      what: input.what,
      recipient: input.recipient,
      at: input.at,
      why: input.why,
      ...(input.kind === 'disclosure' ? { lawfulBasis: input.lawfulBasis } : {}),
      decidedBy,
      recordedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      recordedAt: now,
      source: 'tab',
    };
    await this.deps.store.insert(entry);
    await this.deps.audit.record(
      auditEvent(
        actor,
        'sharing.record',
        { kind: 'incident', id: incidentId },
        { reason: entry.kind, requestId },
      ),
    );
    return entry;
  }

  /** A pupil's log, newest first: the team after step-up, not about a pupil they are conflicted with. */
  async listForPupil(
    actor: AccessActor,
    pupilId: string,
    requestId?: string,
  ): Promise<SharingEntry[]> {
    const refuse = async (reason: string) =>
      this.deps.audit.record(
        auditEvent(
          actor,
          'access.denied',
          { kind: 'pupil', id: pupilId.slice(0, 100) },
          { reason: `sharing-view:${reason}`, requestId },
        ),
      );
    if (!isSafeguardingTeam(actor.roles)) {
      await refuse('team-only');
      throw new AppError('ACCESS.DENIED', 'the sharing log is for the safeguarding team');
    }
    if (actor.conflictPupilIds.includes(pupilId)) {
      await refuse('conflict-of-interest');
      throw new AppError('ACCESS.DENIED', 'conflict of interest with the pupil');
    }
    if (!actor.steppedUp) {
      throw new AppError('ACCESS.STEP_UP_REQUIRED', 'the sharing log needs a recent second factor');
    }
    if (!(await this.deps.pupils.getPupil(actor, pupilId))) {
      throw new AppError('CHRONOLOGY.PUPIL_NOT_FOUND', 'no such pupil at this school');
    }
    const entries = await this.deps.store.listForPupil(actor, pupilId, MOST_ENTRIES);
    await this.deps.audit.record(
      auditEvent(actor, 'sharing.view', { kind: 'pupil', id: pupilId }, { requestId }),
    );
    return entries;
  }

  /**
   * A referral is a disclosure to the agency: logged once per action (a repeated event adds
   * nothing), decided by the referral's author, on the safeguarding basis.
   */
  async addReferral(referral: ReferralShared): Promise<boolean> {
    return this.deps.store.insert({
      tenantId: referral.tenantId,
      schoolId: referral.schoolId,
      entryId: `referral:${referral.actionId}`,
      kind: 'disclosure',
      pupilIds: [...referral.pupilIds],
      incidentId: referral.incidentId,
      reference: referral.reference,
      what: `Referral of the concern in record ${referral.reference} (the referral action on that record says what was shared).`,
      recipient: referral.agencyName,
      at: referral.referredAt,
      why: 'Referral to an agency for the child’s safety and welfare.',
      lawfulBasis: 'safeguarding-children',
      decidedBy: { ...referral.author },
      recordedBy: { ...referral.author },
      recordedAt: referral.recordedAt,
      source: 'referral',
      sourceId: referral.actionId,
    });
  }

  /**
   * A child protection file sent to the next school is a disclosure to it: logged once per
   * sending (the entry is keyed by the transfer and the package's hash), decided by who sent it.
   */
  async addTransfer(transfer: TransferShared): Promise<boolean> {
    return this.deps.store.insert({
      tenantId: transfer.tenantId,
      schoolId: transfer.schoolId,
      entryId: `transfer:${transfer.transferId}:${transfer.sha256.slice(0, 16)}`,
      kind: 'disclosure',
      pupilIds: [transfer.pupilId],
      what: `The child protection file (package sha256 ${transfer.sha256.slice(0, 16)}…), sent as the child moved school.`,
      recipient: transfer.recipientSchool,
      at: transfer.sentAt,
      why: 'KCSIE: the child protection file follows the child to their next school.',
      lawfulBasis: 'safeguarding-children',
      decidedBy: { ...transfer.sentBy },
      recordedBy: { ...transfer.sentBy },
      recordedAt: transfer.sentAt,
      source: 'transfer',
      sourceId: transfer.transferId,
    });
  }

  /** Who decided: a member of staff of the school, or the person recording it. */
  private async decider(actor: AccessActor, aadObjectId: string | undefined) {
    if (!aadObjectId || aadObjectId === actor.aadObjectId) {
      return { aadObjectId: actor.aadObjectId, displayName: actor.displayName };
    }
    const [member] = await this.deps.staff.findStaff(actor, [aadObjectId]);
    if (!member)
      throw new AppError('SHARING.INVALID', 'Choose who decided from the school’s staff.');
    return { aadObjectId: member.aadObjectId, displayName: member.displayName };
  }
}
