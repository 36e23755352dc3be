import type { TransferPackage } from '../../../src/transfers';
import { TransferredInChronologySource } from '../../../src/transfers/transferred-in-chronology';
import type { TransferredIn } from '../../../src/transfers/transferred-in.repository';

const SCOPE = { tenantId: 't', schoolId: 'riverside' };
const person = { displayName: 'Ian Moss' };

function content(
  happenedAt: string,
  category: string,
): TransferPackage['records'][number]['original'] {
  return {
    happenedAt,
    transcribedFromPaper: false,
    location: '',
    facts: 'Narrative that never reaches a chronology line.',
    childsWords: '',
    adultsWords: '',
    leadingQuestionNote: '',
    opinion: '',
    actionTaken: '',
    actionRequired: '',
    categories: [{ id: category.toLowerCase(), name: category }],
    agencies: [],
    bodyMap: [],
  };
}

function record(id: string, happenedAt: string, category: string, actions: string[] = []) {
  return {
    incidentId: id,
    reference: `HSP-2026-${id}`,
    pupilRole: 'subject' as const,
    recordedAt: happenedAt,
    recordedBy: person,
    original: content(happenedAt, category),
    amendments: [],
    current: content(happenedAt, category),
    actions: actions.map((at, i) => ({
      actionId: `${id}-a${i + 1}`,
      sequence: i + 1,
      kind: 'phone-call' as const,
      happenedAt: at,
      recordedAt: at,
      author: person,
      text: 'Rang home.',
      details: {},
    })),
    caseStatus: [],
    status: 'open' as const,
    files: [],
  };
}

const received: TransferredIn = {
  ...SCOPE,
  packageId: 'pkg-1',
  pupilId: 'RS-1',
  fromSchool: 'Hillside Primary',
  exportedAt: new Date('2026-11-20T10:00:00Z'),
  importedAt: new Date('2026-11-23T10:00:00Z'),
  importedBy: { aadObjectId: 'dsl', displayName: 'Priya Shah' },
  package: {
    records: [
      record('00001', '2026-09-01T09:00:00.000Z', 'Bullying', ['2026-09-02T09:00:00.000Z']),
      record('00002', '2026-10-01T09:00:00.000Z', 'Safeguarding'),
    ],
  } as unknown as TransferPackage,
};

const source = new TransferredInChronologySource(
  { listForPupil: () => Promise.resolve([received]) },
  {
    listCategories: () =>
      Promise.resolve([
        { categoryId: 'bullying-here', name: 'Bullying', active: true, teamOnly: false, order: 1 },
      ] as never),
  },
);

describe('records transferred in, as chronology lines', () => {
  it('when a pupil has a package, then each record and action is a line, newest first, saying where it came from and no narrative', async () => {
    const lines = await source.entriesForPupil(SCOPE, 'RS-1', { filter: {}, limit: 10 });
    expect(lines.map((l) => [l.reference, l.title])).toEqual([
      [
        'HSP-2026-00002',
        'Concern transferred in from Hillside Primary, original reference HSP-2026-00002, received 23 Nov 2026',
      ],
      [
        'HSP-2026-00001',
        'Action: phone call, transferred in from Hillside Primary, original reference HSP-2026-00001, received 23 Nov 2026',
      ],
      [
        'HSP-2026-00001',
        'Concern transferred in from Hillside Primary, original reference HSP-2026-00001, received 23 Nov 2026',
      ],
    ]);
    expect(JSON.stringify(lines)).not.toContain('Narrative');
    expect(lines[0]?.record).toMatchObject({ pupilIds: ['RS-1'], alertStaffIds: [] });
  });

  it('when paged, filtered by dates or by one of our categories, then it narrows as the other sources do', async () => {
    const [first] = await source.entriesForPupil(SCOPE, 'RS-1', { filter: {}, limit: 1 });
    const rest = await source.entriesForPupil(SCOPE, 'RS-1', {
      filter: {},
      after: first,
      limit: 10,
    });
    expect(rest.map((l) => l.entryId)).toHaveLength(2);
    const september = await source.entriesForPupil(SCOPE, 'RS-1', {
      filter: { to: new Date('2026-09-30T23:59:59Z') },
      limit: 10,
    });
    expect(september.map((l) => l.reference)).toEqual(['HSP-2026-00001', 'HSP-2026-00001']);
    // Our "Bullying" matches theirs by name (their ids mean nothing here).
    const bullying = await source.entriesForPupil(SCOPE, 'RS-1', {
      filter: { categoryIds: ['bullying-here'] },
      limit: 10,
    });
    expect(bullying.map((l) => l.categoryNamesAsSent)).toEqual([['Bullying'], ['Bullying']]);
  });
});
