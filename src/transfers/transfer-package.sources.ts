import type { AccessActor } from '../access';
import type { Action } from '../actions';
import type { ChronologyLine } from '../chronology';
import type { Incident, IncidentAmendment } from '../incidents';
import type { Pupil } from '../pupils';
import type { Agency, Category, School } from '../schools';
import type { SchoolScope } from '../shared/school-scope';

/** One file attached to a record, as the files feature lists it. */
interface RecordFile {
  readonly fileId: string;
  readonly name: string;
  readonly size: number;
  readonly uploadedAt: Date;
  readonly uploadedBy: { readonly displayName: string };
}

/** One change of a case's status (closed with its outcome, reopened with its reason). */
interface CaseStatusChange {
  readonly incidentId: string;
  readonly sequence: number;
  readonly status: 'closed' | 'reopened';
  readonly outcomeActionId?: string;
  readonly reason?: string;
  readonly at: Date;
  readonly by: { readonly displayName: string };
}

/** One change of the pupil's status (plans, care, needs), sealed at rest, opened here. */
interface StatusChange {
  readonly sequence: number;
  readonly status: object;
  readonly changedFields: readonly string[];
  readonly reason: string;
  readonly changedBy: { readonly displayName: string };
  readonly changedAt: Date;
  readonly source: 'tab' | 'import';
}

/**
 * What the package is read from: each feature's own queries, narrow so the builder needs no
 * module but its ports. The chronology decides which records the team may export (and audits).
 */
export interface PackageSources {
  readonly schools: { get(tenantId: string, schoolId: string): Promise<School | undefined> };
  readonly pupils: {
    getPupil(scope: SchoolScope, pupilId: string): Promise<Pupil | undefined>;
    findPupils(scope: SchoolScope, ids: readonly string[]): Promise<Pupil[]>;
  };
  readonly chronology: {
    entriesForExport(
      actor: AccessActor,
      pupilId: string,
      filter: object,
      context?: { requestId?: string },
    ): Promise<{ entries: ChronologyLine[] }>;
  };
  readonly records: {
    findById(scope: SchoolScope, incidentId: string): Promise<Incident | undefined>;
  };
  readonly amendments: {
    listForIncident(scope: SchoolScope, incidentId: string): Promise<IncidentAmendment[]>;
  };
  readonly actions: {
    listForIncidents(scope: SchoolScope, ids: readonly string[], limit: number): Promise<Action[]>;
    completionsOf(
      scope: SchoolScope,
      actionIds: readonly string[],
    ): Promise<{ actionId: string; completedAt: Date }[]>;
  };
  readonly cases: {
    statusEvents(scope: SchoolScope, incidentIds: readonly string[]): Promise<CaseStatusChange[]>;
  };
  readonly files: {
    listForIncident(scope: SchoolScope, incidentId: string): Promise<RecordFile[]>;
    getBuffer(scope: SchoolScope, fileId: string): Promise<Buffer>;
  };
  readonly statuses: {
    history(scope: SchoolScope, pupilId: string, limit: number): Promise<StatusChange[]>;
  };
  readonly lists: {
    listCategories(scope: SchoolScope): Promise<Category[]>;
    listAgencies(scope: SchoolScope): Promise<Agency[]>;
  };
}
