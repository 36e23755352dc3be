import type { AccessActor } from '../../../src/access';
import type { AuditEventInput } from '../../../src/audit';
import { authorizeSar } from '../../../src/sar/sar-access';
import { STAFF_ROLES, type StaffRole } from '../../../src/staff/staff.types';
import { codeOf } from '../../support/error-code';

const TEAM: readonly StaffRole[] = ['dsl', 'deputy-dsl', 'safeguarding-team'];

function actor(roles: readonly StaffRole[], more: Partial<AccessActor> = {}): AccessActor {
  return {
    tenantId: 't',
    schoolId: 's',
    aadObjectId: 'aad-1',
    displayName: 'Someone',
    roles,
    conflictPupilIds: [],
    steppedUp: true,
    ...more,
  };
}

describe('who may work on subject access requests (deny by default)', () => {
  const events: AuditEventInput[] = [];
  const audit = { record: async (e: AuditEventInput) => void events.push(e) };
  const bundle = { pupilId: 'p1', operation: 'sar-bundle', stepUp: true };

  it.each(STAFF_ROLES.map((role) => [role]))(
    'when the role is %s alone, then only the safeguarding team is let in',
    async (role) => {
      const outcome = (await codeOf(authorizeSar(audit, actor([role]), bundle))) ?? 'allowed';
      expect(outcome).toBe(TEAM.includes(role) ? 'allowed' : 'ACCESS.DENIED');
    },
  );

  it('when the DSL has a conflict of interest with the pupil, then it is refused and audited', async () => {
    events.length = 0;
    await expect(
      authorizeSar(audit, actor(['dsl'], { conflictPupilIds: ['p1'] }), bundle),
    ).rejects.toMatchObject({ code: 'ACCESS.DENIED' });
    expect(events).toEqual([
      expect.objectContaining({
        action: 'access.denied',
        target: { kind: 'pupil', id: 'p1' },
        reason: 'sar-bundle:conflict-of-interest',
      }),
    ]);
  });

  it('when the DSL has not stepped up, then the bundle asks for it but the register does not', async () => {
    const dsl = actor(['dsl'], { steppedUp: false });
    await expect(authorizeSar(audit, dsl, bundle)).rejects.toMatchObject({
      code: 'ACCESS.STEP_UP_REQUIRED',
    });
    await expect(authorizeSar(audit, dsl, { ...bundle, stepUp: false })).resolves.toBeUndefined();
  });
});
