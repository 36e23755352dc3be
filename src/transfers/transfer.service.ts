import type { AccessActor } from '../access';
import type { ActionJob } from '../actions';
import { auditEvent, type AuditTrail } from '../audit';
import type { StatutoryCalendar } from '../clocks';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { authorizeTransfer } from './transfer-access';
import { chaseJobOf } from './transfer-chase';
import { clockStartOf, transferChaseAt } from './transfer-clock';
import { TransferRepository } from './transfer.repository';
import { advanceNoticeSchema, openTransferSchema } from './transfer.schemas';
import { stateOf, type Destination, type TransferCase, type TransferState } from './transfer.types';

/** One leaver from the pupils file: the import opens a transfer when they have a file. */
export interface LeaverLine {
  readonly pupilId: string;
  readonly leavingDate?: string;
  readonly destination: Destination;
}

/** A transfer against its clock, as the desk and the tab list it. */
export interface TransferLine {
  readonly transfer: TransferCase;
  readonly state: TransferState;
  readonly overdue: boolean;
  /** Chase prompts due so far (one each school day from day 5 without a receipt). */
  readonly chasesDue: number;
}

/** Who the audit names for the MIS import (a command an admin runs). */
const IMPORTER = { aadObjectId: 'system:directory-import', displayName: 'Directory import' };
const MOST_LISTED = 200;

/** What the transfer cases read besides their own store. */
export interface TransferCaseDeps {
  readonly store: Pick<
    TransferRepository,
    'insert' | 'find' | 'list' | 'listForPupil' | 'setNotice' | 'setDestination'
  >;
  readonly pupils: { getPupil(scope: SchoolScope, pupilId: string): Promise<unknown> };
  /** True when the school holds any safeguarding record naming the pupil (their file). */
  readonly files: { hasRecords(scope: SchoolScope, pupilId: string): Promise<boolean> };
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly calendar: StatutoryCalendar;
  /** actions/' clock jobs: a new case's chase is scheduled there (for its due time). */
  readonly jobs?: { insertJob(job: ActionJob): Promise<void> };
}

/**
 * Transfer cases: opened when a pupil with a child protection file is marked as leaving (by the
 * MIS import or the team), carrying the 5-school-day clock until the next school's receipt.
 */
export class TransferService {
  constructor(private readonly deps: TransferCaseDeps) {}

  /** The import's leavers: a case for each who has a file; again for the same file, none. */
  async openFromImport(scope: SchoolScope, leavers: readonly LeaverLine[]): Promise<number> {
    let opened = 0;
    for (const leaver of leavers) {
      if (!(await this.deps.files.hasRecords(scope, leaver.pupilId))) continue;
      const nth = await this.nextCaseFor(scope, leaver);
      if (nth === undefined) continue;
      const transfer = this.newCase(scope, leaver, IMPORTER, 'import', nth);
      if (!(await this.deps.store.insert(transfer))) continue;
      await this.deps.jobs?.insertJob(chaseJobOf(transfer));
      opened += 1;
      await this.deps.audit.record(
        auditEvent(
          { ...scope, aadObjectId: IMPORTER.aadObjectId },
          'transfer.open',
          {
            kind: 'transfer',
            id: transfer.transferId,
          },
          { reason: 'leaver in the MIS export' },
        ),
      );
    }
    return opened;
  }

  /** The team opens a transfer in the tab (or finds the one the import opened). */
  async open(actor: AccessActor, raw: unknown, requestId?: string): Promise<TransferLine> {
    const parsed = openTransferSchema.safeParse(raw);
    if (!parsed.success) throw invalid(parsed.error.issues[0]?.message);
    const input = parsed.data;
    await authorizeTransfer(this.deps.audit, actor, { pupilId: input.pupilId }, 'open', requestId);
    if (!(await this.deps.pupils.getPupil(actor, input.pupilId))) {
      throw new AppError('CHRONOLOGY.PUPIL_NOT_FOUND', 'no such pupil at this school');
    }
    const destination: Destination = {
      ...(input.destinationSchool ? { schoolName: input.destinationSchool } : {}),
      ...(input.destinationUrn ? { urn: input.destinationUrn } : {}),
    };
    // The open case if there is one; once the last was received, the team opens the next.
    const cases = await this.deps.store.listForPupil(actor, input.pupilId);
    const open = cases.find((c) => !c.receipt);
    const transfer =
      open ??
      this.newCase(
        actor,
        { pupilId: input.pupilId, leavingDate: input.leavingDate, destination },
        actor,
        'tab',
        cases.length + 1,
      );
    if (await this.deps.store.insert(transfer)) {
      await this.deps.jobs?.insertJob(chaseJobOf(transfer));
      await this.deps.audit.record(
        auditEvent(
          actor,
          'transfer.open',
          { kind: 'transfer', id: transfer.transferId },
          { requestId },
        ),
      );
    }
    return this.lineOf(await this.existing(actor, transfer.transferId));
  }

