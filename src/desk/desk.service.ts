import type { AccessActor } from '../access';
import type { Action, ReferralAwaitingDecision } from '../actions';
import type { Alert } from '../alerts';
import type { IncidentHeader } from '../incidents';
import type { Pupil } from '../pupils';
import { pupilDisplayName } from '../pupils';
import type { Category } from '../schools';
import type { Clock } from '../shared/clock';
import { toSchoolDateTime } from '../shared/school-time';
import type { SchoolScope } from '../shared/school-scope';
import { isSafeguardingTeam } from '../staff';
import type { MyDesk, NeedsAttention, TaskLine, TransferDeskSource } from './desk.types';
import { flagsAndCases, type FlagAndCaseSources } from './desk-flags-and-cases';

/** How far back "new" reaches: a concern nobody reviewed in a month is still on the desk. */
const NEW_CONCERN_DAYS = 30;
const MOST_LINES = 50;
const DAY_MS = 86_400_000;

/** Where the desk reads from: each feature's own queries, narrow so tests pass small fakes. */
export interface DeskSources extends FlagAndCaseSources {
  records: {
    listRecentIn(
      scope: SchoolScope,
      since: Date,
      limit: number,
      until?: Date,
    ): Promise<IncidentHeader[]>;
    listRecordedBy(
      scope: SchoolScope,
      aadObjectId: string,
      since: Date,
      limit: number,
    ): Promise<{ incidentId: string; reference: string; recordedAt: Date }[]>;
  };
  reviews: { reviewsOf(scope: SchoolScope, ids: readonly string[]): Promise<Map<string, unknown>> };
  alerts: {
    listOpen(actor: AccessActor): Promise<{ unacknowledged: Alert[]; undeliverable: Alert[] }>;
    recipientNames(scope: SchoolScope, alerts: readonly Alert[]): Promise<Map<string, string>>;
  };
  tasks: {
    overdueTasks(actor: AccessActor): Promise<Action[]>;
    openTasksOf(actor: AccessActor): Promise<Action[]>;
  };
  referrals: { list(actor: AccessActor): Promise<ReferralAwaitingDecision[]> };
  /** Child protection files on their way to the next school, until the receipt (optional). */
  transfers?: { openForDesk(actor: AccessActor): Promise<TransferDeskSource[]> };
  pupils: { findPupils(scope: SchoolScope, ids: readonly string[]): Promise<Pupil[]> };
  lists: {
    listCategories(scope: SchoolScope): Promise<Category[]>;
    listAgencies(scope: SchoolScope): Promise<{ agencyId: string; name: string }[]>;
  };
  clock: Clock;
  /** Open subject access requests (src/sar/); none when the register is not wired in. */
  subjectAccess?: {
    openForDesk(actor: AccessActor): Promise<
      {
        sarId: string;
        reference: string;
        pupilId: string;
        receivedAt: Date;
        dueAt: Date;
        status: 'open' | 'extended';
      }[]
    >;
  };
  /** Records due for retention review (src/retention): a count; the list is the tab's page. */
  retention?: { dueCount(scope: SchoolScope): Promise<number> };
}

/**
 * The desk: what needs the safeguarding team now (new concerns nobody in the team has reviewed,
 * alerts nobody acknowledged, referrals waiting for a decision, tasks overdue or due today), or
 * for anyone else their own recent records and tasks. Each list comes from the feature that owns
 * it, which applies the access rules; nothing outside the person's reach is listed or counted.
 */
export class DeskService {
  constructor(private readonly sources: DeskSources) {}

  async deskFor(actor: AccessActor): Promise<NeedsAttention | MyDesk> {
    return isSafeguardingTeam(actor.roles) ? this.needsAttention(actor) : this.myDesk(actor);
  }

