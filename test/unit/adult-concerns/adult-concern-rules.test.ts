import {
  addYears,
  DEFAULT_RETENTION_POLICY,
  ladoClockOf,
  retentionFor,
  type AdultConcernHeader,
} from '../../../src/adult-concerns';
import { parseAdultConcernForm } from '../../../src/adult-concerns/adult-concern.schemas';
import {
  addWorkingDays,
  DEFAULT_SCHOOL_DAY,
  ENGLAND_BANK_HOLIDAYS_2026_2027,
} from '../../../src/clocks';

const calendar = { schoolDay: DEFAULT_SCHOOL_DAY, bankHolidays: ENGLAND_BANK_HOLIDAYS_2026_2027 };

function header(more: Partial<AdultConcernHeader>): AdultConcernHeader {
  return { route: 'allegation', ladoReferredAt: undefined, ...more } as AdultConcernHeader;
}

describe('the LADO clock', () => {
  it('when an allegation is recorded on a Friday afternoon, then the referral is due on Monday at the same time, not Saturday', () => {
    // Friday 27 November 2026, 15:30 in London (GMT).
    const friday = new Date('2026-11-27T15:30:00.000Z');
    const due = addWorkingDays(friday, 1, calendar);
    expect(due.toISOString()).toBe('2026-11-30T15:30:00.000Z');
    const concern = header({ ladoReferralDueAt: due });
    expect(ladoClockOf(concern, new Date('2026-11-28T12:00:00.000Z'))).toEqual({
      state: 'due',
      dueAt: due,
    });
    expect(ladoClockOf(concern, new Date('2026-11-30T15:31:00.000Z'))).toEqual({
      state: 'overdue',
      dueAt: due,
    });
  });

  it('when an allegation is recorded on a Saturday, then the working day starts on Monday and ends at midnight into Tuesday', () => {
    const saturday = new Date('2026-11-28T10:00:00.000Z');
    expect(addWorkingDays(saturday, 1, calendar).toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });

  it('when the referral is made after the clock ran out, then it stands as referred, late', () => {
    const due = new Date('2026-11-30T15:30:00.000Z');
    const referredAt = new Date('2026-12-01T09:00:00.000Z');
    expect(
      ladoClockOf(header({ ladoReferralDueAt: due, ladoReferredAt: referredAt }), referredAt),
    ).toEqual({
      state: 'referred',
      referredAt,
      late: true,
    });
  });

  it('when the concern is low-level, then no LADO clock runs', () => {
    expect(
      ladoClockOf(header({ route: 'low-level', ladoReferralDueAt: undefined }), new Date()),
    ).toEqual({
      state: 'not-applicable',
    });
  });
});

describe('retention of concerns about adults', () => {
  const base = {
    route: 'allegation' as const,
    recordedOn: '2026-11-23',
    policy: DEFAULT_RETENTION_POLICY,
  };

  it.each(['substantiated', 'unsubstantiated', 'unfounded'] as const)(
    'when the outcome is %s and the adult is young, then it is kept until their pension age',
    (outcome) => {
      const decision = retentionFor({
        ...base,
        outcome,
        outcomeDate: '2027-01-15',
        subjectDateOfBirth: '1990-06-01',
      });
      expect(decision).toMatchObject({ rule: 'pension-age-or-10-years', reviewOn: '2057-06-01' });
    },
  );

  it('when the adult is near pension age, then ten years from the outcome is longer and wins', () => {
    const decision = retentionFor({
      ...base,
      outcome: 'substantiated',
      outcomeDate: '2027-01-15',
      subjectDateOfBirth: '1962-03-01',
    });
    expect(decision).toMatchObject({ rule: 'pension-age-or-10-years', reviewOn: '2037-01-15' });
  });

  it('when no date of birth is given, then ten years stands and the explanation asks for it', () => {
    const decision = retentionFor({ ...base, outcome: 'unfounded', outcomeDate: '2027-01-15' });
    expect(decision.reviewOn).toBe('2037-01-15');
    expect(decision.explanation).toMatch(/date of birth was not given/);
  });

  it.each(['false', 'malicious'] as const)(
    'when the allegation was %s, then it is to be removed from the personnel record',
    (outcome) => {
      expect(retentionFor({ ...base, outcome, outcomeDate: '2027-01-15' })).toMatchObject({
        rule: 'remove-from-personnel-record',
        reviewOn: '2027-01-15',
      });
    },
  );

  it('when a low-level concern is closed, then it is reviewed under the school policy', () => {
    expect(
      retentionFor({
        ...base,
        route: 'low-level',
        outcome: 'addressed-with-adult',
        outcomeDate: '2027-01-15',
      }),
    ).toMatchObject({ rule: 'low-level-policy-review', reviewOn: '2028-01-15' });
  });

  it('when a date is 29 February, then a year later is 28 February', () => {
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
  });
});

describe('the concern form', () => {
  const now = new Date('2026-11-23T11:00:00.000Z');
  const filled = {
    adultKind: 'volunteer',
    subjectAadObjectId: 'none',
    adultName: 'Jordan Example',
    happenedDate: '2026-11-23',
    happenedTime: '10:00',
    whatHappened: 'Gave a pupil a lift home alone.',
    harmThreshold: 'not-sure',
  };

  it('when someone is not sure about the harm threshold, then it takes the allegation route', () => {
    const parsed = parseAdultConcernForm(filled, now);
    expect(parsed.ok && parsed.input.mayMeetHarmThreshold).toBe(true);
    expect(parsed.ok && parsed.input.subjectAadObjectId).toBeUndefined();
  });

  it('when the answers are missing or forged, then every problem is named and what was typed kept', () => {
    const parsed = parseAdultConcernForm(
      {
        adultKind: 'pupil',
        whatHappened: { $gt: '' },
        happenedDate: '2027-01-01',
        happenedTime: '10:00',
        adultRole: 'TA',
      },
      now,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual([
      'adultKind',
      'adultName',
      'happenedDate',
      'harmThreshold',
      'whatHappened',
    ]);
    expect(parsed.values.adultRole).toBe('TA');
  });
});
