import type { AccessActor } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { isSafeguardingTeam } from '../staff';
import { pupilStatusChangeSchema, settledStatus } from './pupil-status.schemas';
import type { PupilStatusRepository } from './pupil-status.repository';
import {
  changedFields,
  UNKNOWN_STATUS,
  type PupilStatus,
  type PupilStatusChange,
} from './pupil-status.types';

/** A pupil's status as the team reads it: now, and the changes that made it (newest first). */
export interface PupilStatusView {
  readonly status: PupilStatus;
  /** False until anyone (the team or the MIS import) has said anything about this pupil. */
  readonly known: boolean;
  readonly history: readonly PupilStatusChange[];
}

/** The status fields one import line sets (columns missing from the file are not named). */
export type ImportedStatus = Partial<PupilStatus>;

const HISTORY_SHOWN = 20;
const SEQUENCE_ATTEMPTS = 5;
/** Who the audit names for the MIS import (a command an admin runs, not a person in the tab). */
const IMPORTER = { aadObjectId: 'system:directory-import', displayName: 'Directory import' };

/**
 * Child protection plan, child in need, looked after, EHCP… for each pupil: read and changed by
 * the safeguarding team after step-up, set in bulk by the MIS import. Every read and change is
 * audited; every change keeps who, when and why, and nothing is overwritten.
 */
export class PupilStatusService {
  constructor(
    private readonly store: Pick<PupilStatusRepository, 'insert' | 'history'>,
    private readonly pupils: {
      getPupil(scope: SchoolScope, pupilId: string): Promise<unknown>;
    },
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async view(actor: AccessActor, pupilId: string, requestId?: string): Promise<PupilStatusView> {
    await this.authorize(actor, pupilId, 'view', requestId);
    const history = await this.store.history(actor, pupilId, HISTORY_SHOWN);
    await this.audit.record(
      auditEvent(actor, 'pupil.status-view', { kind: 'pupil', id: pupilId }, { requestId }),
    );
    return { status: history[0]?.status ?? UNKNOWN_STATUS, known: history.length > 0, history };
  }

  /** The team changes a status in the tab: the whole new status and why. */
  async change(
    actor: AccessActor,
    pupilId: string,
    raw: unknown,
    requestId?: string,
  ): Promise<{ sequence: number; changed: boolean }> {
    await this.authorize(actor, pupilId, 'change', requestId);
    const parsed = pupilStatusChangeSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('PUPIL_STATUS.INVALID', parsed.error.issues[0]?.message ?? 'invalid');
    }
    const { status, reason } = parsed.data;
    const written = await this.append(actor, pupilId, () => settledStatus(status as PupilStatus), {
      reason,
      by: actor,
      source: 'tab',
    });
    if (written.changed) {
      await this.audit.record(
        auditEvent(
          actor,
          'pupil.status-change',
          { kind: 'pupil', id: pupilId },
          // Field names only: the values are special-category data, sealed with the change.
          { reason: `#${written.sequence} (${written.fields.join(', ')})`, requestId },
        ),
      );
    }
    return { sequence: written.sequence, changed: written.changed };
  }

  /**
   * The MIS import sets what its columns say, line by line, on top of each pupil's status now;
   * a line that changes nothing writes nothing, so importing the same file twice is a no-op.
   */
  async importStatuses(
    scope: SchoolScope,
    lines: readonly { pupilId: string; status: ImportedStatus }[],
  ): Promise<{ changed: number; unchanged: number }> {
    let changed = 0;
    for (const line of lines) {
      const written = await this.append(
        scope,
        line.pupilId,
        (now) => settledStatus({ ...now, ...line.status }),
        { reason: 'From the MIS export (directory import).', by: IMPORTER, source: 'import' },
      );
      if (!written.changed) continue;
      changed += 1;
      await this.audit.record(
        auditEvent(
          { ...scope, aadObjectId: IMPORTER.aadObjectId },
          'pupil.status-change',
          { kind: 'pupil', id: line.pupilId },
          { reason: `#${written.sequence} (${written.fields.join(', ')}) by import` },
        ),
      );
    }
    return { changed, unchanged: lines.length - changed };
  }

  /** Appends the next status unless it equals the current one; retries a taken sequence. */
  private async append(
    scope: SchoolScope,
    pupilId: string,
    next: (now: PupilStatus) => PupilStatus,
    how: {
      reason: string;
      by: { aadObjectId: string; displayName: string };
      source: 'tab' | 'import';
    },
  ): Promise<{ sequence: number; changed: boolean; fields: string[] }> {
    for (let attempt = 0; attempt < SEQUENCE_ATTEMPTS; attempt += 1) {
      const [latest] = await this.store.history(scope, pupilId, 1);
      const now = latest?.status ?? UNKNOWN_STATUS;
      const status = next(now);
      const fields = changedFields(now, status);
      // The first word about a pupil is kept even when it says "nothing": it is a decision.
      if (latest && fields.length === 0) {
        return { sequence: latest.sequence, changed: false, fields };
      }
      const sequence = (latest?.sequence ?? 0) + 1;
      const inserted = await this.store.insert({
        tenantId: scope.tenantId,
        schoolId: scope.schoolId,
        pupilId,
        sequence,
        status,
        changedFields: fields,
        reason: how.reason,
        changedBy: { aadObjectId: how.by.aadObjectId, displayName: how.by.displayName },
        changedAt: this.clock.now(),
        source: how.source,
      });
      if (inserted) return { sequence, changed: true, fields };
    }
    throw new AppError('PUPIL_STATUS.CONTENDED', 'the status kept changing meanwhile');
  }

  /** The team after step-up, for a pupil of their school; anything else is refused and audited. */
  private async authorize(
    actor: AccessActor,
    pupilId: string,
    what: 'view' | 'change',
    requestId: string | undefined,
  ): Promise<void> {
    if (!isSafeguardingTeam(actor.roles)) {
      await this.audit.record(
        auditEvent(
          actor,
          'access.denied',
          { kind: 'pupil', id: pupilId.slice(0, 100) },
          { reason: `pupil-status-${what}:team-only`, requestId },
        ),
      );
      throw new AppError('ACCESS.DENIED', 'pupil status is for the safeguarding team');
    }
    if (!actor.steppedUp) {
      throw new AppError('ACCESS.STEP_UP_REQUIRED', 'pupil status needs a recent second factor');
    }
    if (!(await this.pupils.getPupil(actor, pupilId))) {
      throw new AppError('CHRONOLOGY.PUPIL_NOT_FOUND', 'no such pupil at this school');
    }
  }
}
