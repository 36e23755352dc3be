import { fromSchoolDateTime, toSchoolDateTime } from '../../../src/shared/school-time';

describe('school wall-clock time (Europe/London)', () => {
  it.each([
    ['in winter (GMT)', '2026-01-15', '09:30', '2026-01-15T09:30:00.000Z'],
    ['in summer (BST)', '2026-06-15', '09:30', '2026-06-15T08:30:00.000Z'],
    ['just after the spring change (BST)', '2026-03-29', '02:30', '2026-03-29T01:30:00.000Z'],
    [
      'in the spring hour that never happens (read as GMT)',
      '2026-03-29',
      '01:30',
      '2026-03-29T01:30:00.000Z',
    ],
    [
      'in the repeated autumn hour (earlier reading)',
      '2026-10-25',
      '01:30',
      '2026-10-25T00:30:00.000Z',
    ],
  ])(
    'when a date and time are given %s, then they map to the right instant',
    (_l, date, time, iso) => {
      expect(fromSchoolDateTime(date, time)?.toISOString()).toBe(iso);
    },
  );

  it.each([
    ['2026-02-30', '10:00'],
    ['2026-13-01', '10:00'],
    ['23/11/2026', '10:00'],
    ['2026-11-23', '25:00'],
    ['2026-11-23', 'ten'],
    ['', ''],
  ])('when %s %s is not a real date and time, then nothing is made up', (date, time) => {
    expect(fromSchoolDateTime(date, time)).toBeUndefined();
  });

  it('when an instant is shown, then it is in school time and round-trips', () => {
    const instant = new Date('2026-06-15T08:30:00.000Z');
    expect(toSchoolDateTime(instant)).toEqual({ date: '2026-06-15', time: '09:30' });
    const { date, time } = toSchoolDateTime(instant);
    expect(fromSchoolDateTime(date, time)?.toISOString()).toBe(instant.toISOString());
  });
});
