import { selectAlertRecipients } from '../../../src/alerts';
import type { StaffMember } from '../../../src/staff/staff.types';

function member(aadObjectId: string, overrides: Partial<StaffMember> = {}): StaffMember {
  return {
    tenantId: 't',
    schoolId: 's',
    aadObjectId,
    displayName: aadObjectId,
    email: `${aadObjectId}@example.invalid`,
    jobTitle: undefined,
    roles: ['staff'],
    conflictPupilIds: [],
    active: true,
    ...overrides,
  };
}

const dsl = member('dsl', { roles: ['dsl'] });
const deputy = member('deputy', { roles: ['deputy-dsl'] });

describe('choosing who is alerted', () => {
  it('when a member of staff records a concern, then the whole team and the chosen staff are alerted', () => {
    const result = selectAlertRecipients({
      team: [dsl, deputy],
      chosen: [member('teacher')],
      recorderAadObjectId: 'recorder',
      pupilIds: ['p1'],
      teamOnly: false,
    });
    expect(result.map((r) => [r.member.aadObjectId, r.reason])).toEqual([
      ['dsl', 'safeguarding-team'],
      ['deputy', 'safeguarding-team'],
      ['teacher', 'chosen-by-recorder'],
    ]);
  });

  it('when the recorder is on the team, then they are not alerted about their own record', () => {
    const result = selectAlertRecipients({
      team: [dsl, deputy],
      chosen: [],
      recorderAadObjectId: 'dsl',
      pupilIds: ['p1'],
      teamOnly: false,
    });
    expect(result.map((r) => r.member.aadObjectId)).toEqual(['deputy']);
  });

  it('when a team member has a conflict of interest with any pupil in the record, then they are left out', () => {
    const conflicted = member('deputy2', { roles: ['deputy-dsl'], conflictPupilIds: ['p2'] });
    const result = selectAlertRecipients({
      team: [dsl, conflicted],
      chosen: [member('aunt', { conflictPupilIds: ['p2'] })],
      recorderAadObjectId: 'recorder',
      pupilIds: ['p1', 'p2'],
      teamOnly: false,
    });
    expect(result.map((r) => r.member.aadObjectId)).toEqual(['dsl']);
  });

  it('when someone is both on the team and chosen, or inactive, then they appear once or not at all', () => {
    const gone = member('gone', { roles: ['dsl'], active: false });
    const result = selectAlertRecipients({
      team: [dsl, gone],
      chosen: [dsl, gone],
      recorderAadObjectId: 'recorder',
      pupilIds: [],
      teamOnly: false,
    });
    expect(result).toEqual([{ member: dsl, reason: 'safeguarding-team' }]);
  });

  it('when a category is kept to the team, then colleagues the recorder chose are not alerted (team members still are)', () => {
    const result = selectAlertRecipients({
      team: [dsl],
      chosen: [member('teacher'), deputy],
      recorderAadObjectId: 'recorder',
      pupilIds: ['p1'],
      teamOnly: true,
    });
    expect(result.map((r) => [r.member.aadObjectId, r.reason])).toEqual([
      ['dsl', 'safeguarding-team'],
      ['deputy', 'chosen-by-recorder'],
    ]);
  });
});
