import type { Connection } from 'mongoose';
import { ReportFlow } from './bot/incident-form/report-flow';
import { ConversationReferenceRepository } from './conversations';
import {
  IncidentDraftRepository,
  IncidentFormService,
  IncidentRepository,
  IncidentService,
  type IncidentDirectory,
} from './incidents';
import { PupilDirectory, PupilRepository } from './pupils';
import { SchoolListsRepository, SchoolLists, SchoolRepository } from './schools';
import type { Clock } from './shared/clock';
import { AppError } from './shared/errors';
import { StaffDirectory, StaffRepository } from './staff';
import { syncAllIndexes } from './store/connection';

/** Every service the transports use, built on one connection. */
export type AppServices = Awaited<ReturnType<typeof createAppServices>>;

/**
 * Builds repositories and services on a connection and waits for their indexes (unique indexes
 * must exist before the first write). Shared by the app and by tests, so both run the same graph.
 */
export async function createAppServices(connection: Connection, clock: Clock) {
  const schools = new SchoolRepository(connection);
  const references = new ConversationReferenceRepository(connection);
  const pupils = new PupilDirectory(new PupilRepository(connection));
  const staff = new StaffDirectory(new StaffRepository(connection));
  const lists = new SchoolLists(new SchoolListsRepository(connection));
  const incidentRepository = new IncidentRepository(connection);
  const drafts = new IncidentDraftRepository(connection);
  await syncAllIndexes(connection);

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
  const incidents = new IncidentService(incidentRepository, directory, clock);
  const forms = new IncidentFormService(incidents, drafts, clock);
  const report = new ReportFlow(forms, { pupils, staff, lists }, clock);
  return {
    schools,
    references,
    pupils,
    staff,
    lists,
    incidents,
    incidentRepository,
    forms,
    report,
  };
}
