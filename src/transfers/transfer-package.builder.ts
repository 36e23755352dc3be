import { createHash } from 'node:crypto';
import type { AccessActor } from '../access';
import type { Action } from '../actions';
import { effectiveRecord, type Incident, type IncidentAmendment } from '../incidents';
import { pupilDisplayName } from '../pupils';
import { AppError } from '../shared/errors';
import {
  TRANSFER_FORMAT,
  TRANSFER_FORMAT_VERSION,
  transferPackageSchema,
  type TransferPackage,
} from './transfer-package.schema';
import type { PackageSources } from './transfer-package.sources';
import type { TransferCase } from './transfer.types';

const OWN_ENTRY_TYPES = ['incident', 'action', 'amendment', 'file'] as const;
/** A built package: the JSON, and each file's bytes by its path in the archive. */
export interface BuiltPackage {
  readonly json: TransferPackage;
  readonly files: ReadonlyMap<string, Buffer>;
}

const MOST_ACTIONS = 5_000;
const MOST_STATUS_CHANGES = 500;

type RecordEntry = TransferPackage['records'][number];

/**
 * Builds the package for a transfer: every record naming the child (as submitted, each
 * amendment, as amended), actions with their text and decisions with reasons, case status
 * history, files, the pupil's status history and the chronology. Nothing is dropped for being
 * under amendment review or on a legal hold: the school keeps its copy, the next school gets one.
 */
export async function buildTransferPackage(
  sources: PackageSources,
  actor: AccessActor,
  transfer: TransferCase,
  to: { schoolName: string; urn?: string; recipientName: string },
  now: Date,
  requestId?: string,
): Promise<BuiltPackage> {
  const pupil = await sources.pupils.getPupil(actor, transfer.pupilId);
  const school = await sources.schools.get(actor.tenantId, actor.schoolId);
  if (!pupil || !school) throw new AppError('TRANSFER.NOT_FOUND', 'pupil or school missing');
  // The chronology checks `export` on every record (and audits the reading).
  // The school's own records: what another school sent us is not ours to pass on as ours.
  const { entries: lines } = await sources.chronology.entriesForExport(
    actor,
    pupil.pupilId,
    { types: OWN_ENTRY_TYPES },
    { requestId },
  );
  const entries = lines.flatMap((e) =>
    e.type === 'transferred-in' ? [] : [{ ...e, type: e.type }],
  );
  const incidentIds = [...new Set(entries.map((e) => e.incidentId))];
  const [categories, agencies] = await Promise.all([
    sources.lists.listCategories(actor),
    sources.lists.listAgencies(actor),
  ]);
  const names = {
    category: new Map(categories.map((c) => [c.categoryId, c.name])),
    agency: new Map(agencies.map((a) => [a.agencyId, a.name])),
  };
  const actions = await sources.actions.listForIncidents(actor, incidentIds, MOST_ACTIONS);
  const completions = new Map(
    (
      await sources.actions.completionsOf(
        actor,
        actions.map((a) => a.actionId),
      )
    ).map((c) => [c.actionId, c.completedAt]),
  );
  const statusEvents = await sources.cases.statusEvents(actor, incidentIds);
  const files = new Map<string, Buffer>();
  const records: RecordEntry[] = [];
  const others = new Map<string, Set<string>>();
  for (const incidentId of incidentIds) {
    const incident = await sources.records.findById(actor, incidentId);
    if (!incident) continue;
    const amendments = await sources.amendments.listForIncident(actor, incidentId);
    const linked = incident.linkedPupils.find((l) => l.pupilId === pupil.pupilId);
    for (const id of [incident.pupilId, ...incident.linkedPupils.map((l) => l.pupilId)]) {
      if (id !== pupil.pupilId) others.set(id, (others.get(id) ?? new Set()).add(incidentId));
    }
    const status = statusEvents
      .filter((e) => e.incidentId === incidentId)
      .sort((a, b) => a.sequence - b.sequence);
    const recordFiles = await sources.files.listForIncident(actor, incidentId);
    const fileEntries: RecordEntry['files'] = [];
    for (const f of recordFiles) {
      const bytes = await sources.files.getBuffer(actor, f.fileId);
      const path = `files/${safeSegment(f.fileId)}-${safeSegment(f.name)}`;
      files.set(path, bytes);
      fileEntries.push({
        fileId: f.fileId,
        name: f.name,
        uploadedAt: iso(f.uploadedAt),
        uploadedBy: { displayName: f.uploadedBy.displayName },
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        path,
      });
    }
    records.push({
      incidentId,
      reference: incident.reference,
      pupilRole: incident.pupilId === pupil.pupilId ? 'subject' : 'linked',
      ...(linked ? { linkedRole: linked.role } : {}),
      recordedAt: iso(incident.recordedAt),
      recordedBy: {
        displayName: incident.recordedBy.displayName,
        roles: [...incident.recordedBy.roles],
      },
      original: contentOf(incident, names),
      amendments: amendments.map(amendmentOf),
      current: contentOf(effectiveRecord(incident, amendments), names),
      actions: actions
        .filter((a) => a.incidentId === incidentId)
        .sort((a, b) => a.sequence - b.sequence)
        .map((a) => actionOf(a, completions.get(a.actionId))),
      caseStatus: status.map((e) => ({
        sequence: e.sequence,
        status: e.status,
        at: iso(e.at),
        by: { displayName: e.by.displayName },
        ...(e.outcomeActionId ? { outcomeActionId: e.outcomeActionId } : {}),
        ...(e.reason ? { reason: e.reason } : {}),
      })),
      status: status.at(-1)?.status === 'closed' ? 'closed' : 'open',
      files: fileEntries,
    });
  }
  const otherPupils = await sources.pupils.findPupils(actor, [...others.keys()]);
  const statusHistory = await sources.statuses.history(actor, pupil.pupilId, MOST_STATUS_CHANGES);
  const latest = (statusHistory[0]?.status ?? {}) as Record<string, unknown>;
  const json: TransferPackage = {
    format: TRANSFER_FORMAT,
    version: TRANSFER_FORMAT_VERSION,
    packageId: `${transfer.transferId}-${now.getTime()}`,
    exportedAt: iso(now),
    from: { schoolName: school.name, schoolId: school.schoolId },
    to: {
      schoolName: to.schoolName,
      ...(to.urn ? { urn: to.urn } : {}),
      recipientName: to.recipientName,
    },
    pupil: {
      misId: pupil.pupilId,
      ...(pupil.upn ? { upn: pupil.upn } : {}),
      legalFirstName: pupil.legalFirstName,
      legalLastName: pupil.legalLastName,
      ...(pupil.preferredFirstName ? { preferredFirstName: pupil.preferredFirstName } : {}),
      ...(pupil.preferredLastName ? { preferredLastName: pupil.preferredLastName } : {}),
      dateOfBirth: pupil.dateOfBirth,
      yearGroup: pupil.yearGroup,
      ...(pupil.form ? { form: pupil.form } : {}),
      ...(transfer.leavingDate ? { leavingDate: transfer.leavingDate } : {}),
    },
    flags: {
      sen: latest.ehcp === true || latest.senSupport === true,
      childProtectionPlan: latest.childProtectionPlan === true,
      childInNeed: latest.childInNeed === true,
      lookedAfter: latest.lookedAfter === 'looked-after',
    },
    statusHistory: [...statusHistory].reverse().map((s) => ({
      sequence: s.sequence,
      changedAt: iso(s.changedAt),
      changedBy: { displayName: s.changedBy.displayName },
      source: s.source,
      changedFields: [...s.changedFields],
      reason: s.reason,
      status: JSON.parse(JSON.stringify(s.status)) as Record<string, unknown>,
    })),
    records,
    chronology: entries.map((e) => ({
      at: iso(e.happenedAt),
      type: e.type,
      incidentId: e.incidentId,
      reference: e.reference,
      summary: e.title.slice(0, 500),
    })),
    otherPupilsNamed: [...others].map(([pupilId, ids]) => {
      const other = otherPupils.find((p) => p.pupilId === pupilId);
      return {
        pupilId,
        displayName: other ? pupilDisplayName(other) : 'A pupil no longer in the directory',
        incidentIds: [...ids],
        note: 'Named in these records: for the receiving DSL to consider; not removed.',
      };
    }),
  };
  // What we send is what we would accept: the same schema an import checks.
  return { json: transferPackageSchema.parse(json), files };
}

