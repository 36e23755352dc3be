// A little over 300 lines: the runner of the demo year (each planned step through the real
// services, resumable, with progress); the plan itself is demo-history-plan.ts.
import type { AccessActor } from '../access';
import { parseActionForm, type ActionService, type CaseStatusService } from '../actions';
import type { AlertRepository, AlertService } from '../alerts';
import { parseIncidentForm, type AmendmentService, type IncidentService } from '../incidents';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { SchoolScope } from '../shared/school-scope';
import { SCHOOL_TIME_ZONE, toSchoolDateTime } from '../shared/school-time';
import { isSafeguardingTeam, type Actor, type StaffDirectory } from '../staff';
import type { StepUpService } from '../step-up';
import type { OpenStore } from '../store/open-store';
import type { PupilStatusService } from '../pupil-status';
import type { ReviewService } from '../reviews';
import { demoStatusLines } from './demo-statuses';
import { DEMO_DSL_ID, reviewAllButLatest, reviewPastPatternFlags } from './demo-pattern-reviews';
import type { PatternService } from '../patterns';
import { planDemoHistory, type HistoryStep } from './demo-history-plan';
import { DemoHistoryRepository } from './demo-history.repository';
import { DEMO_SCHOOL_ID } from './seed-demo-school';

/** The app's services the history is written through: createAppServices gives them all. */
export interface HistoryServices {
  readonly staff: Pick<StaffDirectory, 'resolveActor'>;
  readonly incidents: Pick<IncidentService, 'recordIncident'>;
  readonly alerts: Pick<AlertService, 'enqueueForIncident' | 'acknowledge'>;
  readonly alertRepository: Pick<AlertRepository, 'forIncident' | 'withholdPending'>;
  readonly actions: Pick<ActionService, 'add' | 'completeTask'>;
  readonly amendments: Pick<AmendmentService, 'amend'>;
  readonly cases: Pick<CaseStatusService, 'close' | 'reopen' | 'caseStatus'>;
  readonly stepUp: Pick<StepUpService, 'noteStepUp' | 'isSteppedUp'>;
  readonly pupilStatus: Pick<PupilStatusService, 'importStatuses'>;
  readonly reviews: Pick<ReviewService, 'markReviewed'>;
  readonly patterns: Pick<PatternService, 'evaluate' | 'openFlags' | 'markReviewed'>;
  actionJobs(owner: string, logger: Logger): { runDue(): Promise<number> };
  /** The desk's open cases and the reports' months of one record (as after a submit). */
  readonly summaries: {
    reconcileRecord(scope: { tenantId: string; schoolId: string }, id: string): Promise<void>;
  };
  /** Puts records stored since then into the chronology index (what the tab lists). */
  reindexRecent(since: Date): Promise<number>;
}

/** Where and how to write the demo school's past year. */
export interface DemoHistoryOptions {
  readonly connection: OpenStore['connection'];
  readonly tenantId: string;
  /** The app's clock: its today is the seeding day, and nothing is dated on or after it. */
  readonly clock: Clock;
  /**
   * The app's own service graph, built on the clock it is given: the history's clock, which
   * stands at each step's moment in turn (createAppServices with the app's options).
   */
  readonly services: (clock: Clock) => Promise<HistoryServices>;
  readonly logger: Logger;
}

/** What a run wrote; a second run (the marker is finished) writes nothing. */
export interface DemoHistorySummary {
  readonly alreadySeeded: boolean;
  /** The school-local day the history was planned back from (YYYY-MM-DD). */
  readonly seedDay: string;
  readonly concerns: number;
  readonly acknowledgements: number;
  readonly actions: number;
  readonly tasksDone: number;
  readonly amendments: number;
  readonly closed: number;
  readonly reopened: number;
  /** Alerts the action clocks queued in the past (reminders, overdue notices, chases). */
  readonly clockAlerts: number;
  /** Alerts marked withheld: the whole outbox of the past year (see below). */
  readonly withheld: number;
  /** Steps the services refused (0 unless the plan and the rules disagree); logged by code. */
  readonly refused: number;
}

/** How many days before the seeding day the demo team stopped reviewing. */
const REVIEW_LAG_DAYS = 4;
const WITHHELD_REASON = 'demo history: part of the seeded past year, never sent live';