  /** Records how and when the next school was told (advance notice). */
  async recordNotice(
    actor: AccessActor,
    transferId: string,
    raw: unknown,
    requestId?: string,
  ): Promise<TransferLine> {
    const transfer = await this.forTeam(actor, transferId, 'notice', requestId);
    const parsed = advanceNoticeSchema.safeParse(raw);
    if (!parsed.success) throw invalid(parsed.error.issues[0]?.message);
    const now = this.deps.clock.now();
    const at = parsed.data.at ?? now;
    if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime()) {
      throw invalid('the notice cannot be in the future');
    }
    await this.deps.store.setNotice(actor, transferId, {
      at,
      how: parsed.data.how,
      by: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
    });
    await this.deps.audit.record(
      auditEvent(actor, 'transfer.notice', { kind: 'transfer', id: transferId }, { requestId }),
    );
    return this.lineOf(await this.existing(actor, transfer.transferId));
  }

  /** One transfer for the team (audited: it names a pupil and where they went). */
  async view(actor: AccessActor, transferId: string, requestId?: string): Promise<TransferLine> {
    const transfer = await this.forTeam(actor, transferId, 'view', requestId);
    await this.deps.audit.record(
      auditEvent(actor, 'transfer.view', { kind: 'transfer', id: transferId }, { requestId }),
    );
    return this.lineOf(transfer);
  }

  /** The school's transfers for the team, newest first (none with a conflicted pupil). */
  async list(actor: AccessActor, requestId?: string): Promise<TransferLine[]> {
    await authorizeTransfer(this.deps.audit, actor, {}, 'list', requestId);
    return this.linesFor(actor);
  }

  /**
   * The desk's transfers: those still waiting for a receipt, most urgent first. No audit and no
   * step-up: the desk lists the team's work (the pupil's name and the due time), not the file.
   */
  async openForDesk(actor: AccessActor): Promise<TransferLine[]> {
    const lines = await this.linesFor(actor);
    return lines
      .filter((l) => l.state !== 'received')
      .sort((a, b) => a.transfer.dueBy.getTime() - b.transfer.dueBy.getTime());
  }

  /** A case of the actor's school, for the team (refused and audited otherwise). */
  async forTeam(
    actor: AccessActor,
    transferId: string,
    what: string,
    requestId?: string,
  ): Promise<TransferCase> {
    await authorizeTransfer(this.deps.audit, actor, { transferId }, what, requestId);
    const transfer = await this.existing(actor, transferId);
    await authorizeTransfer(
      this.deps.audit,
      actor,
      { pupilId: transfer.pupilId, transferId },
      what,
      requestId,
    );
    return transfer;
  }

  /** Where a transfer stands against its clock now. */
  lineOf(transfer: TransferCase): TransferLine {
    const state = stateOf(transfer);
    const clock = transferChaseAt(
      transfer.clockStartedAt,
      this.deps.clock.now(),
      this.deps.calendar,
    );
    const running = state !== 'received';
    return {
      transfer,
      state,
      overdue: running && clock.overdue,
      chasesDue: running ? clock.chasesDue : 0,
    };
  }

  private async linesFor(actor: AccessActor): Promise<TransferLine[]> {
    const all = await this.deps.store.list(actor, MOST_LISTED);
    return all
      .filter((t) => !actor.conflictPupilIds.includes(t.pupilId))
      .map((t) => this.lineOf(t));
  }

  private async existing(scope: SchoolScope, transferId: string): Promise<TransferCase> {
    const transfer = await this.deps.store.find(scope, transferId);
    if (!transfer) throw new AppError('TRANSFER.NOT_FOUND', 'no such transfer at this school');
    return transfer;
  }

  /**
   * Which case a leaver line opens: the first; none while one is open (the same file imported
   * again); after a receipt, the next only for a later leaving date (the child came back and
   * left again: the file goes to the new school too). A line without a date opens no second
   * case (it cannot tell a new leaving from the old one); the team opens it in the tab.
   */
  private async nextCaseFor(scope: SchoolScope, leaver: LeaverLine): Promise<number | undefined> {
    const cases = await this.deps.store.listForPupil(scope, leaver.pupilId);
    if (cases.length === 0) return 1;
    if (cases.some((c) => !c.receipt) || !leaver.leavingDate) return undefined;
    const lastLeft = cases
      .map((c) => c.leavingDate ?? c.openedAt.toISOString().slice(0, 10))
      .reduce((a, b) => (a > b ? a : b));
    return leaver.leavingDate > lastLeft ? cases.length + 1 : undefined;
  }

  private newCase(
    scope: SchoolScope,
    leaver: LeaverLine,
    by: { aadObjectId: string; displayName: string },
    source: TransferCase['source'],
    nth = 1,
  ): TransferCase {
    const now = this.deps.clock.now();
    const clockStartedAt = clockStartOf(now, leaver.leavingDate, this.deps.calendar);
    return {
      transferId: TransferRepository.idFor(scope, leaver.pupilId, nth),
      tenantId: scope.tenantId,
      schoolId: scope.schoolId,
      pupilId: leaver.pupilId,
      openedAt: now,
      openedBy: { aadObjectId: by.aadObjectId, displayName: by.displayName },
      source,
      ...(leaver.leavingDate ? { leavingDate: leaver.leavingDate } : {}),
      destination: leaver.destination,
      clockStartedAt,
      dueBy: transferChaseAt(clockStartedAt, now, this.deps.calendar).dueBy,
      sent: [],
    };
  }
}

function invalid(message: string | undefined): AppError {
  return new AppError('TRANSFER.INVALID', message ?? 'invalid transfer request');
}
