import type { StatutoryCalendar } from '../clocks';
import { referralDecisionDueAt } from '../clocks';
import { AppError } from '../shared/errors';
import { isSafeguardingTeam, type Actor } from '../staff';
import type { ActionJobRepository } from './action-job.repository';
import type { ActionRepository } from './action.repository';
import type { Action } from './action.types';

/** A statutory referral with no decision after it yet, and when the decision is due. */
export interface ReferralAwaitingDecision {
  readonly referral: Action;
  readonly decisionDueAt: Date;
}

const MOST = 200;

/**
 * The referrals to children's social care still waiting for the team's decision: their clock
 * jobs not settled, less any record where a decision has been added since (the clock settles it
 * at its next look). For the safeguarding team; records a member has a conflict with are left out.
 */
export class ReferralsAwaitingDecision {
  constructor(
    private readonly jobs: Pick<ActionJobRepository, 'openJobs'>,
    private readonly store: Pick<ActionRepository, 'listForIncidents'>,
    private readonly calendar: StatutoryCalendar,
  ) {}

  async list(actor: Actor): Promise<ReferralAwaitingDecision[]> {
    if (!isSafeguardingTeam(actor.roles)) {
      throw new AppError('ACCESS.DENIED', 'referral clocks are for the safeguarding team');
    }
    const jobs = await this.jobs.openJobs(actor, 'referral', MOST);
    // One read of the records' actions gives both the referrals and any decision after them.
    const actions = await this.store.listForIncidents(
      actor,
      [...new Set(jobs.map((j) => j.incidentId))],
      MOST * 10,
    );
    const waiting = new Set(jobs.map((j) => j.actionId));
    const referrals = actions
      .filter((a) => waiting.has(a.actionId) && a.details.kind === 'referral')
      .filter((a) => !a.pupilIds.some((id) => actor.conflictPupilIds.includes(id)));
    return referrals
      .filter(
        (r) =>
          !actions.some(
            (a) =>
              a.incidentId === r.incidentId &&
              a.details.kind === 'decision' &&
              a.sequence > r.sequence,
          ),
      )
      .map((referral) => ({
        referral,
        decisionDueAt: referralDecisionDueAt(
          referral.details.kind === 'referral' ? referral.details.referredAt : referral.happenedAt,
          this.calendar,
        ),
      }))
      .sort((a, b) => a.decisionDueAt.getTime() - b.decisionDueAt.getTime());
  }
}
