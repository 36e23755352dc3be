import type { Pupil } from '../../../src/pupils';
import { proposePupils } from '../../../src/transfers/transfer-pupil-match';

const sent = {
  misId: 'EP1140',
  upn: 'A123456789012',
  legalFirstName: 'Zoë',
  legalLastName: "O'Neil",
  dateOfBirth: '2016-03-04',
  yearGroup: 'Year 5',
};

function ours(pupilId: string, overrides: Partial<Pupil> = {}): Pupil {
  return {
    tenantId: 't',
    schoolId: 's',
    pupilId,
    upn: undefined,
    legalFirstName: 'Someone',
    legalLastName: 'Else',
    preferredFirstName: undefined,
    preferredLastName: undefined,
    dateOfBirth: '2015-01-01',
    yearGroup: 'Year 5',
    form: undefined,
    onRoll: true,
    ...overrides,
  };
}

describe('proposing the pupil on our roll a transferred file belongs to', () => {
  it('when our roll has the same UPN, then that pupil comes first, even under another name', () => {
    const proposals = proposePupils(sent, [
      ours('namesake', {
        legalFirstName: 'Zoe',
        legalLastName: 'ONeil',
        dateOfBirth: '2016-03-04',
      }),
      ours('renamed', { upn: 'a123456789012', legalLastName: 'Smith' }),
    ]);
    expect(proposals.map((p) => [p.pupil.pupilId, p.matchedOn])).toEqual([
      ['renamed', ['upn']],
      ['namesake', ['name', 'date-of-birth']],
    ]);
  });

  it('when only a name or only a birthday is shared, then no one is proposed', () => {
    expect(
      proposePupils(sent, [
        ours('same-name', { legalFirstName: 'Zoe', legalLastName: "O'Neil" }),
        ours('same-day', { dateOfBirth: '2016-03-04' }),
      ]),
    ).toEqual([]);
  });

  it('when the preferred name matches and the date of birth too, then the pupil is proposed', () => {
    const [only] = proposePupils({ ...sent, upn: undefined }, [
      ours('known-as', {
        legalFirstName: 'Zoey',
        preferredFirstName: 'Zoë',
        legalLastName: "O'Neil",
        dateOfBirth: '2016-03-04',
      }),
    ]);
    expect(only?.matchedOn).toEqual(['name', 'date-of-birth']);
  });
});
