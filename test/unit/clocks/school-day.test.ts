import {
  DEFAULT_SCHOOL_DAY,
  isSchoolTime,
  nextSchoolTime,
  schoolClosuresText,
  schoolDayConfigSchema,
  schoolDaysText,
  schoolPeriodsFrom,
  type SchoolDayConfig,
} from '../../../src/clocks/school-day';

// 2026-01-12 is a Monday (GMT); 2026-06-15 is a Monday (BST, UTC+1).
const at = (iso: string) => new Date(iso);
const withClosures = (...closures: string[]): SchoolDayConfig => ({
  ...DEFAULT_SCHOOL_DAY,
  closures,
});

describe('school-day config', () => {
  it('when nothing is configured, then Monday to Friday 08:00–17:00 in Europe/London is used', () => {
    expect(DEFAULT_SCHOOL_DAY).toEqual({
      timeZone: 'Europe/London',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '08:00',
      end: '17:00',
      closures: [],
    });
  });

  it('when a full config is given, then it is kept', () => {
    const cfg = {
      timeZone: 'Europe/London',
      days: ['mon', 'wed'],
      start: '08:30',
      end: '15:30',
      closures: ['2026-05-25', '2026-07-22..2026-09-02'],
    };
    expect(schoolDayConfigSchema.parse(cfg)).toEqual(cfg);
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }],
    ['no school days', { days: [] }],
    ['a misspelt day', { days: ['monday'] }],
    ['a 12-hour time', { start: '8am' }],
    ['an hour past 23', { end: '24:00' }],
    ['an end before the start', { start: '15:00', end: '09:00' }],
    ['an end equal to the start', { start: '09:00', end: '09:00' }],
    ['a date that does not exist', { closures: ['2026-02-30'] }],
    ['a UK-style date', { closures: ['25/05/2026'] }],
    ['a backwards range', { closures: ['2026-09-02..2026-07-22'] }],
    ['a range with three parts', { closures: ['2026-07-22..2026-08-01..2026-09-02'] }],
  ])('when the config has %s, then it is refused', (_label, cfg) => {
    expect(schoolDayConfigSchema.safeParse(cfg).success).toBe(false);
  });

  it('when SCHOOL_DAYS is written in any case with spaces, then it is read', () => {
    expect(schoolDaysText.parse(' Mon, TUE ,wed ')).toEqual(['mon', 'tue', 'wed']);
  });

  it.each(['', 'mon,funday', ' , '])('when SCHOOL_DAYS is %p, then it is refused', (text) => {
    expect(schoolDaysText.safeParse(text).success).toBe(false);
  });

  it('when SCHOOL_CLOSURES lists dates and ranges, then each is read', () => {
    expect(schoolClosuresText.parse('2026-05-25, 2026-07-22..2026-09-02,')).toEqual([
      '2026-05-25',
      '2026-07-22..2026-09-02',
    ]);
    expect(schoolClosuresText.parse('')).toEqual([]);
  });

  it('when SCHOOL_CLOSURES holds a bad date, then it is refused', () => {
    expect(schoolClosuresText.safeParse('2026-05-25,2026-13-01').success).toBe(false);
  });
});

describe('is it school time?', () => {
  it.each([
    ['Monday 10:00 GMT', '2026-01-12T10:00:00Z', DEFAULT_SCHOOL_DAY, true],
    ['Monday 08:00 exactly', '2026-01-12T08:00:00Z', DEFAULT_SCHOOL_DAY, true],
    ['Monday 07:59:59', '2026-01-12T07:59:59Z', DEFAULT_SCHOOL_DAY, false],
    ['Monday 16:59:59', '2026-01-12T16:59:59Z', DEFAULT_SCHOOL_DAY, true],
    ['Monday 17:00 exactly', '2026-01-12T17:00:00Z', DEFAULT_SCHOOL_DAY, false],
    ['Monday 22:00', '2026-01-12T22:00:00Z', DEFAULT_SCHOOL_DAY, false],
    ['Saturday 10:00', '2026-01-17T10:00:00Z', DEFAULT_SCHOOL_DAY, false],
    ['Monday 07:30 BST (06:30 UTC)', '2026-06-15T06:30:00Z', DEFAULT_SCHOOL_DAY, false],
    ['Monday 08:30 BST (07:30 UTC)', '2026-06-15T07:30:00Z', DEFAULT_SCHOOL_DAY, true],
    ['Monday 17:30 BST (16:30 UTC)', '2026-06-15T16:30:00Z', DEFAULT_SCHOOL_DAY, false],
    ['a closed Monday', '2026-01-12T10:00:00Z', withClosures('2026-01-12'), false],
    ['the day after a closure', '2026-01-13T10:00:00Z', withClosures('2026-01-12'), true],
    [
      'the first day of a closed range',
      '2026-07-22T10:00:00Z',
      withClosures('2026-07-22..2026-09-02'),
      false,
    ],
    [
      'inside a closed range',
      '2026-08-12T10:00:00Z',
      withClosures('2026-07-22..2026-09-02'),
      false,
    ],
    [
      'the last day of a closed range',
      '2026-09-02T10:00:00Z',
      withClosures('2026-07-22..2026-09-02'),
      false,
    ],
    [
      'the day after a closed range',
      '2026-09-03T10:00:00Z',
      withClosures('2026-07-22..2026-09-02'),
      true,
    ],
    ['a Saturday school', '2026-01-17T10:00:00Z', { ...DEFAULT_SCHOOL_DAY, days: ['sat'] }, true],
    [
      '09:00 in New York (14:00 UTC)',
      '2026-01-12T14:00:00Z',
      { ...DEFAULT_SCHOOL_DAY, timeZone: 'America/New_York', end: '10:00' },
      true,
    ],
    [
      '10:00 UTC, which is 05:00 in New York',
      '2026-01-12T10:00:00Z',
      { ...DEFAULT_SCHOOL_DAY, timeZone: 'America/New_York' },
      false,
    ],
  ] as [string, string, SchoolDayConfig, boolean][])(
    'when it is %s, then school time is %p',
    (_label, iso, cfg, expected) => {
      expect(isSchoolTime(at(iso), cfg)).toBe(expected);
    },
  );
});

