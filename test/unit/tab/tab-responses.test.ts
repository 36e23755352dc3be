import { chronologyPageAnswer, devUsersAnswer, recordAnswer } from '../../../src/tab/tab-responses';

const entry = {
  entryId: 'e1',
  type: 'incident' as const,
  incidentId: 'i1',
  reference: 'SG-1',
  happenedAt: new Date('2026-11-02T09:15:00Z'),
  recordedAt: new Date('2026-11-02T09:40:00Z'),
  recordedByName: 'Sam Teacher',
  categoryNames: ['Neglect'],
  pupilRole: 'subject' as const,
  status: 'open' as const,
  amended: false,
  title: 'Concern recorded',
};

describe('the tab API answers', () => {
  it('when a chronology line carries fields the contract does not name, then they never leave', () => {
    const withAccessFacts = { ...entry, record: { alertStaffIds: ['x'] }, facts: 'narrative' };
    const sent = chronologyPageAnswer.parse({
      pupil: { pupilId: 'p1', displayName: 'A Pupil', yearGroup: '7' },
      entries: [withAccessFacts],
      nextCursor: null,
      categories: [],
    });
    expect(sent.entries[0]).not.toHaveProperty('record');
    expect(sent.entries[0]).not.toHaveProperty('facts');
  });

  it('when an answer holds dates, then the wire carries ISO strings', () => {
    const sent = chronologyPageAnswer.parse({
      pupil: { pupilId: 'p1', displayName: 'A Pupil', yearGroup: '7' },
      entries: [entry],
      nextCursor: null,
      categories: [],
    });
    expect(sent.entries[0]?.happenedAt).toBe('2026-11-02T09:15:00.000Z');
  });

  it('when a staff member has a tenant and an email, then the dev user list shows only id, name and roles', () => {
    const sent = devUsersAnswer.parse({
      users: [{ aadObjectId: 'a', displayName: 'B', roles: ['staff'], tenantId: 't', email: 'e' }],
    });
    expect(sent.users[0]).toEqual({ aadObjectId: 'a', displayName: 'B', roles: ['staff'] });
  });

  it('when a service answers without a field the contract needs, then the answer is refused', () => {
    expect(() =>
      recordAnswer.parse({ incident: {}, files: [], amendments: [], actions: [] }),
    ).toThrow();
  });
});