/** The clock the history's services read, set to each step's moment in turn. */
class HistoryClock implements Clock {
  private at = new Date(0);
  now(): Date {
    return new Date(this.at);
  }
  set(at: Date): void {
    this.at = new Date(at);
  }
}

/**
 * Gives the demo school a past: about 300 concerns over a year up to yesterday, about 60 pupils,
 * with acknowledgements, actions, tasks, referrals, amendments and closed cases (see
 * demo-history-plan.ts). Everything is done as the people in the plan, through the app's own
 * services (validation, the access policy, step-up, the audit trail, encryption at rest), on a
 * clock that stands at each step's moment. Once per database: a marker records the day the plan
 * was made for and when it finished; a run cut short carries on from the same plan (every step is
 * idempotent or checked first), and a finished one returns at once.
 */
export async function seedDemoHistory(options: DemoHistoryOptions): Promise<DemoHistorySummary> {
  const { logger } = options;
  const scope: SchoolScope = { tenantId: options.tenantId, schoolId: DEMO_SCHOOL_ID };
  const markers = new DemoHistoryRepository(options.connection);
  const found = await markers.find(scope);
  if (found?.finishedAt) {
    logger.info(
      { event: 'demo.history_present', seedDay: found.seedDay },
      `demo history: already written (a year up to ${found.seedDay}); nothing to add`,
    );
    return { ...emptySummary(found.seedDay), ...(found.summary ?? {}), alreadySeeded: true };
  }
  const today = toSchoolDateTime(options.clock.now(), SCHOOL_TIME_ZONE).date;
  const marker = await markers.start(scope, found?.seedDay ?? today, options.clock.now());
  const seedDay = marker.seedDay;
  const plan = planDemoHistory(seedDay);
  /** Concerns acknowledged from here on stay unreviewed: the demo desk's new ones. */
  const reviewedBefore = new Date(
    Date.parse(`${seedDay}T00:00:00Z`) - REVIEW_LAG_DAYS * 86_400_000,
  );
  /** The pupil with the most concerns (on a child protection plan): the demo desk's flag. */
  const busiest = demoStatusLines(plan)[0]?.pupilId;
  logger.info(
    { event: 'demo.history_started', seedDay, concerns: plan.concerns, steps: plan.steps.length },
    `demo history: writing a past year for the demo school (${plan.concerns} concerns about ${plan.pupils} pupils; once per database)`,
  );
  const startedMs = performance.now();

  const clock = new HistoryClock();
  const services = await options.services(clock);
  // The clocks log each alert they queue; a year of them would drown the start-up log.
  const jobs = services.actionJobs('demo-history', logger.child({}, { level: 'warn' }));
  const counts = { ...emptySummary(seedDay) } as {
    -readonly [K in keyof DemoHistorySummary]: DemoHistorySummary[K];
  };
  const refusals = new Map<string, number>();
  const incidents = new Map<number, string>();
  const actionIds = new Map<string, string>();
  const actors = new Map<string, Actor>();
  const alertsOf = new Map<number, { alertId: string; recipientAadObjectId: string }[]>();

  const actorOf = async (aadObjectId: string): Promise<Actor> => {
    let actor = actors.get(aadObjectId);
    if (!actor) {
      actor = await services.staff.resolveActor(options.tenantId, aadObjectId);
      actors.set(aadObjectId, actor);
    }
    return actor;
  };
  const incidentOf = (concern: number): string => {
    const id = incidents.get(concern);
    if (!id) throw new AppError('INCIDENT.NOT_FOUND', `concern ${concern} was not recorded`);
    return id;
  };
  /** The team member steps up (a second factor, as in the tab) before what needs it. */
  const steppedUp = async (aadObjectId: string): Promise<AccessActor> => {
    const actor = await actorOf(aadObjectId);
    await services.stepUp.noteStepUp(actor, clock.now());
    return { ...actor, steppedUp: await services.stepUp.isSteppedUp(actor) };
  };

  const run = async (step: HistoryStep): Promise<void> => {
    switch (step.kind) {
      case 'record': {
        // The form's own checks, then the recording service's (the school's lists, conflicts);
        // then its alerts are queued, as after a submit in the bot. (The bot's draft of the form
        // is skipped: it keeps what someone typed, and nobody typed this.)
        const parsed = parseIncidentForm(step.values, clock.now());
        if (!parsed.ok) {
          const fields = Object.keys(parsed.errors).join(', ');
          throw new AppError('INCIDENT.INVALID', `concern ${step.concern} refused: ${fields}`);
        }
        const { incident, created } = await services.incidents.recordIncident(
          await actorOf(step.by),
          parsed.input,
          `demo-history:${seedDay}:c${step.concern}`,
        );
        await services.alerts.enqueueForIncident(incident);
        // The desk's open cases and the reports' months, as after a submit.
        await services.summaries.reconcileRecord(scope, incident.incidentId);
        // The school's pattern rules, as after a submit; the DSL has reviewed older flags.
        await services.patterns.evaluate(scope, incident.incidentId);
        const dsl: AccessActor = { ...(await actorOf(DEMO_DSL_ID)), steppedUp: false };
        await reviewPastPatternFlags(services.patterns, dsl, clock.now(), reviewedBefore, busiest);
        incidents.set(step.concern, incident.incidentId);
        if (created) counts.concerns += 1;
        return;
      }
      case 'acknowledge': {
        const incidentId = incidentOf(step.concern);
        let alerts = alertsOf.get(step.concern);
        if (!alerts) {
          alerts = await services.alertRepository.forIncident(scope, incidentId, 'incident');
          alertsOf.set(step.concern, alerts);
        }
        const mine = alerts.find((a) => a.recipientAadObjectId === step.by);
        if (!mine) throw new AppError('ALERT.NOT_RECIPIENT', 'no alert for this person');
        const actor = await actorOf(step.by);
        const result = await services.alerts.acknowledge(actor, mine.alertId);
        if (result.changed) counts.acknowledgements += 1;
        // The team reviews what it acknowledged, except the last few days' concerns, so the
        // demo desk opens on a handful of new ones rather than a year of them.
        if (isSafeguardingTeam(actor.roles) && step.at.getTime() < reviewedBefore.getTime()) {
          await services.reviews.markReviewed({ ...actor, steppedUp: false }, incidentId);
        }
        return;
      }
      case 'action': {
        const incidentId = incidentOf(step.concern);
        const parsed = parseActionForm(step.values, step.key, SCHOOL_TIME_ZONE);
        if (!parsed.ok) {
          throw new AppError('ACTION.INVALID', `refused: ${Object.keys(parsed.errors).join(', ')}`);
        }
        // Adding an action asks for no step-up (as from an alert card).
        const actor: AccessActor = { ...(await actorOf(step.by)), steppedUp: false };
        const result = await services.actions.add(actor, incidentId, parsed.input);
        actionIds.set(step.key, result.action.actionId);
        if (result.created) counts.actions += 1;
        return;
      }
      case 'complete-task': {
        const actionId = actionIds.get(step.task);
        if (!actionId) throw new AppError('ACTION.NOT_FOUND', 'the task was not added');
        const result = await services.actions.completeTask(await actorOf(step.by), actionId);
        if (result.changed) counts.tasksDone += 1;
        return;
      }
      case 'amend': {
        const incidentId = incidentOf(step.concern);
        try {
          await services.amendments.amend(await steppedUp(step.by), incidentId, step.request);
          counts.amendments += 1;
        } catch (error) {
          // Carrying on after a cut-short run: this amendment is already there.
          const repeated = /does not change anything/.test((error as Error).message);
          if (!(error instanceof AppError && repeated)) throw error;
        }
        return;
      }
      case 'close':
      case 'reopen': {
        const incidentId = incidentOf(step.concern);
        const [status] = await services.cases.caseStatus(scope, [incidentId]);
        if ((status?.latest?.sequence ?? 0) >= step.sequence) return; // done in a cut-short run
        const actor = await steppedUp(step.by);
        if (step.kind === 'close') {
          await services.cases.close(actor, incidentId);
          counts.closed += 1;
        } else {
          await services.cases.reopen(actor, incidentId, step.reason ?? 'New information.');
          counts.reopened += 1;
        }
        return;
      }
      case 'clocks':
        counts.clockAlerts += await jobs.runDue();
        return;
    }
  };

  const records = plan.steps.filter((s) => s.kind === 'record').length;
  let recordsDone = 0;
  let nextReport = 0.1;
  try {
    // The MIS export's status columns for the busiest pupils (plans, care, NHS numbers), an hour
    // before the year's first concern; a resumed run finds them there and writes nothing.
    clock.set(new Date((plan.steps[0]?.at ?? options.clock.now()).getTime() - 3_600_000));
    await services.pupilStatus.importStatuses(scope, demoStatusLines(plan));
    for (const step of plan.steps) {
      clock.set(step.at);
      try {
        await run(step);
      } catch (error) {
        if (!(error instanceof AppError)) throw error; // the store is down, or a bug: stop
        counts.refused += 1;
        refusals.set(error.code, (refusals.get(error.code) ?? 0) + 1);
      }
      if (step.kind === 'record') recordsDone += 1;
      if (recordsDone / Math.max(records, 1) >= nextReport) {
        logger.info(
          { event: 'demo.history_progress', concerns: recordsDone, of: records },
          `demo history: ${Math.round(nextReport * 100)}% (${recordsDone} of ${records} concerns)`,
        );
        nextReport += 0.1;
      }
    }
    // A minute after the last step (still in the past): the busiest pupil's older flags reviewed.
    const lastAt = plan.steps.at(-1)?.at.getTime() ?? options.clock.now().getTime();
    clock.set(
      new Date(Math.min(lastAt + 60_000, Date.parse(`${seedDay}T00:00:00Z`) - 2 * 3_600_000)),
    );
    if (busiest) {
      const dsl: AccessActor = { ...(await actorOf(DEMO_DSL_ID)), steppedUp: false };
      await reviewAllButLatest(services.patterns, dsl, busiest);
    }
    // The clocks once more at the seeding moment, so what is due by now has been looked at.
    clock.set(options.clock.now());
    counts.clockAlerts += await jobs.runDue();
    // The chronology index in one pass (the app mends the last week of it at every start).
    await services.reindexRecent(plan.steps[0]?.at ?? clock.now());
  } finally {
    // The past year's alerts never go out. Every record above queued alerts through the real
    // outbox (the access policy reads who was alerted from it, and each acknowledgement is the
    // alert's recipient acting on their own alert, audited), and the actions and clocks queued
    // more. Left pending, the delivery worker would send hundreds of stale cards the moment the
    // app starts. So they are marked `withheld` (never sent, with the reason), rather than
    // `sent`: no Teams message exists for them, and pretending one did would give card updates an
    // activity to edit that is not there. Delivery is not audited, so the audit chain holds
    // exactly what people did: recorded, acknowledged, added, amended, closed. This runs before
    // the app starts its delivery worker (src/app.ts), so nothing is sent in between.
    counts.withheld = await services.alertRepository.withholdPending(
      scope,
      [...incidents.values()],
      WITHHELD_REASON,
    );
  }
  const summary: DemoHistorySummary = { ...counts, alreadySeeded: false };
  await markers.finish(scope, options.clock.now(), countsOf(summary));
  const seconds = ((performance.now() - startedMs) / 1_000).toFixed(1);
  if (counts.refused > 0) {
    logger.warn(
      { event: 'demo.history_refused', refused: Object.fromEntries(refusals) },
      'demo history: some steps were refused by the services',
    );
  }
  logger.info(
    { event: 'demo.history_done', seconds: Number(seconds), ...countsOf(summary) },
    `demo history: done in ${seconds} s (${counts.concerns} concerns, ${counts.actions} actions, ${counts.closed} closed)`,
  );
  return summary;
}

function emptySummary(seedDay: string): DemoHistorySummary {
  return {
    alreadySeeded: false,
    seedDay,
    concerns: 0,
    acknowledgements: 0,
    actions: 0,
    tasksDone: 0,
    amendments: 0,
    closed: 0,
    reopened: 0,
    clockAlerts: 0,
    withheld: 0,
    refused: 0,
  };
}

/** The numbers of a summary (for the marker and the log). */
function countsOf(summary: DemoHistorySummary): Record<string, number> {
  return Object.fromEntries(
    Object.entries(summary).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number',
    ),
  );
}
