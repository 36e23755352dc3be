import type { Connection } from 'mongoose';
import type { ActionAlerts } from '../alerts';
import type { AuditTrail, ChangeAuditRecovery } from '../audit';
import type { StatutoryCalendar } from '../clocks';
import type { NarrativeCipher } from '../encryption';
import type { DomainEvents } from '../events';
import type { Incident } from '../incidents';
import type { Category, Agency } from '../schools';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { SchoolScope } from '../shared/school-scope';
import type { StaffMember } from '../staff';
import type { LeaseRepository } from '../store/lease.repository';
import type { ActionFiles } from './action-details';
import { invitedToRecords } from './action-invitations';
import { ActionJobRepository } from './action-job.repository';
import { ActionJobs, type OtherClock } from './action-jobs';
import { ActionRepository } from './action.repository';
import { ActionService } from './action.service';
import { CaseStatusRepository } from './case-status.repository';
import { CaseStatusService } from './case-status.service';
import type { ActionRecords } from './record-access';
import { ReferralsAwaitingDecision } from './referrals-awaiting';

/**
 * The actions, case statuses and clock jobs at rest (text and reasons sealed by the cipher), and
 * who actions invited to a record: access is built from that query before the services exist.
 */
export function createActionStores(connection: Connection, cipher: NarrativeCipher) {
  const actionRepository = new ActionRepository(connection, cipher);
  return {
    actionRepository,
    statusRepository: new CaseStatusRepository(connection, cipher),
    jobRepository: new ActionJobRepository(connection),
    invitedTo: (scope: SchoolScope, incidentIds: readonly string[]) =>
      invitedToRecords(actionRepository, scope, incidentIds),
  };
}

type ActionStores = ReturnType<typeof createActionStores>;

/** What the actions feature is built from: its stores and the ports of the modules below it. */
interface ActionModuleDeps {
  /** The one access policy over records. */
  readonly access: Pick<ActionRecords, 'authorize'>;
  readonly records: {
    findById(scope: SchoolScope, incidentId: string): Promise<Incident | undefined>;
  };
  /** alerts/: queues the alerts of the actions' clocks. */
  readonly actionAlerts: Pick<ActionAlerts, 'queueForActionClock'>;
  /** Where an added action and a case's closing or reopening are announced. */
  readonly events: Pick<DomainEvents, 'publish'>;
  readonly lists: {
    listCategories(scope: SchoolScope): Promise<Category[]>;
    listAgencies(scope: SchoolScope): Promise<Agency[]>;
  };
  readonly staff: {
    findStaff(scope: SchoolScope, aadObjectIds: readonly string[]): Promise<StaffMember[]>;
    listSafeguardingTeam(scope: SchoolScope): Promise<StaffMember[]>;
  };
  readonly fileStore: ActionFiles;
  readonly audit: AuditTrail;
  /** audit/: appends an action's event a crash cut off, when the same form comes again. */
  readonly changeAudit?: Pick<ChangeAuditRecovery, 'recover'>;
  readonly leases: LeaseRepository;
  readonly clock: Clock;
  /** The config slice: school days and bank holidays for the statutory clocks. */
  readonly calendar: StatutoryCalendar;
}

/**
 * Builds the actions feature (actions, case status, and a factory for the clock jobs the app
 * runs). What follows an added action is not here: it publishes `action.added`.
 */
export function createActionsModule(stores: ActionStores, deps: ActionModuleDeps) {
  const records: ActionRecords = {
    authorize: (actor, id, operation, requestId) =>
      deps.access.authorize(actor, id, operation, requestId),
    findIncident: (scope, id) => deps.records.findById(scope, id),
    listCategories: (scope) => deps.lists.listCategories(scope),
  };
  const actions = new ActionService(
    stores.actionRepository,
    stores.jobRepository,
    records,
    {
      findStaff: (scope, ids) => deps.staff.findStaff(scope, ids),
      listAgencies: (scope) => deps.lists.listAgencies(scope),
    },
    deps.fileStore,
    deps.events,
    deps.audit,
    deps.clock,
    { calendar: deps.calendar },
    deps.changeAudit,
  );
  const cases = new CaseStatusService(
    stores.actionRepository,
    stores.statusRepository,
    records,
    deps.audit,
    deps.clock,
    deps.events,
  );
  /** The durable reminder and chase jobs, for the app to start (one per instance). */
  const actionJobs = (
    owner: string,
    logger: Logger,
    otherClocks?: { transfer?: OtherClock; retention?: OtherClock },
  ) =>
    new ActionJobs({
      store: stores.actionRepository,
      jobs: stores.jobRepository,
      records,
      team: { listSafeguardingTeam: (scope) => deps.staff.listSafeguardingTeam(scope) },
      alerts: deps.actionAlerts,
      leases: deps.leases,
      clock: deps.clock,
      calendar: deps.calendar,
      owner,
      logger,
      ...(otherClocks ? { otherClocks } : {}),
    });
  /** The desk's referrals to children's social care still waiting for a decision. */
  const referralsAwaiting = new ReferralsAwaitingDecision(
    stores.jobRepository,
    stores.actionRepository,
    deps.calendar,
  );
  return { actions, cases, actionJobs, referralsAwaiting };
}
