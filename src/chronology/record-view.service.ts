import { decideRecordAccess, recordAccessFacts, type AccessActor } from '../access';
import type { AuditTrail } from '../audit';
import type { Action } from '../actions';
import { effectiveRecord, type Incident, type IncidentAmendment } from '../incidents';
import type { Pupil } from '../pupils';
import { pupilDisplayName } from '../pupils';
import type { Agency, Category } from '../schools';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { accessError, type RecordRelations, type RequestContext } from './chronology.service';
import { auditEvent } from '../audit';
import { isSafeguardingTeam } from '../staff';

const MAX_ACTIONS = 500;

/** What reading one record needs; narrow so tests pass small fakes of our own. */
export interface RecordViewDependencies {
  records: { findById(scope: SchoolScope, incidentId: string): Promise<Incident | undefined> };
  /** The tombstone line of a disposed record (src/retention leaves it in the index). */
  disposals?: {
    disposalOf(
      scope: SchoolScope,
      incidentId: string,
    ): Promise<{ reference: string; disposedOn: string; rule: string } | undefined>;
  };
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
  /** The record's amendments in version order (their reasons and values are opened). */
  amendments: {
    listForIncident(scope: SchoolScope, incidentId: string): Promise<IncidentAmendment[]>;
    /** Categories as amended, without opening anything (access is decided before reading). */
    amendedListing(
      scope: SchoolScope,
      incidentIds: readonly string[],
    ): Promise<ReadonlyMap<string, { readonly categoryIds?: readonly string[] }>>;
  };
  actions: {
    listForIncidents(
      scope: SchoolScope,
      incidentIds: readonly string[],
      limit: number,
    ): Promise<Action[]>;
  };
  cases: {
    caseStatus(
      scope: SchoolScope,
      incidentIds: readonly string[],
    ): Promise<{ incidentId: string; status: 'open' | 'closed' }[]>;
  };
}

/** An amendment as the record view shows it: who, when, why and what changed. */
interface AmendmentLine {
  version: number;
  amendedByName: string;
  amendedAt: Date;
  reason: string;
  changedFields: string[];
}

/** A follow-up action as the record view shows it. */
interface ActionLine {
  actionId: string;
  kind: string;
  happenedAt: Date;
  authorName: string;
  text: string;
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
  /** Oldest first; the narrative above reads as amended (the original is version 1). */
  readonly amendments: readonly AmendmentLine[];
  /** Newest first. */
  readonly actions: readonly ActionLine[];
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
    if (!incident) {
      // The team is told a record was disposed of (its tombstone is theirs); anyone else, nothing.
      const gone = isSafeguardingTeam(actor.roles)
        ? await this.deps.disposals?.disposalOf(actor, incidentId)
        : undefined;
      if (gone) {
        throw new AppError(
          'RETENTION.DISPOSED',
          `${gone.reference} was disposed of on ${gone.disposedOn} under rule ${gone.rule}; only its tombstone remains.`,
        );
      }
      throw new AppError('INCIDENT.NOT_FOUND', 'no such record at this school');
    }
    const [categories, relationMap, amended] = await Promise.all([
      this.deps.lists.listCategories(actor),
      this.deps.relations.relationsOf(actor, [incidentId]),
      this.deps.amendments.amendedListing(actor, [incidentId]),
    ]);
    const relations = relationMap.get(incidentId);
    // Amended into a team-only category, a record is the team's from then on.
    const categoryIds = amended.get(incidentId)?.categoryIds ?? incident.categoryIds;
    const facts = recordAccessFacts(
      { ...incident, categoryIds },
      {
        alertedAadObjectIds: relations?.alerted ?? [],
        invitedAadObjectIds: relations?.invited ?? [],
        teamOnlyCategoryIds: new Set(categories.filter((c) => c.teamOnly).map((c) => c.categoryId)),
      },
    );
    const view = decideRecordAccess(actor, facts, 'view');
    const read = view.allowed ? decideRecordAccess(actor, facts, 'viewNarrative') : view;
    if (!read.allowed) {
      await this.audit(actor, 'access.denied', incidentId, context, read.reason);
      if (!view.allowed) throw new AppError('INCIDENT.NOT_FOUND', 'no such record at this school');
      throw accessError(read.reason);
    }
    const [pupils, agencies, files, amendments, actions, [caseStatus]] = await Promise.all([
      this.deps.pupils.findPupils(actor, [
        incident.pupilId,
        ...incident.linkedPupils.map((p) => p.pupilId),
      ]),
      this.deps.lists.listAgencies(actor),
      this.deps.files.listForIncident(actor, incidentId),
      this.deps.amendments.listForIncident(actor, incidentId),
      this.deps.actions.listForIncidents(actor, [incidentId], MAX_ACTIONS),
      this.deps.cases.caseStatus(actor, [incidentId]),
    ]);
    // What the record says now: the original with each amendment applied in version order.
    const current = effectiveRecord(incident, amendments);
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
        happenedAt: current.happenedAt,
        recordedAt: incident.recordedAt,
        recordedByName: incident.recordedBy.displayName,
        pupil: { pupilId: incident.pupilId, displayName: nameOf(incident.pupilId) },
        linkedPupils: incident.linkedPupils.map((p) => ({
          pupilId: p.pupilId,
          displayName: nameOf(p.pupilId),
          role: p.role,
        })),
        categoryNames: current.categoryIds.map((id) => categoryName.get(id) ?? id),
        agencyNames: current.agencyIds.map((id) => agencyName.get(id) ?? id),
        location: current.location,
        facts: current.facts,
        childsWords: current.childsWords,
        adultsWords: current.adultsWords,
        leadingQuestionNote: current.leadingQuestionNote,
        opinion: current.opinion,
        actionTaken: current.actionTaken,
        actionRequired: current.actionRequired,
        bodyMap: [...incident.bodyMap],
        status: caseStatus?.status ?? 'open',
      },
      amendments: amendments.map((a) => ({
        version: a.version,
        amendedByName: a.amendedBy.displayName,
        amendedAt: a.amendedAt,
        reason: a.reason,
        changedFields: Object.keys(a.changes),
      })),
      actions: actions.map((a) => ({
        actionId: a.actionId,
        kind: a.details.kind,
        happenedAt: a.happenedAt,
        authorName: a.author.displayName,
        text: a.text,
      })),
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
      // A case conference reads the record as it stands: amendments applied in version order.
      found.set(
        id,
        effectiveRecord(incident, await this.deps.amendments.listForIncident(actor, id)),
      );
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
    await this.deps.audit.record(
      auditEvent(
        actor,
        action,
        { kind: 'incident', id: incidentId },
        { reason, requestId: context.requestId },
      ),
    );
  }
}
