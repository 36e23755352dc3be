// Over 450 lines on purpose: the composition root, every feature composed top-down in the order
// they depend on each other (see createAppServices); each feature's own wiring is its module.
import type { Connection } from 'mongoose';
import { createAccessModule, type AccessActor } from './access';
import { createActionStores, createActionsModule } from './actions';
import {
  createAlertOutbox,
  createAlertCopies,
  createAlertsModule,
  DEFAULT_ESCALATION,
  type AlertsConfig,
} from './alerts';
import { createAuditModule, createRecordAuditModule } from './audit';
import { ActionFlow } from './bot/actions/action-flow';
import { HistoryFlow } from './bot/chronology/history-flow';
import { FileUploadFlow, type FileUploadOptions } from './bot/file-upload/file-upload-flow';
import { ReportFlow } from './bot/incident-form/report-flow';
import { createChronologyModule } from './chronology';
import { DEFAULT_SCHOOL_DAY, ENGLAND_BANK_HOLIDAYS_2026_2027 } from './clocks';
import { createConversationsModule } from './conversations';
import { throwawayCipher, type NarrativeCipher } from './encryption';
import { InProcessDomainEvents } from './events';
import { createFilesModule, type FileStoreConfig } from './files';
import { createIncidentsModule, createIncidentStores, type Incident } from './incidents';
import { createDirectoryModule } from './schools';
import type { Clock } from './shared/clock';
import type { Logger } from './shared/logger';
import { createStepUpModule } from './step-up';
import { createPupilStatusModule } from './pupil-status';
import { createReviewsModule } from './reviews';
import { createDeskModule } from './desk';
import { createReportsModule } from './reports';
import { createSummariesModule } from './summaries';
import { createSarModule } from './sar';
import { createSharingModule } from './sharing';
import {
  createTransferChase,
  createTransferDelivery,
  createTransferImport,
  createTransferredInStore,
  createTransfersModule,
} from './transfers';
import { ChronologyIndexRepository } from './chronology';
import { createPatternsModule } from './patterns';
import { syncAllIndexes } from './store/connection';
import { createAdultConcernsModule } from './adult-concerns';
import { AdultConcernFlow } from './bot/adult-concerns/adult-concern-flow';
import { LeaseRepository } from './store/lease.repository';
import { createChangeAuditRecovery } from './audit';
import { amendmentChanges } from './incidents';
import { actionChanges } from './actions';
import { acknowledgementChanges } from './alerts';
import { createRetentionModule } from './retention';
import { AdultConcernRepository } from './adult-concerns';

