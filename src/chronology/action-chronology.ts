import type { Action } from '../actions';
import type { SchoolScope } from '../shared/school-scope';
import type { IndexedIncident } from './chronology-index.repository';
import type { ChronologyEntry, ChronologySource } from './chronology.types';

type SourceOptions = Parameters<ChronologySource['entriesForPupil']>[2];

/** A pupil's indexed records (ChronologyIndexRepository provides it). */
interface RecordIndexReader {
  pageForPupil(
    scope: SchoolScope,
    pupilId: string,
    options: SourceOptions,
  ): Promise<IndexedIncident[]>;
}

/** Actions of some records, newest first (ActionService provides it). */
interface ActionReader {
  listForIncidents(
    scope: SchoolScope,
    incidentIds: readonly string[],
    limit: number,
  ): Promise<Action[]>;
}

const TITLES: Record<Action['details']['kind'], string> = {
  note: 'Action: note',
  conversation: 'Action: conversation',
  'phone-call': 'Action: phone call',
  meeting: 'Action: meeting',
  referral: 'Action: referral',
  decision: 'Action: decision',
  task: 'Action: task',
};

// A pupil's records and their actions are read whole: a child's file is hundreds of entries at
// most, and the per-pupil index keeps the read independent of the school's size.
const MAX_RECORDS = 2_000;
const MAX_ACTIONS = 5_000;

/**
 * Actions as chronology lines of their own, placed by when they happened. An action belongs to a
 * record: it takes the record's categories (for the filter), the pupil's role in it, and the
 * record's access facts, so the policy hides an action exactly when it hides its record. Never the
 * action's text: that is in the record view.
 */
export class ActionChronologySource implements ChronologySource {
  readonly type = 'action' as const;

  constructor(
    private readonly index: RecordIndexReader,
    private readonly actions: ActionReader,
  ) {}

  async entriesForPupil(
    scope: SchoolScope,
    pupilId: string,
    options: SourceOptions,
  ): Promise<ChronologyEntry[]> {
    const { after, filter } = options;
    const records = await this.index.pageForPupil(scope, pupilId, {
      filter: filter.categoryIds ? { categoryIds: filter.categoryIds } : {},
      limit: MAX_RECORDS,
    });
    if (records.length === 0) return [];
    const byIncident = new Map(records.map((r) => [r.incidentId, r]));
    const actions = await this.actions.listForIncidents(scope, [...byIncident.keys()], MAX_ACTIONS);
    const entries: ChronologyEntry[] = [];
    for (const action of actions) {
      const record = byIncident.get(action.incidentId);
      if (!record) continue;
      const entry = toEntry(action, record);
      if (filter.from && entry.happenedAt < filter.from) continue;
      if (filter.to && entry.happenedAt > filter.to) continue;
      if (after && !isAfter(entry, after)) continue;
      entries.push(entry);
    }
    return entries
      .sort(
        (a, b) =>
          b.happenedAt.getTime() - a.happenedAt.getTime() || (a.entryId < b.entryId ? 1 : -1),
      )
      .slice(0, options.limit);
  }
}

/** Strictly after `position` in newest-first order (happenedAt, then entryId, descending). */
function isAfter(entry: ChronologyEntry, position: NonNullable<SourceOptions['after']>): boolean {
  const t = entry.happenedAt.getTime();
  const p = position.happenedAt.getTime();
  return t < p || (t === p && entry.entryId < position.entryId);
}

function toEntry(action: Action, record: IndexedIncident): ChronologyEntry {
  return {
    entryId: `action:${action.actionId}`,
    type: 'action',
    incidentId: action.incidentId,
    reference: record.reference,
    happenedAt: action.happenedAt,
    recordedAt: action.recordedAt,
    recordedByName: action.author.displayName,
    categoryIds: record.categoryIds,
    pupilRole: record.pupilRole,
    status: 'open',
    amended: false,
    title: TITLES[action.details.kind],
    record: {
      tenantId: record.tenantId,
      schoolId: record.schoolId,
      recordedByAadObjectId: record.recordedByAadObjectId,
      pupilIds: record.pupilIds,
      categoryIds: record.categoryIds,
      alertStaffIds: record.alertStaffIds,
    },
  };
}
