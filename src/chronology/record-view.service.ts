import { decideRecordAccess, recordAccessFacts, type AccessActor } from '../access';
import type { AuditTrail } from '../audit';
import type { Incident } from '../incidents';
import type { Pupil } from '../pupils';
import { pupilDisplayName } from '../pupils';
import type { Agency, Category } from '../schools';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { accessError, type RecordRelations, type RequestContext } from './chronology.service';

/** What reading one record needs; narrow so tests pass small fakes of our own. */
export interface RecordViewDependencies {
  records: { findById(scope: SchoolScope, incidentId: string): Promise<Incident | undefined> };
  pupils: { findPupils(scope: SchoolScope, ids: readonly string[]): Promise<Pupil[]> };
  lists: {
    listCategories(scope: SchoolScope): Promise<Category[]>;
    listAgencies(scope: SchoolScope): Promise<Agency[]>;
  };
  files: {
    listForIncident(
      scope: SchoolScope,
      incidentId: string,
    ): Promise<
      { fileId: string; name: string; uploadedAt: Date; uploadedBy: { displayName: string } }[]
    >;
  };
  relations: RecordRelations;
  audit: AuditTrail;
}

/** A record with its narrative, as a reader allowed `viewNarrative` gets it. */
export interface RecordView {
  readonly incident: {
    incidentId: string;
    reference: string;
    happenedAt: Date;
    recordedAt: Date;
    recordedByName: string;
    pupil: { pupilId: string; displayName: string };
    linkedPupils: { pupilId: string; displayName: string; role: string }[];
    categoryNames: string[];
    agencyNames: string[];
    location: string;
    facts: string;
    childsWords: string;
    adultsWords: string;
    leadingQuestionNote: string;
    opinion: string;
    actionTaken: string;
    actionRequired: string;
    bodyMap: Incident['bodyMap'][number][];
    status: 'open' | 'closed';
  };
  /** Filled in when amendments and actions land (their features plug in here). */
  readonly amendments: readonly never[];
  readonly actions: readonly never[];
  readonly files: { fileId: string; fileName: string; uploadedAt: Date; uploadedByName: string }[];
}

/**
 * Reads one record in full for someone the policy allows `viewNarrative`, and audits it. A record
 * they may not even `view` answers as not found (an id reveals nothing); a seen record they may
 * not read answers step-up or denied.
 */
export class RecordViewService {
  constructor(private readonly deps: RecordViewDependencies) {}

  /** The record with narrative, or RECORD.NOT_FOUND / ACCESS.STEP_UP_REQUIRED / ACCESS.DENIED. */
  async viewRecord(
    actor: AccessActor,
    incidentId: string,
    context: RequestContext = {},
  ): Promise<RecordView> {
    const incident = await this.deps.records.findById(actor, incidentId);
    if (!incident) throw new AppError('INCIDENT.NOT_FOUND', 'no such record at this school');
    const categories = await this.deps.lists.listCategories(actor);
    const relations = (await this.deps.relations.relationsOf(actor, [incidentId])).get(incidentId);
    const facts = recordAccessFacts(incident, {
      alertedAadObjectIds: relations?.alerted ?? [],
      invitedAadObjectIds: relations?.invited ?? [],
      teamOnlyCategoryIds: new Set(categories.filter((c) => c.teamOnly).map((c) => c.categoryId)),
    });
    const view = decideRecordAccess(actor, facts, 'view');
    const read = view.allowed ? decideRecordAccess(actor, facts, 'viewNarrative') : view;
    if (!read.allowed) {
      await this.audit(actor, 'access.denied', incidentId, context, read.reason);
      if (!view.allowed) throw new AppError('INCIDENT.NOT_FOUND', 'no such record at this school');
      throw accessError(read.reason);
    }
    const [pupils, agencies, files] = await Promise.all([
      this.deps.pupils.findPupils(actor, [
        incident.pupilId,
        ...incident.linkedPupils.map((p) => p.pupilId),
      ]),
      this.deps.lists.listAgencies(actor),
      this.deps.files.listForIncident(actor, incidentId),
    ]);
    const nameOf = (id: string) => {
      const pupil = pupils.find((p) => p.pupilId === id);
      return pupil ? pupilDisplayName(pupil) : 'Unknown pupil';
    };
    const categoryName = new Map(categories.map((c) => [c.categoryId, c.name]));
    const agencyName = new Map(agencies.map((a) => [a.agencyId, a.name]));
    await this.audit(actor, 'record.view-narrative', incidentId, context);
    return {
      incident: {
        incidentId: incident.incidentId,
        reference: incident.reference,
        happenedAt: incident.happenedAt,
        recordedAt: incident.recordedAt,
        recordedByName: incident.recordedBy.displayName,
        pupil: { pupilId: incident.pupilId, displayName: nameOf(incident.pupilId) },
        linkedPupils: incident.linkedPupils.map((p) => ({
          pupilId: p.pupilId,
          displayName: nameOf(p.pupilId),
          role: p.role,
        })),
        categoryNames: incident.categoryIds.map((id) => categoryName.get(id) ?? id),
        agencyNames: incident.agencyIds.map((id) => agencyName.get(id) ?? id),
        location: incident.location,
        facts: incident.facts,
        childsWords: incident.childsWords,
        adultsWords: incident.adultsWords,
        leadingQuestionNote: incident.leadingQuestionNote,
        opinion: incident.opinion,
        actionTaken: incident.actionTaken,
        actionRequired: incident.actionRequired,
        bodyMap: [...incident.bodyMap],
        status: 'open',
      },
      amendments: [],
      actions: [],
      files: files.map((f) => ({
        fileId: f.fileId,
        fileName: f.name,
        uploadedAt: f.uploadedAt,
        uploadedByName: f.uploadedBy.displayName,
      })),
    };
  }

  /** Several records for an export (the caller has checked `export` on each); audited each. */
  async recordsForExport(
    actor: AccessActor,
    incidentIds: readonly string[],
    context: RequestContext = {},
  ): Promise<Map<string, Incident>> {
    const found = new Map<string, Incident>();
    for (const id of new Set(incidentIds)) {
      const incident = await this.deps.records.findById(actor, id);
      if (!incident) continue;
      found.set(id, incident);
      await this.audit(actor, 'record.export', id, context);
    }
    return found;
  }

  private async audit(
    actor: AccessActor,
    action: 'record.view-narrative' | 'record.export' | 'access.denied',
    incidentId: string,
    context: RequestContext,
    reason?: string,
  ): Promise<void> {
    await this.deps.audit.record({
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      actorAadObjectId: actor.aadObjectId,
      action,
      target: { kind: 'incident', id: incidentId },
      ...(reason ? { reason } : {}),
      ...(context.requestId ? { requestId: context.requestId } : {}),
    });
  }
}