type Names = { category: Map<string, string>; agency: Map<string, string> };

function contentOf(incident: Incident, names: Names): RecordEntry['original'] {
  return {
    happenedAt: iso(incident.happenedAt),
    transcribedFromPaper: incident.transcribedFromPaper,
    location: incident.location,
    facts: incident.facts,
    childsWords: incident.childsWords,
    adultsWords: incident.adultsWords,
    leadingQuestionNote: incident.leadingQuestionNote,
    opinion: incident.opinion,
    actionTaken: incident.actionTaken,
    actionRequired: incident.actionRequired,
    categories: incident.categoryIds.map((id) => ({ id, name: names.category.get(id) ?? id })),
    agencies: incident.agencyIds.map((id) => ({ id, name: names.agency.get(id) ?? id })),
    bodyMap: incident.bodyMap.map((b) => ({ ...b })),
  };
}

function amendmentOf(a: IncidentAmendment): RecordEntry['amendments'][number] {
  return {
    version: a.version,
    amendedAt: iso(a.amendedAt),
    amendedBy: { displayName: a.amendedBy.displayName },
    reason: a.reason,
    changedFields: Object.keys(a.changes),
    changes: JSON.parse(JSON.stringify(a.changes)) as Record<string, unknown>,
  };
}

function actionOf(a: Action, completedAt: Date | undefined): RecordEntry['actions'][number] {
  const { kind, ...details } = a.details;
  return {
    actionId: a.actionId,
    sequence: a.sequence,
    kind,
    happenedAt: iso(a.happenedAt),
    recordedAt: iso(a.recordedAt),
    author: { displayName: a.author.displayName },
    text: a.text,
    // Dates become ISO strings; a task's assignee keeps their name only.
    details: JSON.parse(
      JSON.stringify(details, (key, value: unknown) => (key === 'aadObjectId' ? undefined : value)),
    ) as Record<string, unknown>,
    ...(completedAt ? { completedAt: iso(completedAt) } : {}),
  };
}

function iso(d: Date): string {
  return new Date(d).toISOString();
}

/** A file name safe inside a zip on any system: letters, digits, dot, dash, underscore. */
function safeSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || 'file';
}
