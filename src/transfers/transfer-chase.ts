import type { ActionJob, OtherClock } from '../actions';
import type { ActionAlerts } from '../alerts';
import type { StatutoryCalendar } from '../clocks';
import type { SchoolScope } from '../shared/school-scope';
import type { StaffMember } from '../staff';
import { transferChaseAt } from './transfer-clock';
import type { TransferRepository } from './transfer.repository';
import type { TransferCase } from './transfer.types';

/** The job that chases a transfer, kept with the actions' clock jobs (one store, one lease). */
export function chaseJobOf(transfer: TransferCase): ActionJob {
  return {
    jobId: `transfer:${transfer.transferId}`,
    tenantId: transfer.tenantId,
    schoolId: transfer.schoolId,
    kind: 'transfer',
    incidentId: transfer.transferId,
    actionId: transfer.transferId,
    nextCheckAt: transfer.dueBy,
  };
}

/** What the chase reads and whom it tells. */
export interface TransferChaseDeps {
  readonly store: Pick<TransferRepository, 'find'>;
  readonly team: { listSafeguardingTeam(scope: SchoolScope): Promise<StaffMember[]> };
  readonly alerts: Pick<ActionAlerts, 'queueForActionClock'>;
  readonly calendar: StatutoryCalendar;
}

/**
 * The transfer's clock, run by the actions' jobs: from day 5 without a receipt the team (but
 * anyone with a conflict over the pupil) gets a chase prompt, and another each school day, until
 * the next school confirms receipt. The prompt names no pupil: it says a transfer is unconfirmed.
 */
export function transferChaseClock(deps: TransferChaseDeps): OtherClock {
  return async (job, now) => {
    const transfer = await deps.store.find(job, job.actionId);
    if (!transfer || transfer.receipt) return { queued: 0, nextCheckAt: now, settled: true };
    const { chasesDue, nextChaseAt } = transferChaseAt(transfer.clockStartedAt, now, deps.calendar);
    let queued = 0;
    if (chasesDue > 0) {
      const team = await deps.team.listSafeguardingTeam(transfer);
      const recipients = team
        .filter((m) => m.active && !m.conflictPupilIds.includes(transfer.pupilId))
        .map((m) => m.aadObjectId);
      queued = await deps.alerts.queueForActionClock(
        {
          tenantId: transfer.tenantId,
          schoolId: transfer.schoolId,
          incidentId: transfer.transferId,
          reference:
            `File transfer${transfer.destination.schoolName ? ` to ${transfer.destination.schoolName}` : ''}`.slice(
              0,
              200,
            ),
          actionId: transfer.transferId,
          sequence: 1,
          kind: 'transfer',
          dueAt: transfer.dueBy,
          author: transfer.openedBy,
          recordedAt: transfer.openedAt,
          categoryNames: [],
        },
        'transfer-chase',
        recipients,
        now,
        chasesDue,
      );
    }
    return { queued, nextCheckAt: nextChaseAt, settled: false };
  };
}
