import type { Connection } from 'mongoose';
import type { AuditTrail, ChangeAuditRecovery } from '../audit';
import type { NarrativeCipher } from '../encryption';
import type { DomainEvents } from '../events';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { AmendmentRepository } from './amendment.repository';
import { AmendmentService, type AmendAuthorizer } from './amendment.service';
import { IncidentDraftRepository } from './incident-draft.repository';
import { IncidentFormService } from './incident-form.service';
import { RecordListings } from './record-listings.repository';
import { IncidentRepository } from './incident.repository';
import { IncidentService, type IncidentDirectory } from './incident.service';
import { RecordAuditRecovery, type CreateEventLookup } from './record-audit-recovery';

/**
 * The records, their drafts and amendments at rest (sealed by the cipher). Built before the
 * services: access reads these stores, and the services below are authorized by access.
 */
export function createIncidentStores(connection: Connection, cipher: NarrativeCipher) {
  return {
    incidentRepository: new IncidentRepository(connection, cipher),
    drafts: new IncidentDraftRepository(connection, cipher),
    amendmentRepository: new AmendmentRepository(connection, cipher),
    // Header-only listings (pattern rules, open cases), after the repository registers the model.
    recordListings: new RecordListings(connection),
  };
}

type IncidentStores = ReturnType<typeof createIncidentStores>;

/** What recording and amending read of the school's directory. */
interface IncidentModuleDeps {
  readonly pupils: Pick<IncidentDirectory, 'findPupils'>;
  readonly staff: Pick<IncidentDirectory, 'findStaff'>;
  readonly lists: Pick<IncidentDirectory, 'listCategories' | 'listAgencies'>;
  /** The school's settings: its records' reference prefix. */
  readonly schools: {
    get(tenantId: string, schoolId: string): Promise<{ referencePrefix: string } | undefined>;
  };
  /** The one access policy over records (amending is an operation it decides). */
  readonly access: AmendAuthorizer;
  /** audit/: which records have their create event (a crash may have cut one off). */
  readonly auditEvents: CreateEventLookup;
  /** audit/: appends an amendment's event a crash cut off, when the amendment is retried. */
  readonly changeAudit?: Pick<ChangeAuditRecovery, 'recover'>;
  /** Where `incident.recorded` and `incident.amended` are announced once stored. */
  readonly events: Pick<DomainEvents, 'publish'>;
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

/**
 * Recording a concern (from a form with its draft, or directly) and amending a record. What
 * follows a record is not here: the module publishes `incident.recorded` and others subscribe.
 */
export function createIncidentsModule(stores: IncidentStores, deps: IncidentModuleDeps) {
  const directory: IncidentDirectory = {
    findPupils: (scope, ids) => deps.pupils.findPupils(scope, ids),
    listCategories: (scope) => deps.lists.listCategories(scope),
    listAgencies: (scope) => deps.lists.listAgencies(scope),
    findStaff: (scope, ids) => deps.staff.findStaff(scope, ids),
    referencePrefix: (scope) => referencePrefixOf(deps.schools, scope),
  };
  const recordAuditRecovery = new RecordAuditRecovery(
    stores.incidentRepository,
    deps.auditEvents,
    deps.audit,
    deps.clock,
  );
  const incidents = new IncidentService(
    stores.incidentRepository,
    directory,
    deps.clock,
    deps.audit,
    recordAuditRecovery,
  );
  const forms = new IncidentFormService(incidents, stores.drafts, deps.clock, deps.events);
  const amendments = new AmendmentService(
    stores.amendmentRepository,
    deps.access,
    directory,
    deps.clock,
    deps.audit,
    deps.events,
    deps.changeAudit,
  );
  return { incidents, forms, amendments, recordAuditRecovery };
}

async function referencePrefixOf(
  schools: IncidentModuleDeps['schools'],
  scope: SchoolScope,
): Promise<string> {
  const school = await schools.get(scope.tenantId, scope.schoolId);
  if (!school) throw new AppError('SCHOOL.NOT_CONFIGURED', 'school not configured');
  return school.referencePrefix;
}
