import type { AccessActor } from '../access';
import type { Action } from '../actions';
import type { AuditTrail } from '../audit';
import { STATUS_FLAGS, type PupilStatus } from '../pupil-status';
import type { Pupil } from '../pupils';
import type { Clock } from '../shared/clock';
import type { SchoolScope } from '../shared/school-scope';
import { formatSchoolTime } from '../shared/school-time';
import { fileText } from './file-text';
import { manualProposals, namesToLookFor, proposeRedactions } from './redaction-proposals';
import type { BundleSection, ManualRedaction, RedactionProposal } from './redaction.types';
import { assembleBundle, type BundleRecord, type SharingLine } from './sar-bundle';
import type { SarRepository } from './sar.repository';
import type { SubjectAccessRequest } from './sar.types';

export type Context = { requestId?: string };

/** Where the bundle reads from: each feature's own reads, which check access and audit them. */
export interface SarBundleSources {
  readonly requests: { state(scope: SchoolScope, sarId: string): Promise<SubjectAccessRequest> };
  readonly drafts: Pick<SarRepository, 'insertDraft' | 'latestDraft'>;
  readonly chronology: {
    entriesForExport(
      actor: AccessActor,
      pupilId: string,
      filter: Record<string, never>,
      context: Context,
    ): Promise<{
      pupil: Pupil;
      entries: readonly {
        entryId: string;
        incidentId: string;
        happenedAt: Date;
        reference: string;
        title: string;
        /** A disposed record's tombstone line (src/retention): nothing of it is left to read. */
        disposed?: true;
        recordedByName: string;
        categoryNames: readonly string[];
      }[];
    }>;
  };
  readonly records: {
    viewRecord(
      actor: AccessActor,
      incidentId: string,
      context: Context,
    ): Promise<
      Omit<BundleRecord, 'actions' | 'files'> & {
        files: readonly {
          fileId: string;
          fileName: string;
          uploadedAt: Date;
          uploadedByName: string;
        }[];
      }
    >;
  };
  readonly actions: {
    listForIncidents(scope: SchoolScope, ids: readonly string[], limit: number): Promise<Action[]>;
  };
  readonly files: {
    metadata(
      scope: SchoolScope,
      fileId: string,
    ): Promise<{ contentType: string; name: string } | undefined>;
    getBuffer(scope: SchoolScope, fileId: string): Promise<Buffer>;
  };
  readonly pupilStatus: {
    view(
      actor: AccessActor,
      pupilId: string,
      requestId?: string,
    ): Promise<{ status: PupilStatus; known: boolean }>;
  };
  readonly pupils: { listRoll(scope: SchoolScope): Promise<Pupil[]> };
  /** The information-sharing log (src/sharing/), which checks its own access and audits. */
  readonly sharing: {
    listForPupil(actor: AccessActor, pupilId: string, requestId?: string): Promise<SharingLine[]>;
  };
  readonly staff: {
    listActiveStaff(scope: SchoolScope, limit?: number): Promise<{ displayName: string }[]>;
  };
  readonly lists: { listAgencies(scope: SchoolScope): Promise<{ name: string }[]> };
  readonly audit: AuditTrail;
  readonly clock: Clock;
}

/** The bundle as read: the child, the text, and the pupils involved in the child's records. */
export interface ReadBundle {
  readonly pupil: Pupil;
  readonly sections: BundleSection[];
  readonly involved: ReadonlySet<string>;
}

/**
 * Reads everything held about the child through the features that hold it (each checks access
 * and audits its own reads), and proposes the redactions in it.
 */
export class SarBundleReader {
  constructor(private readonly sources: SarBundleSources) {}

  async read(
    actor: AccessActor,
    request: SubjectAccessRequest,
    context: Context,
  ): Promise<ReadBundle> {
    const { chronology, records, actions, files, pupilStatus } = this.sources;
    const { pupil, entries } = await chronology.entriesForExport(
      actor,
      request.pupilId,
      {},
      context,
    );
    // A disposed record is a line of the chronology only: nothing of it is left to read.
    const incidentIds = [...new Set(entries.filter((e) => !e.disposed).map((e) => e.incidentId))];
    const allActions = await actions.listForIncidents(actor, incidentIds, 5_000);
    const read: BundleRecord[] = [];
    for (const id of incidentIds) {
      const view = await records.viewRecord(actor, id, context);
      const withText = [];
      for (const file of view.files) {
        const meta = await files.metadata(actor, file.fileId);
        const bytes = meta ? await files.getBuffer(actor, file.fileId) : Buffer.alloc(0);
        withText.push({
          ...file,
          text: fileText({ name: file.fileName, contentType: meta?.contentType ?? '', bytes }),
        });
      }
      read.push({
        ...view,
        actions: allActions.filter((a) => a.incidentId === id),
        files: withText,
      });
    }
    const sections = assembleBundle({
      statusLines: statusLines(await pupilStatus.view(actor, request.pupilId, context.requestId)),
      chronology: [...entries].sort((a, b) => a.happenedAt.getTime() - b.happenedAt.getTime()),
      records: read.sort(
        (a, b) => a.incident.happenedAt.getTime() - b.incident.happenedAt.getTime(),
      ),
      sharing: await this.sources.sharing.listForPupil(actor, request.pupilId, context.requestId),
      formatTime: (at) => formatSchoolTime(at),
    });
    // Linked pupils, and the subjects of records the child is linked in: their first names too.
    const involved = new Set(
      read.flatMap((r) => [
        r.incident.pupil.pupilId,
        ...r.incident.linkedPupils.map((p) => p.pupilId),
      ]),
    );
    return { pupil, sections, involved };
  }

  async proposalsFor(
    scope: SchoolScope,
    { pupil: subject, sections, involved }: ReadBundle,
    added: readonly ManualRedaction[],
  ): Promise<RedactionProposal[]> {
    const [roll, staff, agencies] = await Promise.all([
      this.sources.pupils.listRoll(scope),
      this.sources.staff.listActiveStaff(scope, 5_000),
      this.sources.lists.listAgencies(scope),
    ]);
    const names = namesToLookFor({
      subject: { names: namesOf(subject) },
      pupils: roll
        .filter((p) => p.pupilId !== subject.pupilId)
        .map((p) => ({ names: namesOf(p), linked: involved.has(p.pupilId) })),
      staff,
      agencies,
    });
    const proposed = proposeRedactions(sections, names);
    return [...proposed, ...manualProposals(sections, added, proposed)];
  }
}

/** The pupil's status in words: each flag set, care, and the NHS number (the child's own data). */
function statusLines({ status, known }: { status: PupilStatus; known: boolean }): string[] {
  if (!known) return [];
  const lines: string[] = STATUS_FLAGS.filter(([flag]) => status[flag]).map(([, words]) => words);
  if (status.lookedAfter !== 'no')
    lines.push(status.lookedAfter === 'looked-after' ? 'Looked after' : 'Previously looked after');
  if (status.nhsNumber) lines.push(`NHS number: ${status.nhsNumber}`);
  return lines;
}

/** The names a pupil goes by: legal, and preferred when different. */
function namesOf(pupil: Pupil): string[] {
  const legal = `${pupil.legalFirstName} ${pupil.legalLastName}`;
  const preferred = `${pupil.preferredFirstName ?? pupil.legalFirstName} ${pupil.preferredLastName ?? pupil.legalLastName}`;
  return preferred === legal ? [legal] : [legal, preferred];
}
