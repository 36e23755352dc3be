import type { Connection } from 'mongoose';
import { ChronologyIndexRepository, indexEntriesFor } from '../../../src/chronology';
import { dropTestStore, openTestStore } from '../../support/test-store';

const SCOPE = { tenantId: 't1', schoolId: 's1' };

function record(n: number, pupilId: string, linked: string[] = []) {
  return {
    ...SCOPE,
    incidentId: `inc-${n}`,
    reference: `EPC-2026-${String(n).padStart(5, '0')}`,
    happenedAt: new Date(Date.UTC(2026, 9, 1 + (n % 20))),
    recordedAt: new Date(Date.UTC(2026, 9, 25)),
    recordedBy: { aadObjectId: 'aad-1', displayName: 'Sam Taylor', roles: ['staff'] },
    pupilId,
    linkedPupils: linked.map((p) => ({ pupilId: p, role: 'witness' as const })),
    categoryIds: [n % 2 === 0 ? 'behaviour' : 'bullying'],
    alertStaffIds: [],
  };
}

describe('the chronology index (real store)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
  });
  afterAll(() => dropTestStore(connection));

  describe('one collection for every pupil, with its compound index', () => {
    let index: ChronologyIndexRepository;
    const pupil = 'p-1';
    const other = 'q-1';

    beforeAll(async () => {
      index = new ChronologyIndexRepository(connection);
      await index.ready();
      for (let n = 1; n <= 12; n += 1) {
        await index.addMany(indexEntriesFor(record(n, pupil, n === 3 ? [other] : [])));
      }
      await index.addMany(indexEntriesFor(record(99, other)));
    });

    it('when entries are written again (a retried submit, a rebuild), then none is kept twice', async () => {
      expect(await index.addMany(indexEntriesFor(record(5, pupil)))).toBe(0);
      const again = [...indexEntriesFor(record(6, pupil)), ...indexEntriesFor(record(13, other))];
      expect(await index.addMany(again)).toBe(1);
      expect(await connection.collection('chronology_incidents').countDocuments({})).toBe(15);
      await connection.collection('chronology_incidents').deleteOne({ incidentId: 'inc-13' });
    });

    it('when pages are read by position, then every entry comes once, newest first', async () => {
      const seen: string[] = [];
      let after: { happenedAt: Date; entryId: string } | undefined;
      for (;;) {
        const page = await index.pageForPupil(SCOPE, pupil, { after, filter: {}, limit: 5 });
        seen.push(...page.map((e) => e.incidentId));
        const last = page.at(-1);
        if (page.length < 5 || !last) break;
        after = last;
      }
      expect(seen).toHaveLength(12);
      expect(new Set(seen).size).toBe(12);
      expect(seen[0]).toBe('inc-12');
    });

    it('when filtered, then only those categories and dates come back', async () => {
      const page = await index.pageForPupil(SCOPE, pupil, {
        filter: {
          categoryIds: ['behaviour'],
          from: new Date(Date.UTC(2026, 9, 5)),
          to: new Date(Date.UTC(2026, 9, 9, 23, 59)),
        },
        limit: 50,
      });
      expect(page.map((e) => e.incidentId)).toEqual(['inc-8', 'inc-6', 'inc-4']);
    });

    it('when a pupil is linked, then the record is in their index as linked', async () => {
      const page = await index.pageForPupil(SCOPE, other, { filter: {}, limit: 50 });
      expect(page.map((e) => [e.incidentId, e.pupilRole])).toEqual([
        ['inc-99', 'subject'],
        ['inc-3', 'linked'],
      ]);
      const elsewhere = await index.pageForPupil({ tenantId: 't1', schoolId: 'another' }, other, {
        filter: {},
        limit: 50,
      });
      expect(elsewhere).toEqual([]);
    });
  });
});