/** What the service graph may vary (production passes config; tests the defaults). */
export interface ServiceOptions {
  /** Where file bytes live, and how files sent in Teams are fetched (local http in dev only). */
  files?: { store: FileStoreConfig; upload: FileUploadOptions };
  alerts?: AlertsConfig;
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
 * One function, longer than a file should be, on purpose: it is the composition root, each
 * feature composed top-down in the order they depend on each other, and splitting it would hide
 * that order (each feature's own wiring lives in its `<feature>.module.ts`).
 */
export async function createAppServices(
  connection: Connection,
  clock: Clock,
  options: ServiceOptions = {},
) {
  // The lower rooms: the school's directory, the audit trail, the cipher, and the event seam
  // through which what follows a write reaches the features that care.
  const { schools, lists, pupils, staff } = createDirectoryModule(connection);
  const { references } = createConversationsModule(connection);
  const { audit, auditEvents } = createAuditModule(connection, clock);
  // Amendments, actions and acknowledgements a crash left without their event (issue 18).
  const changeAudit = createChangeAuditRecovery(auditEvents, audit, clock);
  const cipher = options.cipher ?? throwawayCipher();
  const events = new InProcessDomainEvents(options.logger);
  const leases = new LeaseRepository(connection);

  // The stores access reads, built before any service so nothing is used before it exists:
  // records, the alert outbox (who an alert reached) and actions (who an action invited).
  const incidentStores = createIncidentStores(connection, cipher);
  const { incidentRepository, drafts, amendmentRepository } = incidentStores;
  const { recordListings } = incidentStores;
  const outbox = createAlertOutbox(connection);
  const { alertRepository, deliveryBell } = outbox;
  const actionStores = createActionStores(connection, cipher);

  // The one access policy over records, from those stores.
  const { relations, recordAccess } = createAccessModule<Incident>({
    records: incidentRepository,
    relations: { alertedAbout: outbox.alertedAbout, invitedTo: actionStores.invitedTo },
    categories: lists,
    amendments: amendmentRepository,
    audit,
  });

  // incidents/ records and amends; it publishes incident.recorded and incident.amended.
  const { incidents, forms, amendments, recordAuditRecovery } = createIncidentsModule(
    incidentStores,
    {
      pupils,
      staff,
      lists,
      schools,
      access: recordAccess,
      auditEvents,
      changeAudit,
      events,
      audit,
      clock,
    },
  );
  const { fileStore, incidentFiles, recordFiles } = createFilesModule(connection, {
    store: options.files?.store ?? { kind: 'mongo' },
    cipher,
    records: incidentRepository,
    clock,
  });
  // actions/ adds actions and closes cases; it publishes action.added, case.closed, case.reopened.
  const { actions, cases, actionJobs, referralsAwaiting } = createActionsModule(actionStores, {
    access: recordAccess,
    records: incidentRepository,
    actionAlerts: outbox.actionAlerts,
    events,
    lists,
    staff,
    fileStore,
    audit,
    changeAudit,
    leases,
    clock,
    calendar: {
      schoolDay: options.alerts?.schoolDay ?? DEFAULT_SCHOOL_DAY,
      bankHolidays: options.clocks?.bankHolidays ?? ENGLAND_BANK_HOLIDAYS_2026_2027,
    },
  });

  // The subscribers, in this order (publish awaits them before the submit answers): alerts/
  // queues a recorded incident's alerts and an added action's, and wakes delivery; then the
  // chronology indexes the record.
  const { alerts, patternAlerts } = createAlertsModule(outbox, {
    staff,
    lists,
    records: incidentRepository,
    actions,
    events,
    audit,
    changeAudit,
    clock,
    config: options.alerts ?? { escalation: DEFAULT_ESCALATION, schoolDay: DEFAULT_SCHOOL_DAY },
  });
  const alertCopies = createAlertCopies(outbox, clock);
  // Which new concerns the team has reviewed (the chronology and the desk show the others).
  const { reviews } = createReviewsModule(connection, { access: recordAccess, audit, clock });
  // Records other schools sent with a child: stored by transfers/, listed in the chronology.
  const transferredInStore = createTransferredInStore(connection, {
    cipher,
    fileStore,
    lists,
    audit,
  });
  const chronologyModule = createChronologyModule(connection, {
    records: incidentRepository,
    amendments: amendmentRepository,
    actions,
    cases,
    reviews,
    pupils,
    lists,
    files: incidentFiles,
    relations,
    events,
    moreSources: [transferredInStore.transferredInChronology],
    audit,
    clock,
  });
  const { chronology, recordView, reindexRecent } = chronologyModule;
  const { recordAudit } = createRecordAuditModule<AccessActor>({
    auditEvents,
    access: recordAccess,
    staff,
    audit,
  });
  const { stepUp } = createStepUpModule(connection, {
    audit,
    clock,
    windowMinutes: options.stepUpWindowMinutes ?? 15,
  });
  // What the team reasons with about a child.
  const { pupilStatus, pupilStatusRepository } = createPupilStatusModule(connection, {
    cipher,
    pupils,
    audit,
    clock,
  });
  // The information-sharing log; referrals add their own entries (it hears action.added).
  const { sharing } = createSharingModule(connection, {
    cipher,
    access: recordAccess,
    staff,
    pupils,
    events,
    actions: { findAction: (scope, id) => actionStores.actionRepository.findById(scope, id) },
    audit,
    clock,
  });
  // Subject access requests: the register, and the bundle read through the features above.
  const { sars, sarBundles } = createSarModule(connection, {
    cipher,
    pupils,
    staff,
    lists,
    chronology,
    records: recordView,
    actions,
    files: fileStore,
    pupilStatus,
    sharing,
    audit,
    clock,
    calendar: {
      schoolDay: options.alerts?.schoolDay ?? DEFAULT_SCHOOL_DAY,
      bankHolidays: options.clocks?.bankHolidays ?? ENGLAND_BANK_HOLIDAYS_2026_2027,
    },
  });
  // Child protection file transfers: a leaver with a file, the 5-school-day clock, the package.
  const chronologyIndex = new ChronologyIndexRepository(connection);
  const transferCalendar = {
    schoolDay: options.alerts?.schoolDay ?? DEFAULT_SCHOOL_DAY,
    bankHolidays: options.clocks?.bankHolidays ?? ENGLAND_BANK_HOLIDAYS_2026_2027,
  };
  const transferCases = createTransfersModule(connection, {
    pupils,
    files: {
      hasRecords: async (scope, pupilId) =>
        (await chronologyIndex.pageForPupil(scope, pupilId, { filter: {}, limit: 1 })).length > 0,
    },
    audit,
    clock,
    calendar: transferCalendar,
    jobs: actionStores.jobRepository,
  });
  const { transfers, transferRepository } = transferCases;
  // No receipt by day 5: the team is chased each school day, by the actions' clock jobs.
  const { transferChase } = createTransferChase(transferCases, {
    team: staff,
    alerts: outbox.actionAlerts,
    calendar: transferCalendar,
  });
  // The package reads every feature's own store; the chronology decides what may be exported.
  const { transferDelivery } = createTransferDelivery(connection, transferCases, {
    sources: {
      schools,
      pupils,
      chronology,
      records: incidentRepository,
      amendments: amendmentRepository,
      actions: actionStores.actionRepository,
      cases: actionStores.statusRepository,
      files: {
        listForIncident: (scope, incidentId) => incidentFiles.listForIncident(scope, incidentId),
        getBuffer: (scope, fileId) => fileStore.getBuffer(scope, fileId),
      },
      statuses: pupilStatusRepository,
      lists,
    },
    files: fileStore,
    audit,
    clock,
    events,
  });
  // The receiving side: packages from other schools, imported by the team.
  const { transferredIn, transferredInView } = transferredInStore;
  const { transferImport } = createTransferImport(transferredInStore, {
    pupils,
    staff,
    alerts: outbox.actionAlerts,
    audit,
    clock,
  });
  // Pattern rules: each recorded concern is evaluated after alerts and the chronology; a rule
  // that fires raises one flag per pupil, rule and window, carded to the team through the outbox.
  const { patterns } = createPatternsModule(connection, {
    records: {
      findById: (scope, id) => incidentRepository.findById(scope, id),
      listRecordedSince: (since, limit) => incidentRepository.listRecordedSince(since, limit),
      listForPupilBetween: (...args) => recordListings.listForPupilBetween(...args),
    },
    statuses: pupilStatusRepository,
    cards: patternAlerts,
    events,
    audit,
    clock,
  });
  // Retention, legal holds and disposal: new records join the schedule (it hears
  // incident.recorded); a review date is a clock job of the actions' jobs, its card goes through
  // the outbox; disposal shreds what the features above store of a record (by their collections).
  const retentionModule = createRetentionModule(connection, {
    cipher,
    records: incidentRepository,
    pupils,
    lists,
    adultConcerns: new AdultConcernRepository(connection, cipher),
    files: fileStore,
    chronology: chronologyIndex,
    jobs: actionStores.jobRepository,
    team: staff,
    alerts: outbox.actionAlerts,
    events,
    audit,
    clock,
    calendar: transferCalendar,
  });
  const { retention, legalHolds, retentionClock } = retentionModule;
  // Small collections kept by events so the desk and reports read a few documents, not a
  // school's history: open cases, and monthly report summaries (built once, below).
  const { summaries } = createSummariesModule(connection, {
    sources: {
      records: recordListings,
      cases: {
        latestChangeOf: async (scope, incidentId) => {
          const [status] = await cases.caseStatus(scope, [incidentId]);
          const latest = status?.latest;
          return latest ? { status: latest.status, at: latest.at } : undefined;
        },
        statusChangesOfSchool: (scope) => cases.statusChangesOfSchool(scope),
        latestStatusOf: (scope, ids) => actionStores.statusRepository.latestStatusOf(scope, ids),
      },
      amendments: amendmentRepository,
      alerts: alertRepository,
      actions: actionStores.actionRepository,
    },
    schools,
    recent: incidentRepository,
    events,
    clock,
    logger: options.logger,
  });
  // The desk reads what needs attention from each feature's own queries.
  const { desk } = createDeskModule({
    records: incidentRepository,
    reviews,
    alerts,
    tasks: actions,
    referrals: referralsAwaiting,
    transfers,
    pupils,
    lists,
    clock,
    subjectAccess: sars,
    patterns,
    caseStatus: cases,
    openRecords: recordListings,
    retention,
    openCaseSummary: summaries,
  });
  // Reports count what the features above hold (no names, no narrative); governors get them
  // with small numbers suppressed.
  const { reports } = createReportsModule(connection, {
    records: incidentRepository,
    pupils,
    statuses: pupilStatusRepository,
    lists,
    actions: actionStores.actionRepository,
    cases: actionStores.statusRepository,
    alerts: alertRepository,
    schools,
    audit,
    clock,
    summaries,
  });

  // Concerns about adults, kept apart: their own collections, policy, alert kind and audit kinds;
  // nothing above reads them, and only this file and their bot/tab edges import them.
  const adultConcernsModule = createAdultConcernsModule(connection, {
    cipher,
    staff,
    alerts: outbox.adultConcernAlerts,
    audit,
    clock,
    leases,
    calendar: {
      schoolDay: options.alerts?.schoolDay ?? DEFAULT_SCHOOL_DAY,
      bankHolidays: options.clocks?.bankHolidays ?? ENGLAND_BANK_HOLIDAYS_2026_2027,
    },
    escalation: options.alerts?.escalation ?? DEFAULT_ESCALATION,
    schoolDay: options.alerts?.schoolDay ?? DEFAULT_SCHOOL_DAY,
  });
  const { adultConcerns, adultConcernForms, adultConcernCases } = adultConcernsModule;

  // Every repository above is registered: unique indexes must exist before the first write.
  await syncAllIndexes(connection);
  // Once per database: the chronology's per-pupil collections of earlier versions (resumable).
  await chronologyModule.migrate();
  // Each start: settled clock jobs parked a year ahead by earlier versions move to NEVER_DUE (a
  // no-op read once done: the store's date check finds none).
  await outbox.alertRepository.parkSettledJobs();
  await actionStores.jobRepository.parkSettledJobs();
  // Once per database: records stored before they had the day recorded get it (recent reads).
  await incidentRepository.fillRecordedDays();
  // Once per database: the summaries from what is stored (resumable; events keep them after).
  await summaries.buildMissing();

  // The bot's flows over the modules (src/bot/ translates Teams; the rules live above).
  const report = new ReportFlow(
    forms,
    { pupils, staff, lists, alerts, records: incidentRepository },
    clock,
  );
  const files = new FileUploadFlow(
    recordFiles,
    options.files?.upload ?? { download: { timeoutMs: 10_000, allowLocalHttp: false } },
  );
  const actionFlow = new ActionFlow({
    actions,
    incidents: incidentRepository,
    lists,
    staff,
    clock,
  });
  const history = new HistoryFlow({
    pupils,
    chronology,
    stepUp,
    teamsAppId: options.teamsAppId ?? '00000000-0000-0000-0000-00000000a001',
  });
  const adultConcernFlow = new AdultConcernFlow(adultConcernForms, adultConcerns, staff, clock);
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
    alertCopies,
    leases,
    events,
    deliveryBell,
    audit,
    auditEvents,
    actions,
    cases,
    // The clock jobs run the transfers' chase too (one store, one lease, one pass).
    actionJobs: (owner: string, logger: Logger) =>
      actionJobs(owner, logger, { transfer: transferChase, retention: retentionClock }),
    actionFlow,
    recordAccess,
    amendments,
    amendmentRepository,
    recordAudit,
    chronology,
    recordView,
    stepUp,
    history,
    pupilStatus,
    pupilStatusRepository,
    reviews,
    desk,
    reports,
    reindexRecent,
    /** Appends the create event of records a crash left unaudited (start-up: the last week). */
    recoverRecordAudit: (since: Date) => recordAuditRecovery.recoverSince(since),
    /** The same for amendments, actions and acknowledgements (start-up: the last week). */
    recoverChangeAudit: (since: Date) =>
      changeAudit.recoverSince(
        [
          amendmentChanges(amendmentRepository),
          actionChanges(actionStores.actionRepository),
          acknowledgementChanges(alertRepository),
        ],
        since,
      ),
    adultConcerns,
    adultConcernForms,
    adultConcernCases,
    adultConcernFlow,
    adultConcernConflicts: adultConcernsModule.adultConcernConflicts,
    adultConcernEscalation: adultConcernsModule.adultConcernEscalation,
    adultConcernStores: adultConcernsModule.adultConcernStores,
    sars,
    sarBundles,
    sharing,
    transfers,
    transferRepository,
    transferDelivery,
    transferImport,
    transferredIn,
    transferredInView,
    patterns,
    retention,
    legalHolds,
    /** Start-up: records stored before retention existed join the schedule (idempotent). */
    scheduleExistingRecords: retentionModule.scheduleExistingRecords,
    retentionStores: retentionModule.retentionStores,
    summaries,
  };
}
