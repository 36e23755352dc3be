import { parseStatusColumns } from '../../../src/directory-import/parse-status-columns';
import { isValidNhsNumber } from '../../../src/pupil-status';
import { pupilStatusChangeSchema } from '../../../src/pupil-status/pupil-status.schemas';
import { UNKNOWN_STATUS } from '../../../src/pupil-status/pupil-status.types';

const HEADER = 'mis_id,legal_first_name,legal_last_name,date_of_birth,year_group,on_roll';

describe('NHS numbers', () => {
  it('when the check digit matches, then the number is valid; when one digit is wrong, then it is not', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
  });

  it('when the check digit would be 10, then no number with those first nine digits is valid', () => {
    // 1…9 weighted 10 down to 2 sums to 210; 210 mod 11 = 1; 11 - 1 = 10.
    for (let last = 0; last <= 9; last += 1) {
      expect(isValidNhsNumber(`123456789${last}`)).toBe(false);
    }
  });
});

describe('a status change from the tab', () => {
  const change = (status: Record<string, unknown>, reason = 'Strategy meeting 3 Dec') =>
    pupilStatusChangeSchema.safeParse({ status: { ...UNKNOWN_STATUS, ...status }, reason });

  it('when the NHS number is given with spaces, then it is kept as ten digits', () => {
    const parsed = change({ nhsNumber: '943 476 5919' });
    expect(parsed.success && parsed.data.status.nhsNumber).toBe('9434765919');
  });

  it('when there is neither an NHS number nor a reason for its absence, then it is refused with what to do', () => {
    const parsed = change({});
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('Give the NHS number, or say why there is none.');
  });

  it('when the reason for the change is blank, then it is refused', () => {
    const parsed = change({ nhsNumberMissingReason: 'Not registered with a GP' }, '  ');
    expect(parsed.error?.issues[0]?.message).toBe('Say why the status changed.');
  });

  it('when the NHS number fails its check, then it is refused', () => {
    expect(change({ nhsNumber: '9434765918' }).success).toBe(false);
  });
});

describe('the status columns of a pupils file', () => {
  it('when a file has no status columns, then no pupil has a status line', () => {
    const result = parseStatusColumns(`${HEADER}\nEP1,Ann,Lee,2015-01-02,Year 4,yes\n`);
    expect(result).toEqual({ ok: true, rows: [] });
  });

  it('when cells say yes, no, previously or are blank, then only what is said is set', () => {
    const result = parseStatusColumns(
      `${HEADER},cp_plan,fsm,looked_after,nhs_number\n` +
        `EP1,Ann,Lee,2015-01-02,Year 4,yes,yes,,previously,943 476 5919\n` +
        `EP2,Bo,Lee,2015-01-02,Year 4,yes,,,,\n`,
    );
    expect(result.ok && result.rows.map((r) => r.value)).toEqual([
      {
        pupilId: 'EP1',
        status: {
          childProtectionPlan: true,
          lookedAfter: 'previously-looked-after',
          nhsNumber: '9434765919',
        },
      },
    ]);
  });

  it('when a status cell is not understood, then the line and column are named and not the value', () => {
    const result = parseStatusColumns(
      `${HEADER},cin,nhs_number\nEP1,Ann,Lee,2015-01-02,Year 4,yes,maybe,123\n`,
    );
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 2, column: 'cin' }),
        expect.objectContaining({ line: 2, column: 'nhs_number' }),
      ]),
    );
    expect(JSON.stringify(errors)).not.toContain('maybe');
  });
});
