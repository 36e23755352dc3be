import { RecordStateService } from '../../../src/chronology/record-state.service';

const SCOPE = { tenantId: 't1', schoolId: 's1' };

describe('RecordStateService', () => {
  it('when one record was amended and reviewed and another closed, then the page shows each as it is now', async () => {
    const state = new RecordStateService({
      amendments: { listHeadersForIncidents: async () => [{ incidentId: 'inc-1' }] },
      cases: {
        caseStatus: async (_scope, ids) =>
          ids.map((incidentId) => ({
            incidentId,
            status: incidentId === 'inc-2' ? ('closed' as const) : ('open' as const),
          })),
      },
      reviews: { reviewsOf: async () => new Map([['inc-1', {}]]) },
    });

    const result = await state.stateOf(SCOPE, ['inc-1', 'inc-2']);

    expect(result).toEqual(
      new Map([
        ['inc-1', { amended: true, status: 'open', reviewed: true }],
        ['inc-2', { amended: false, status: 'closed', reviewed: false }],
      ]),
    );
  });
});
