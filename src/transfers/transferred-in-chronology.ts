import { laterFirst, type ChronologyEntry, type ChronologySource } from '../chronology';
import type { Category } from '../schools';
import { SCHOOL_TIME_ZONE } from '../shared/school-time';
import type { SchoolScope } from '../shared/school-scope';
import type { TransferPackage } from './transfer-package.schema';
import type { TransferredIn, TransferredInRepository } from './transferred-in.repository';

type SourceOptions = Parameters<ChronologySource['entriesForPupil']>[2];
type SentRecord = TransferPackage['records'][number];

/** Who the access policy sees as the recorder: nobody here (the team sees it; no one else is tied). */
export const TRANSFERRED_IN_RECORDER = 'external:transferred-in';

const ACTION_TITLES: Record<SentRecord['actions'][number]['kind'], string> = {
  note: 'note',
  conversation: 'conversation',
  'phone-call': 'phone call',
  meeting: 'meeting',
  referral: 'referral',
  decision: 'decision',
  task: 'task',
};

const day = new Intl.DateTimeFormat('en-GB', {
  timeZone: SCHOOL_TIME_ZONE,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** "transferred in from Elm Park, original reference EPC-2026-00042, received 20 May 2026". */
export function provenanceOf(pkg: TransferredIn, reference: string): string {
  return `transferred in from ${pkg.fromSchool}, original reference ${reference}, received ${day.format(pkg.importedAt)}`;
}

/**
 * Records another school sent with the child, as chronology lines of their own: each record and
 * each of its actions, placed by when it happened, saying where it came from. They belong to the
 * pupil here, so the access policy treats them as the pupil's own records with no recorder, alert
 * or invitation at this school: the team sees them, and a conflict of interest hides them.
 * A child arrives with a package or two, so they are filtered in memory.
 */
export class TransferredInChronologySource implements ChronologySource {
  readonly type = 'transferred-in' as const;

  constructor(
    private readonly store: Pick<TransferredInRepository, 'listForPupil'>,
    private readonly lists: { listCategories(scope: SchoolScope): Promise<Category[]> },
  ) {}

  async entriesForPupil(
    scope: SchoolScope,
    pupilId: string,
    options: SourceOptions,
  ): Promise<ChronologyEntry[]> {
    const packages = await this.store.listForPupil(scope, pupilId);
    if (packages.length === 0) return [];
    const wantedNames = options.filter.categoryIds
      ? new Set(
          (await this.lists.listCategories(scope))
            .filter((c) => options.filter.categoryIds?.includes(c.categoryId))
            .map((c) => c.name.toLowerCase()),
        )
      : undefined;
    const lines = packages.flatMap((pkg) =>
      pkg.package.records
        .filter(
          (r) =>
            !wantedNames || r.current.categories.some((c) => wantedNames.has(c.name.toLowerCase())),
        )
        .flatMap((record) => linesOf(pkg, record)),
    );
    return laterFirst(lines, options);
  }
}

function linesOf(pkg: TransferredIn, record: SentRecord): ChronologyEntry[] {
  const base = {
    incidentId: `transferred:${pkg.packageId}:${record.incidentId}`,
    reference: record.reference,
    recordedAt: new Date(record.recordedAt),
    categoryIds: [],
    categoryNamesAsSent: record.current.categories.map((c) => c.name),
    pupilRole: record.pupilRole,
    status: record.status,
    transferredIn: {
      packageId: pkg.packageId,
      incidentId: record.incidentId,
      fromSchool: pkg.fromSchool,
      receivedAt: pkg.importedAt,
    },
    record: {
      tenantId: pkg.tenantId,
      schoolId: pkg.schoolId,
      recordedByAadObjectId: TRANSFERRED_IN_RECORDER,
      pupilIds: [pkg.pupilId],
      categoryIds: [],
      alertStaffIds: [],
    },
  } as const;
  const provenance = provenanceOf(pkg, record.reference);
  return [
    {
      ...base,
      entryId: `ti|${pkg.packageId}|${record.incidentId}`,
      type: 'transferred-in',
      happenedAt: new Date(record.current.happenedAt),
      recordedByName: record.recordedBy.displayName,
      amended: record.amendments.length > 0,
      title: `Concern ${provenance}`.slice(0, 500),
    },
    ...record.actions.map((action): ChronologyEntry => ({
      ...base,
      entryId: `ti|${pkg.packageId}|${record.incidentId}|a${String(action.sequence).padStart(4, '0')}`,
      type: 'transferred-in',
      happenedAt: new Date(action.happenedAt),
      recordedByName: action.author.displayName,
      amended: false,
      title: `Action: ${ACTION_TITLES[action.kind]}, ${provenance}`.slice(0, 500),
    })),
  ];
}
