import type { Connection } from 'mongoose';
import type { DomainEvents } from '../events';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { SchoolScope } from '../shared/school-scope';
import { OpenCaseRepository } from './open-case.repository';
import { OpenCasesView, type OpenCaseSources } from './open-cases';
import { ReportMonthRepository } from './report-month.repository';
import { ReportMonthsView, type ReportMonthSources } from './report-months';
import { SummaryBuilds } from './summary-build.repository';
import { subscribeSummaries } from './summaries-subscriptions';
import { FollowUpQueue } from './follow-up-queue';

/** A week of a very busy school: the catch-up's bound. */
const MOST_CAUGHT_UP = 5_000;

/** What the summaries are worked out from, and which schools there are (for the one-off build). */
export interface SummariesDeps {
  sources: OpenCaseSources & ReportMonthSources;
  schools: { listAll(): Promise<readonly SchoolScope[]> };
  /** Records stored since an instant, across schools (the start-up catch-up). */
  recent: {
    listRecordedSince(
      since: Date,
      limit: number,
    ): Promise<readonly (SchoolScope & { incidentId: string })[]>;
  };
  events: Pick<DomainEvents, 'subscribe'>;
  clock: Clock;
  /** Where a failed follow-up is logged (by name, type and code; never content). */
  logger?: Pick<Logger, 'error'>;
}

/**
 * Small collections kept up to date by domain events, so the desk and the reports read a few
 * documents by equality instead of a school's whole history: the desk's open cases, and the
 * reports' monthly summaries. Each is used only once built (`isBuilt`); until then readers fall
 * back to reading the records.
 */
export function createSummariesModule(connection: Connection, deps: SummariesDeps) {
  const openCases = new OpenCasesView(new OpenCaseRepository(connection), deps.sources);
  const reportMonths = new ReportMonthsView(new ReportMonthRepository(connection), deps.sources);
  const builds = new SummaryBuilds(connection);
  const queue = queueOf(connection, (name, error) =>
    deps.logger?.error(
      {
        event: 'summaries.follow_up_failed',
        followUp: name,
        code: (error as { code?: string })?.code,
      },
      'summaries follow-up failed',
    ),
  );
  subscribeSummaries(deps.events, queue, { openCases, reportMonths });
  let built = false;
  const reconcileRecord = async (scope: SchoolScope, incidentId: string) => {
    await openCases.reconcile(scope, incidentId);
    await reportMonths.reconcileConcern(scope, incidentId);
  };
  const buildMissing = () =>
    builds.buildMissing(
      () => deps.schools.listAll(),
      async (school) => {
        await openCases.build(school);
        await reportMonths.build(school);
      },
      () => deps.clock.now(),
    );
  // Read after what this process has queued: someone's own change is on their next desk.
  const isBuilt = async () => {
    await queue.settled();
    return (built ||= await builds.isBuilt());
  };
  return {
    summaries: {
      /** Open cases oldest first and their count; undefined until the summaries are built. */
      async oldestOpen(scope: SchoolScope, leaveOutPupils: readonly string[], limit: number) {
        return (await isBuilt()) ? openCases.oldestOpen(scope, leaveOutPupils, limit) : undefined;
      },
      /** A period's months of report facts; undefined until the summaries are built. */
      async reportFactsOf(scope: SchoolScope, months: readonly string[]) {
        return (await isBuilt()) ? reportMonths.factsOf(scope, months) : undefined;
      },
      /** Builds what is missing (once per database; resumable). Start-up awaits it. */
      buildMissing,
      /**
       * Works one record out again in both summaries: for writers that record without announcing
       * it (the demo history), and the catch-up below. Idempotent.
       */
      reconcileRecord,
      /** Resolves when every follow-up queued so far is done (tests, benches, readers). */
      settled: () => queue.settled(),
      /**
       * Records of the last days a crash may have left out (stored, then the process died before
       * `incident.recorded` was heard): each is worked out again. Returns how many were looked at.
       */
      async catchUp(since: Date): Promise<number> {
        const recent = await deps.recent.listRecordedSince(since, MOST_CAUGHT_UP);
        for (const r of recent) await reconcileRecord(r, r.incidentId);
        return recent.length;
      },
      /** After a bulk load behind the app's back (benches): build everything again. */
      async rebuild() {
        await queue.settled();
        built = false;
        await builds.forget();
        return buildMissing();
      },
    },
  };
}

/**
 * One queue per connection: two service graphs on one database in one process (the app and a
 * test's, or the tab's) follow up in one line, and a reader of either waits for both.
 */
const queues = new WeakMap<Connection, FollowUpQueue>();
function queueOf(connection: Connection, onError: ConstructorParameters<typeof FollowUpQueue>[0]) {
  const queue = queues.get(connection) ?? new FollowUpQueue(onError);
  queues.set(connection, queue);
  return queue;
}
