import type { Connection } from 'mongoose';
import {
  ActionJobRepository,
  ActionJobs,
  ActionRepository,
  ActionService,
  CaseStatusRepository,
  CaseStatusService,
  DEFAULT_STATUTORY_AGENCY_IDS,
  type ActionFiles,
  type ActionRecords,
} from './actions';
import type { ActionAlerts } from './alerts';
import type { SchoolDayConfig } from './clocks';
import type { AuditTrail } from './audit';
import type { NarrativeCipher } from './encryption';
import type { DomainEvents } from './events';
import type { IncidentRepository } from './incidents';
import type { SchoolLists } from './schools';
import type { Clock } from './shared/clock';
import type { Logger } from './shared/logger';
import type { StaffDirectory } from './staff';
import type { LeaseRepository } from './store/lease.repository';

/** What the actions feature is built from: the app's other services on the same connection. */
interface ActionServiceDeps {
  /** The app's RecordAccess: the one access policy over records. */
  readonly access: Pick<ActionRecords, 'authorize'>;
  readonly incidentRepository: Pick<IncidentRepository, 'findById'>;
  /** alerts/: queues the alerts of the actions' clocks. */
  readonly actionAlerts: Pick<ActionAlerts, 'queueForActionClock'>;
  /** Where an added action and a case's closing or reopening are announced. */
  readonly events: Pick<DomainEvents, 'publish'>;
  readonly lists: Pick<SchoolLists, 'listCategories' | 'listAgencies'>;
  readonly staff: Pick<StaffDirectory, 'findStaff' | 'listSafeguardingTeam'>;
  readonly fileStore: ActionFiles;
  readonly audit: AuditTrail;
  /** Seals actions' text and reasons at rest. */
  readonly cipher: NarrativeCipher;
  readonly leases: LeaseRepository;
  readonly clock: Clock;
  readonly calendar: {
    readonly schoolDay: SchoolDayConfig;
    readonly bankHolidays: readonly string[];
  };
}

/**
 * Builds the actions feature (actions, case status, and a factory for the clock jobs the app
 * runs). Call before syncAllIndexes so the actions' unique indexes exist before the first write.
 */
export function createActionServices(connection: Connection, deps: ActionServiceDeps) {
  const actionRepository = new ActionRepository(connection, deps.cipher);
  const statusRepository = new CaseStatusRepository(connection, deps.cipher);
  const jobRepository = new ActionJobRepository(connection);
  const records: ActionRecords = {
    authorize: (actor, id, operation, requestId) =>
      deps.access.authorize(actor, id, operation, requestId),
    findIncident: (scope, id) => deps.incidentRepository.findById(scope, id),
    listCategories: (scope) => deps.lists.listCategories(scope),
  };
  const actions = new ActionService(
    actionRepository,
    jobRepository,
    records,
    {
      findStaff: (scope, ids) => deps.staff.findStaff(scope, ids),
      listAgencies: (scope) => deps.lists.listAgencies(scope),
    },
    deps.fileStore,
    deps.events,
    deps.audit,
    deps.clock,
    { calendar: deps.calendar, statutoryAgencyIds: DEFAULT_STATUTORY_AGENCY_IDS },
  );
  const cases = new CaseStatusService(
    actionRepository,
    statusRepository,
    records,
    deps.audit,
    deps.clock,
    deps.events,
  );
  /** The durable reminder and chase jobs, for the app to start (one per instance). */
  const actionJobs = (owner: string, logger: Logger) =>
    new ActionJobs({
      store: actionRepository,
      jobs: jobRepository,
      records,
      team: { listSafeguardingTeam: (scope) => deps.staff.listSafeguardingTeam(scope) },
      alerts: deps.actionAlerts,
      leases: deps.leases,
      clock: deps.clock,
      calendar: deps.calendar,
      owner,
      logger,
    });
  return { actions, cases, actionJobs };
}
