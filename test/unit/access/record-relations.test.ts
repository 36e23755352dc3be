import { RecordRelationsService } from '../../../src/access/record-relations.service';

const SCOPE = { tenantId: 't1', schoolId: 's1' };

describe('RecordRelationsService', () => {
  it('when records were alerted about and actions invited people, then each record has both lists, and a record with neither has empty ones', async () => {
    const relations = new RecordRelationsService({
      alertedAbout: async (_scope, id) => (id === 'inc-1' ? ['dsl-1', 'teacher-2'] : []),
      invitedTo: async () => new Map([['inc-1', ['social-worker-3']]]),
    });

    const result = await relations.relationsOf(SCOPE, ['inc-1', 'inc-2']);

    expect(result).toEqual(
      new Map([
        ['inc-1', { alerted: ['dsl-1', 'teacher-2'], invited: ['social-worker-3'] }],
        ['inc-2', { alerted: [], invited: [] }],
      ]),
    );
  });

  it('when asked, then each source is read in the asker’s school only', async () => {
    const scopes: unknown[] = [];
    const relations = new RecordRelationsService({
      alertedAbout: async (scope) => (scopes.push(scope), []),
      invitedTo: async (scope) => (scopes.push(scope), new Map()),
    });

    await relations.relationsOf(SCOPE, ['inc-1']);

    expect(scopes).toEqual([SCOPE, SCOPE]);
  });
});
