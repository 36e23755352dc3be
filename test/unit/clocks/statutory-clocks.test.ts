import {
  DEFAULT_SCHOOL_DAY,
  schoolDayConfigSchema,
  addSchoolDays,
  addWorkingDays,
  ENGLAND_BANK_HOLIDAYS_2026_2027,
  referralChaseAt,
  referralDecisionDueAt,
  subjectAccessDueBy,
  taskTimes,
  transferDueBy,
  type StatutoryCalendar,
} from '../../../src/clocks';
import { fromSchoolDateTime } from '../../../src/shared/school-time';

/** School time in Europe/London as an instant (GMT in winter, BST in summer). */
const london = (local: string) => {
  const instant = fromSchoolDateTime(local.slice(0, 10), local.slice(11, 16));
  if (!instant) throw new Error(`not a time: ${local}`);
  return instant;
};

const plain: StatutoryCalendar = { schoolDay: DEFAULT_SCHOOL_DAY, bankHolidays: [] };
const england: StatutoryCalendar = {
  schoolDay: schoolDayConfigSchema.parse({
    // A school's own closures: an INSET day and the Christmas holiday.
    closures: ['2026-11-27', '2026-12-21..2027-01-01'],
  }),
  bankHolidays: ENGLAND_BANK_HOLIDAYS_2026_2027,
};

describe('working days', () => {
  it.each([
    ['a Monday adds one to Tuesday, same time', plain, '2026-11-23T14:00', 1, '2026-11-24T14:00'],
    ['a Friday adds one to Monday', plain, '2026-11-27T14:00', 1, '2026-11-30T14:00'],
    [
      'a Saturday starts at Monday 00:00, so one ends Tuesday 00:00',
      plain,
      '2026-11-28T10:00',
      1,
      '2026-12-01T00:00',
    ],
    [
      'Christmas Eve skips Christmas, the weekend and the Boxing Day substitute',
      england,
      '2026-12-24T15:00',
      1,
      '2026-12-29T15:00',
    ],
    [
      'Maundy Thursday skips Good Friday, the weekend and Easter Monday',
      england,
      '2027-03-25T09:30',
      1,
      '2027-03-30T09:30',
    ],
    [
      'a bank holiday itself starts the next working day',
      england,
      '2026-05-25T11:00',
      1,
      '2026-05-27T00:00',
    ],
    [
      'an INSET day still counts: the local authority works',
      england,
      '2026-11-26T10:00',
      1,
      '2026-11-27T10:00',
    ],
    ['three from a Wednesday cross a weekend', plain, '2026-11-25T10:00', 3, '2026-11-30T10:00'],
  ])('when %s', (_name, cal, from, n, expected) => {
    expect(addWorkingDays(london(from), n, cal)).toEqual(london(expected));
  });
});

describe('school days', () => {
  it.each([
    ['an INSET day does not count', england, '2026-11-26T10:00', 1, '2026-11-30T10:00'],
    ['the Christmas holiday does not count', england, '2026-12-18T12:00', 1, '2027-01-04T12:00'],
    ['a plain week is five days on', plain, '2026-11-23T09:00', 5, '2026-11-30T09:00'],
  ])('when %s', (_name, cal, from, n, expected) => {
    expect(addSchoolDays(london(from), n, cal)).toEqual(london(expected));
  });

  it('when a file transfer starts on a Wednesday before an INSET Friday, then it is due 5 school days on (next Thursday)', () => {
    expect(transferDueBy(london('2026-11-25T10:00'), england)).toEqual(london('2026-12-03T10:00'));
  });
});

describe('referral to children’s social care', () => {
  const referred = london('2026-11-23T14:00'); // a Monday

  it('when referred on Monday afternoon, then a decision is due Tuesday afternoon', () => {
    expect(referralDecisionDueAt(referred, england)).toEqual(london('2026-11-24T14:00'));
  });

  it.each([
    ['before the decision is due', '2026-11-24T13:59', 0, '2026-11-24T14:00'],
    ['when it falls due', '2026-11-24T14:00', 1, '2026-11-25T14:00'],
    ['a day later', '2026-11-25T16:00', 2, '2026-11-26T14:00'],
    ['over a weekend (no chases at weekends)', '2026-11-29T12:00', 4, '2026-11-30T14:00'],
  ])(
    'when it is %s, then the chases due and the next are counted in working days',
    (_n, now, due, next) => {
      expect(referralChaseAt(referred, london(now), england)).toEqual({
        chasesDue: due,
        nextChaseAt: london(next),
      });
    },
  );
});

describe('subject access request: one calendar month', () => {
  it.each([
    ['the same date next month', '2026-11-10T09:00', 0, '2026-12-11T00:00'],
    ['31 October: the last day of November', '2026-10-31T09:00', 0, '2026-12-01T00:00'],
    ['a date landing on a Saturday moves to Monday', '2026-10-14T09:00', 0, '2026-11-17T00:00'],
    [
      'a date landing on Christmas moves past the bank holidays',
      '2026-11-25T09:00',
      0,
      '2026-12-30T00:00',
    ],
    ['extended by two months for a complex request', '2026-11-10T09:00', 2, '2027-02-11T00:00'],
  ])('when received %s, then it is due by the end of the right day', (_n, received, ext, due) => {
    expect(subjectAccessDueBy(london(received), england, ext as 0 | 2)).toEqual(london(due));
  });
});

describe('a task due on a date', () => {
  it('when due on a day, then the reminder is at school start and it is overdue at school end', () => {
    expect(taskTimes('2026-11-25', plain)).toEqual({
      remindAt: london('2026-11-25T08:00'),
      dueAt: london('2026-11-25T17:00'),
    });
  });
});
