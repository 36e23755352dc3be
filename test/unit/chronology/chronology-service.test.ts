import type { AuditEventInput } from '../../../src/audit';
import {
  ChronologyService,
  type ChronologyEntry,
  type ChronologySource,
} from '../../../src/chronology';
import type { Pupil } from '../../../src/pupils';
import { SCOPE } from '../../support/incident-builders';

const TEACHER = 'aad-teacher';

function entry(type: ChronologyEntry['type'], day: number, recordedBy: string): ChronologyEntry {
  const incidentId = `${type}-${day}`;
  return {
    entryId: `${type}:${incidentId}`,
    type,
    incidentId,
    reference: `EPC-2026-${String(day).padStart(5, '0')}`,
    happenedAt: new Date(Date.UTC(2026, 9, day)),
    recordedAt: new Date(Date.UTC(2026, 9, day)),
    recordedByName: recordedBy,
    categoryIds: ['behaviour'],
    pupilRole: 'subject',
    status: 'open',
    amended: false,
    title: type,
    record: {
      ...SCOPE,
      recordedByAadObjectId: recordedBy,
      pupilIds: ['p1'],
      categoryIds: ['behaviour'],
      alertStaffIds: [],
    },
  };
}

/** An in-memory source of our own interface: sorted newest first, strictly after `after`. */
function sourceOf(type: ChronologyEntry['type'], entries: ChronologyEntry[]): ChronologySource {
  const sorted = [...entries].sort(
    (a, b) => b.happenedAt.getTime() - a.happenedAt.getTime() || (b.entryId > a.entryId ? 1 : -1),
  );
  return {
    type,
    async entriesForPupil(_scope, _pupilId, { after, limit }) {
      return sorted
        .filter(
          (e) =>
            !after ||
            e.happenedAt < after.happenedAt ||
            (e.happenedAt.getTime() === after.happenedAt.getTime() && e.entryId < after.entryId),
        )
        .slice(0, limit);
    },
  };
}

function serviceWith(sources: ChronologySource[]) {
  const events: AuditEventInput[] = [];
  const pupil = {
    ...SCOPE,
    pupilId: 'p1',
    yearGroup: 'Year 4',
    legalFirstName: 'A',
    legalLastName: 'B',
  } as Pupil;
  const service = new ChronologyService({
    sources,
    pupils: { getPupil: async (_s, id) => (id === 'p1' ? pupil : undefined) },
    categories: { listCategories: async () => [] },
    relations: { relationsOf: async () => new Map() },
    audit: { record: async (e) => void events.push(e) },
    clock: { now: () => new Date(Date.UTC(2026, 10, 23)) },
  });
  return { service, events };
}

const teacher = {
  ...SCOPE,
  aadObjectId: TEACHER,
  displayName: 'T',
  roles: ['staff' as const],
  conflictPupilIds: [],
  steppedUp: false,
};

describe('ChronologyService', () => {
  it('when two sources have entries, then pages merge them newest first across the cursor', async () => {
    const { service } = serviceWith([
      sourceOf(
        'incident',
        [1, 4, 7].map((d) => entry('incident', d, TEACHER)),
      ),
      sourceOf(
        'action',
        [2, 5, 6].map((d) => entry('action', d, TEACHER)),
      ),
    ]);
    const first = await service.page(teacher, 'p1', { limit: 4, filter: {} });
    expect(first.entries.map((e) => e.entryId)).toEqual([
      'incident:incident-7',
      'action:action-6',
      'action:action-5',
      'incident:incident-4',
    ]);
    const second = await service.page(teacher, 'p1', {
      limit: 4,
      cursor: first.nextCursor!,
      filter: {},
    });
    expect(second.entries.map((e) => e.entryId)).toEqual([
      'action:action-2',
      'incident:incident-1',
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('when a type filter is given, then the other sources are not read', async () => {
    const { service } = serviceWith([
      sourceOf(
        'incident',
        [1].map((d) => entry('incident', d, TEACHER)),
      ),
      sourceOf(
        'action',
        [2].map((d) => entry('action', d, TEACHER)),
      ),
    ]);
    const page = await service.page(teacher, 'p1', { limit: 10, filter: { types: ['incident'] } });
    expect(page.entries.map((e) => e.type)).toEqual(['incident']);
  });

  it('when only hidden entries remain, then there is no "more" to give them away', async () => {
    const { service, events } = serviceWith([
      sourceOf('incident', [
        entry('incident', 9, TEACHER),
        ...[1, 2, 3, 4, 5, 6, 7, 8].map((d) => entry('incident', d, 'someone-else')),
      ]),
    ]);
    const page = await service.page(teacher, 'p1', { limit: 1, filter: {} });
    expect(page.entries).toHaveLength(1);
    expect(page.nextCursor).toBeNull();
    expect(events.map((e) => e.action)).toEqual(['chronology.view']);
  });
});
