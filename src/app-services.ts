import type { Connection } from 'mongoose';
import {
  ActionAlerts,
  AlertRepository,
  AlertService,
  DEFAULT_ESCALATION,
  DeliveryBell,
  subscribeActionAlerts,
  subscribeAlerts,
  type EscalationConfig,
} from './alerts';
import { createActionServices } from './action-services';
import {
  DEFAULT_SCHOOL_DAY,
  ENGLAND_BANK_HOLIDAYS_2026_2027,
  type SchoolDayConfig,
} from './clocks';
import { ActionFlow } from './bot/actions/action-flow';
import { RecordAccess, RecordRelationsService, type AccessActor } from './access';
import { AuditLog, AuditRepository, RecordAuditService } from './audit';
import { HistoryFlow } from './bot/chronology/history-flow';
import { ReportFlow } from './bot/incident-form/report-flow';
import { FileUploadFlow, type FileUploadOptions } from './bot/file-upload/file-upload-flow';
import {
  ActionChronologySource,
  AmendmentChronologySource,
  ChronologyIndexer,
  ChronologyIndexRepository,
  ChronologyService,
  IncidentChronologySource,
  migratePerPupilChronology,
  RecordStateService,
  RecordViewService,
  subscribeChronology,
  type ChronologySource,
} from './chronology';
import { ConversationReferenceRepository } from './conversations';
import { throwawayCipher, type NarrativeCipher } from './encryption';
import { InProcessDomainEvents } from './events';
import {
  createFileStore,
  IncidentFileRepository,
  RecordFileService,
  type FileStoreConfig,
} from './files';
import {
  AmendmentRepository,
  AmendmentService,
  IncidentDraftRepository,
  IncidentFormService,
  IncidentRepository,
  IncidentService,
  type Incident,
  type IncidentDirectory,
} from './incidents';
import { PupilDirectory, PupilRepository } from './pupils';
import { SchoolListsRepository, SchoolLists, SchoolRepository } from './schools';
import type { Clock } from './shared/clock';
import type { Logger } from './shared/logger';
import { AppError } from './shared/errors';
import { StaffDirectory, StaffRepository } from './staff';
import { syncAllIndexes } from './store/connection';
import { StepUpRepository, StepUpService } from './step-up';
import { LeaseRepository } from './store/lease.repository';

/** What the service graph may vary (production passes config; tests the defaults). */
export interface ServiceOptions {
  /** Where file bytes live, and how files sent in Teams are fetched (local http in dev only). */
  files?: { store: FileStoreConfig; upload: FileUploadOptions };
  alerts?: { escalation: EscalationConfig; schoolDay: SchoolDayConfig };
  /** Bank holidays for the statutory clocks (England 2026–27 by default). */
  clocks?: { bankHolidays: readonly string[] };
  /** How long a step-up in the tab counts for the bot, in minutes. */
  stepUpWindowMinutes?: number;
  /** The Teams app id, for deep links into the tab (a development id by default). */
  teamsAppId?: string;
  /**
   * Seals narratives, drafts and file bytes at rest. The app passes the configured one (key file
   * or Key Vault); tests may omit it and get a real cipher over a key that lives in memory only.
   */
  cipher?: NarrativeCipher;
  /** Where a failed follow-up of a domain event is logged (by type and ids); none in tests. */
  logger?: Logger;
}

/** Every service the transports use, built on one connection. */
export type AppServices = Awaited<ReturnType<typeof createAppServices>>;

/**
 * Builds repositories and services on a connection and waits for their indexes (unique indexes
 * must exist before the first write). Shared by the app and by tests, so both run the same graph.
 */