  private async needsAttention(actor: AccessActor): Promise<NeedsAttention> {
    const { records, reviews, alerts, tasks, referrals, clock } = this.sources;
    const now = clock.now();
    // Pattern flags and open cases are read alongside the rest (the desk's first paint waits on all).
    const flagsAndOpenCases = flagsAndCases(this.sources, actor, now, (ids) =>
      this.namesOf(actor, ids),
    );
    // Awaited below; until then a failure must not go unhandled (the await rethrows it).
    flagsAndOpenCases.catch(() => undefined);
    const [recent, open, overdue, mine, waiting, sars, transfers] = await Promise.all([
      records.listRecentIn(actor, new Date(now.getTime() - NEW_CONCERN_DAYS * DAY_MS), 500, now),
      alerts.listOpen(actor),
      tasks.overdueTasks(actor),
      tasks.openTasksOf(actor),
      referrals.list(actor),
      this.sources.subjectAccess?.openForDesk(actor) ?? [],
      this.sources.transfers?.openForDesk(actor) ?? Promise.resolve([]),
    ]);
    // The team sees the whole school but a record about a pupil they have a conflict with.
    const visible = recent.filter((r) => !involves(r, actor.conflictPupilIds));
    const reviewed = await reviews.reviewsOf(
      actor,
      visible.map((r) => r.incidentId),
    );
    const unreviewed = visible.filter((r) => !reviewed.has(r.incidentId)).slice(0, MOST_LINES);
    const today = toSchoolDateTime(now).date;
    const dueToday = mine.filter((t) => dueOf(t) && toSchoolDateTime(dueOf(t)!).date === today);
    const taskList = uniqueBy([...overdue, ...dueToday], (t) => t.actionId);

    const names = await this.namesOf(actor, [
      ...unreviewed.map((r) => r.pupilId),
      ...taskList.flatMap((t) => t.pupilIds.slice(0, 1)),
      ...waiting.flatMap((w) => w.referral.pupilIds.slice(0, 1)),
      ...sars.map((s) => s.pupilId),
      ...transfers.map((t) => t.transfer.pupilId),
    ]);
    const [categories, agencies] = await Promise.all([
      this.sources.lists.listCategories(actor),
      this.sources.lists.listAgencies(actor),
    ]);
    const categoryName = new Map(categories.map((c) => [c.categoryId, c.name]));
    const agencyName = new Map(agencies.map((a) => [a.agencyId, a.name]));
    const alertPupils = await this.alertPupilNames(actor, open.unacknowledged, recent);
    const undelivered = open.undeliverable.slice(0, MOST_LINES);
    const recipientNames = await alerts.recipientNames(actor, undelivered);

    return {
      kind: 'team',
      newConcerns: unreviewed.map((r) => ({
        incidentId: r.incidentId,
        reference: r.reference,
        pupilName: names.get(r.pupilId) ?? 'A pupil no longer on roll',
        recordedAt: r.recordedAt,
        recordedByName: r.recordedBy.displayName,
        categoryNames: r.categoryIds.map((id) => categoryName.get(id) ?? id),
      })),
      unacknowledgedAlerts: open.unacknowledged.slice(0, MOST_LINES).map((a) => ({
        incidentId: a.incidentId,
        reference: a.reference,
        pupilName: alertPupils.get(a.incidentId) ?? '',
        recordedAt: a.recordedAt,
        escalationStep: a.wave,
      })),
      undeliverableAlerts: open.undeliverable.length,
      undeliveredAlerts: undelivered.map((a) => ({
        incidentId: a.incidentId,
        reference: a.reference,
        alertId: a.alertId,
        recipientName:
          recipientNames.get(a.recipientAadObjectId) ?? 'A member of staff no longer listed',
        reason: a.lastError ?? '',
        queuedAt: a.createdAt,
      })),
      referralsAwaitingDecision: waiting
        .slice(0, MOST_LINES)
        .map(({ referral, decisionDueAt }) => ({
          incidentId: referral.incidentId,
          reference: referral.reference,
          pupilName: names.get(referral.pupilIds[0] ?? '') ?? '',
          referredAt:
            referral.details.kind === 'referral'
              ? referral.details.referredAt
              : referral.happenedAt,
          agencyName:
            referral.details.kind === 'referral'
              ? (agencyName.get(referral.details.agencyId) ?? referral.details.agencyId)
              : '',
          decisionDueAt,
          overdue: decisionDueAt.getTime() < now.getTime(),
        })),
      tasks: taskList.slice(0, MOST_LINES).map((t) => taskLine(t, names, now)),
      subjectAccessRequests: sars.slice(0, MOST_LINES).map((s) => ({
        sarId: s.sarId,
        reference: s.reference,
        pupilName: names.get(s.pupilId) ?? 'A pupil no longer on roll',
        receivedAt: s.receivedAt,
        dueAt: s.dueAt,
        extended: s.status === 'extended',
        overdue: s.dueAt.getTime() < now.getTime(),
      })),
      transfers: transfers.slice(0, MOST_LINES).map((t) => ({
        transferId: t.transfer.transferId,
        pupilName: names.get(t.transfer.pupilId) ?? 'A pupil no longer on roll',
        destinationSchool: t.transfer.destination.schoolName ?? '',
        state: t.state,
        dueBy: t.transfer.dueBy,
        overdue: t.overdue,
        chasesDue: t.chasesDue,
      })),
      ...(await flagsAndOpenCases),
      ...(this.sources.retention
        ? { retentionReviewsDue: await this.sources.retention.dueCount(actor) }
        : {}),
    };
  }