describe('when does school time next begin?', () => {
  it.each([
    ['in school time', '2026-01-12T10:00:00Z', DEFAULT_SCHOOL_DAY, '2026-01-12T10:00:00.000Z'],
    [
      'early on a school day',
      '2026-01-12T06:10:00Z',
      DEFAULT_SCHOOL_DAY,
      '2026-01-12T08:00:00.000Z',
    ],
    ['on a school evening', '2026-01-12T19:00:00Z', DEFAULT_SCHOOL_DAY, '2026-01-13T08:00:00.000Z'],
    [
      'at 17:00 on a Monday',
      '2026-01-12T17:00:00Z',
      DEFAULT_SCHOOL_DAY,
      '2026-01-13T08:00:00.000Z',
    ],
    ['on a Friday evening', '2026-01-16T22:00:00Z', DEFAULT_SCHOOL_DAY, '2026-01-19T08:00:00.000Z'],
    ['on a Saturday', '2026-01-17T12:00:00Z', DEFAULT_SCHOOL_DAY, '2026-01-19T08:00:00.000Z'],
    [
      'before a bank holiday Monday',
      '2026-05-22T18:00:00Z',
      withClosures('2026-05-25'),
      '2026-05-26T07:00:00.000Z', // 08:00 BST
    ],
    [
      'on the Friday before the clocks go forward',
      '2026-03-27T18:00:00Z',
      DEFAULT_SCHOOL_DAY,
      '2026-03-30T07:00:00.000Z', // 08:00 BST on Monday
    ],
    [
      'on the Friday before the clocks go back',
      '2026-10-23T18:00:00Z',
      DEFAULT_SCHOOL_DAY,
      '2026-10-26T08:00:00.000Z', // 08:00 GMT on Monday
    ],
    [
      'after school on the last day before the Christmas holiday',
      '2026-12-18T17:30:00Z',
      withClosures('2026-12-21..2027-01-01'),
      '2027-01-04T08:00:00.000Z',
    ],
  ] as [string, string, SchoolDayConfig, string][])(
    'when it is %s, then the next school time is right',
    (_label, iso, cfg, expected) => {
      expect(nextSchoolTime(at(iso), cfg).toISOString()).toBe(expected);
    },
  );

  it('when every day for over a year is closed, then it says the calendar is wrong', () => {
    const cfg = withClosures('2026-01-01..2027-12-31');
    expect(() => nextSchoolTime(at('2026-01-12T10:00:00Z'), cfg)).toThrow(
      expect.objectContaining({ code: 'SCHOOL_DAY.NO_SCHOOL_TIME' }),
    );
  });

  it('when a long summer holiday is closed, then school time is still found after it', () => {
    const cfg = withClosures('2026-07-18..2026-09-02');
    expect(nextSchoolTime(at('2026-07-17T16:00:00Z'), cfg).toISOString()).toBe(
      '2026-09-03T07:00:00.000Z',
    );
  });
});

describe('walking school periods', () => {
  it('when walking from a Friday afternoon, then periods come in order, skipping the weekend', () => {
    const periods = schoolPeriodsFrom(at('2026-01-16T16:00:00Z'), DEFAULT_SCHOOL_DAY);
    const firstThree = [periods.next().value, periods.next().value, periods.next().value].map(
      (p) => p && [p.start.toISOString(), p.end.toISOString()],
    );
    expect(firstThree).toEqual([
      ['2026-01-16T08:00:00.000Z', '2026-01-16T17:00:00.000Z'],
      ['2026-01-19T08:00:00.000Z', '2026-01-19T17:00:00.000Z'],
      ['2026-01-20T08:00:00.000Z', '2026-01-20T17:00:00.000Z'],
    ]);
  });
});