export async function createAppServices(
  connection: Connection,
  clock: Clock,
  options: ServiceOptions = {},
) {
  const schools = new SchoolRepository(connection);
  const references = new ConversationReferenceRepository(connection);
  const pupils = new PupilDirectory(new PupilRepository(connection));
  const staff = new StaffDirectory(new StaffRepository(connection));
  const lists = new SchoolLists(new SchoolListsRepository(connection));
  const cipher = options.cipher ?? throwawayCipher();
  const incidentRepository = new IncidentRepository(connection, cipher);
  const drafts = new IncidentDraftRepository(connection, cipher);
  const alertRepository = new AlertRepository(connection);
  const leases = new LeaseRepository(connection);
  const fileStore = createFileStore(options.files?.store ?? { kind: 'mongo' }, connection, cipher);
  const incidentFiles = new IncidentFileRepository(connection);
  const auditEvents = new AuditRepository(connection);
  const amendmentRepository = new AmendmentRepository(connection, cipher);
  const chronologyIndex = new ChronologyIndexRepository(connection);
  const stepUpRepository = new StepUpRepository(connection);
  const audit = new AuditLog(auditEvents, clock);
  // What follows a write: features publish here once it is durable, and subscribe below.
  const events = new InProcessDomainEvents(options.logger);
  // Rung by alerts/ when it queues alerts; the app's delivery worker listens while it runs.
  const deliveryBell = new DeliveryBell();
  // alerts/ owns the outbox: the actions feature's alerts are queued through it.
  const actionAlerts = new ActionAlerts(alertRepository, deliveryBell);
  const { actions, cases, actionJobs } = createActionServices(connection, {
    // Built below; called only once requests flow (it needs actions.invitedTo in turn).
    access: { authorize: (...args) => recordAccess.authorize(...args) },
    incidentRepository,
    actionAlerts,
    events,
    lists,
    staff,
    fileStore,
    audit,
    cipher,
    leases,
    clock,
    calendar: {
      schoolDay: options.alerts?.schoolDay ?? DEFAULT_SCHOOL_DAY,
      bankHolidays: options.clocks?.bankHolidays ?? ENGLAND_BANK_HOLIDAYS_2026_2027,
    },
  });
  await syncAllIndexes(connection);
  // Once per database: the chronology's per-pupil collections of earlier versions (resumable).
  await migratePerPupilChronology(connection, chronologyIndex);

  const directory: IncidentDirectory = {
    findPupils: (scope, ids) => pupils.findPupils(scope, ids),
    listCategories: (scope) => lists.listCategories(scope),
    listAgencies: (scope) => lists.listAgencies(scope),
    findStaff: (scope, ids) => staff.findStaff(scope, ids),
    async referencePrefix(scope) {
      const school = await schools.get(scope.tenantId, scope.schoolId);
      if (!school) throw new AppError('SCHOOL.NOT_CONFIGURED', 'school not configured');
      return school.referencePrefix;
    },
  };
  const incidents = new IncidentService(incidentRepository, directory, clock, audit);
  const alerts = new AlertService(
    alertRepository,
    {
      listSafeguardingTeam: (scope) => staff.listSafeguardingTeam(scope),
      listActiveStaff: (scope, limit) => staff.listActiveStaff(scope, limit),
      findStaff: (scope, ids) => staff.findStaff(scope, ids),
      listCategories: (scope) => lists.listCategories(scope),
    },
    incidentRepository,
    clock,
    options.alerts ?? { escalation: DEFAULT_ESCALATION, schoolDay: DEFAULT_SCHOOL_DAY },
    audit,
    events,
  );
  // Who a record reaches besides its recorder: one reading for access checks and chronologies.
  const relations = new RecordRelationsService({
    async alertedAbout(scope, incidentId) {
      const sent = await alertRepository.forIncident(scope, incidentId, 'incident');
      return sent.map((a) => a.recipientAadObjectId);
    },
    invitedTo: (scope, incidentIds) => actions.invitedTo(scope, incidentIds),
  });
  const recordAccess = new RecordAccess<Incident>(
    {
      findRecord: (scope, incidentId) => incidentRepository.findById(scope, incidentId),
      relationsOf: (scope, incidentIds) => relations.relationsOf(scope, incidentIds),
      async teamOnlyCategoryIds(scope) {
        const categories = await lists.listCategories(scope);
        return new Set(categories.filter((c) => c.teamOnly).map((c) => c.categoryId));
      },
    },
    audit,
  );
  const amendments = new AmendmentService(
    amendmentRepository,
    recordAccess,
    directory,
    clock,
    audit,
    events,
  );
  const recordAudit = new RecordAuditService<AccessActor>(
    auditEvents,
    recordAccess,
    {
      async namesOf(scope, aadObjectIds) {
        const members = await staff.findStaff(scope, aadObjectIds);
        return new Map(members.map((m) => [m.aadObjectId, m.displayName]));
      },
    },
    audit,
  );
  const chronologyIndexer = new ChronologyIndexer(chronologyIndex);
  const forms = new IncidentFormService(incidents, drafts, clock, events);
  // Subscribers of a recorded incident, in this order (publish awaits them before the submit
  // answers): alerts/ queues its alerts and wakes delivery, then the chronology indexes it.
  subscribeAlerts(events, { alerts, records: incidentRepository, bell: deliveryBell });
  // An added action: alerts/ alerts the people it names.
  subscribeActionAlerts(events, { actionAlerts, actions, clock });
  subscribeChronology(events, { records: incidentRepository, indexer: chronologyIndexer });
  const actionFlow = new ActionFlow({
    actions,
    incidents: incidentRepository,
    lists,
    staff,
    clock,
  });
  const sources: ChronologySource[] = [
    new IncidentChronologySource(chronologyIndex),
    new ActionChronologySource(chronologyIndex, actions),
    new AmendmentChronologySource(chronologyIndex, amendmentRepository),
  ];
  const chronology = new ChronologyService({
    sources,
    pupils,
    categories: lists,
    relations,
    audit,
    clock,
    recordState: new RecordStateService({ amendments: amendmentRepository, cases }),
  });
  const recordView = new RecordViewService({
    records: incidentRepository,
    pupils,
    lists,
    files: incidentFiles,
    relations,
    audit,
    amendments: amendmentRepository,
    actions,
    cases,
  });
  const stepUp = new StepUpService(
    stepUpRepository,
    audit,
    clock,
    options.stepUpWindowMinutes ?? 15,
  );
  const history = new HistoryFlow({
    pupils,
    chronology,
    stepUp,
    teamsAppId: options.teamsAppId ?? '00000000-0000-0000-0000-00000000a001',
  });
  /** Indexes records stored since an instant that the index may have missed (start-up). */
  async function reindexRecent(since: Date): Promise<number> {
    return chronologyIndexer.rebuild(recordsSince(since));
  }
  async function* recordsSince(since: Date) {
    let from = since;
    for (;;) {
      const batch = await incidentRepository.listRecordedSince(from, 500);
      yield* batch;
      const last = batch.at(-1);
      if (batch.length < 500 || !last || last.recordedAt.getTime() === from.getTime()) return;
      from = last.recordedAt;
    }
  }
  const report = new ReportFlow(
    forms,
    { pupils, staff, lists, alerts, records: incidentRepository },
    clock,
  );
  const recordFiles = new RecordFileService(fileStore, incidentFiles, incidentRepository, clock);
  const files = new FileUploadFlow(
    recordFiles,
    options.files?.upload ?? { download: { timeoutMs: 10_000, allowLocalHttp: false } },
  );
  return {
    schools,
    references,
    pupils,
    staff,
    lists,
    incidents,
    incidentRepository,
    drafts,
    cipher,
    forms,
    report,
    fileStore,
    recordFiles,
    files,
    alerts,
    alertRepository,
    leases,
    events,
    deliveryBell,
    audit,
    auditEvents,
    actions,
    cases,
    actionJobs,
    actionFlow,
    recordAccess,
    amendments,
    amendmentRepository,
    recordAudit,
    chronology,
    recordView,
    stepUp,
    history,
    reindexRecent,
  };
}