  private async myDesk(actor: AccessActor): Promise<MyDesk> {
    const now = this.sources.clock.now();
    const [myRecords, tasks] = await Promise.all([
      this.sources.records.listRecordedBy(
        actor,
        actor.aadObjectId,
        new Date(now.getTime() - NEW_CONCERN_DAYS * DAY_MS),
        MOST_LINES,
      ),
      this.sources.tasks.openTasksOf(actor),
    ]);
    const names = await this.namesOf(
      actor,
      tasks.flatMap((t) => t.pupilIds.slice(0, 1)),
    );
    return {
      kind: 'staff',
      myRecords,
      myTasks: tasks.slice(0, MOST_LINES).map((t) => taskLine(t, names, now)),
    };
  }

  private async namesOf(scope: SchoolScope, pupilIds: string[]): Promise<Map<string, string>> {
    const pupils = await this.sources.pupils.findPupils(scope, [...new Set(pupilIds)]);
    return new Map(pupils.map((p) => [p.pupilId, pupilDisplayName(p)]));
  }

  /** Alerts carry no pupil (their cards never name one): the record says who it is about. */
  private async alertPupilNames(
    scope: SchoolScope,
    alerts: readonly Alert[],
    recent: readonly IncidentHeader[],
  ): Promise<Map<string, string>> {
    const subjectOf = new Map(recent.map((r) => [r.incidentId, r.pupilId]));
    const ids = alerts.map((a) => subjectOf.get(a.incidentId)).filter((id): id is string => !!id);
    const names = await this.namesOf(scope, ids);
    return new Map(
      alerts.flatMap((a) => {
        const name = names.get(subjectOf.get(a.incidentId) ?? '');
        return name ? [[a.incidentId, name] as const] : [];
      }),
    );
  }
}

function involves(record: IncidentHeader, pupilIds: readonly string[]): boolean {
  return [record.pupilId, ...record.linkedPupils.map((l) => l.pupilId)].some((id) =>
    pupilIds.includes(id),
  );
}

function dueOf(task: Action): Date | undefined {
  return task.details.kind === 'task' ? task.details.dueAt : undefined;
}

function taskLine(task: Action, names: Map<string, string>, now: Date): TaskLine {
  const dueAt = dueOf(task) ?? task.happenedAt;
  return {
    incidentId: task.incidentId,
    reference: task.reference,
    pupilName: names.get(task.pupilIds[0] ?? '') ?? '',
    actionId: task.actionId,
    assigneeName: task.details.kind === 'task' ? task.details.assignee.displayName : '',
    dueAt,
    overdue: dueAt.getTime() < now.getTime(),
  };
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item] as const)).values()];
}
