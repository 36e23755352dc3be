import { DEFAULT_SCHOOL_DAY, ENGLAND_BANK_HOLIDAYS_2026_2027 } from '../../../src/clocks';
import { clockStartOf, transferChaseAt } from '../../../src/transfers';

const cal = { schoolDay: DEFAULT_SCHOOL_DAY, bankHolidays: ENGLAND_BANK_HOLIDAYS_2026_2027 };
// Wednesday 20 May 2026, 10:00 BST. Monday 25 May is the spring bank holiday.
const start = new Date('2026-05-20T09:00:00Z');

describe('the transfer clock: 5 school days, then a chase each school day until the receipt', () => {
  it('when the clock runs over a weekend and a bank holiday, then the file is due on the fifth school day', () => {
    // Thu 21, Fri 22, (Sat, Sun, bank holiday Mon 25), Tue 26, Wed 27, Thu 28.
    expect(transferChaseAt(start, start, cal)).toEqual({
      dueBy: new Date('2026-05-28T09:00:00Z'),
      overdue: false,
      chasesDue: 0,
      nextChaseAt: new Date('2026-05-28T09:00:00Z'),
    });
  });

  it('when the due time passes, then one chase is due, and one more each school day (not the weekend)', () => {
    const dueDay = transferChaseAt(start, new Date('2026-05-28T09:00:00Z'), cal);
    expect(dueDay).toMatchObject({ overdue: true, chasesDue: 1 });
    expect(dueDay.nextChaseAt).toEqual(new Date('2026-05-29T09:00:00Z'));
    // Saturday and Sunday add nothing; Monday 1 June adds the third.
    const weekend = transferChaseAt(start, new Date('2026-05-31T20:00:00Z'), cal);
    expect(weekend).toMatchObject({ chasesDue: 2, nextChaseAt: new Date('2026-06-01T09:00:00Z') });
    expect(transferChaseAt(start, new Date('2026-06-01T09:00:00Z'), cal).chasesDue).toBe(3);
  });

  it('when the school is closed for half term, then those days do not count', () => {
    const halfTerm = {
      ...cal,
      schoolDay: { ...DEFAULT_SCHOOL_DAY, closures: ['2026-05-26..2026-05-29'] },
    };
    // Thu 21, Fri 22, then Mon 1 June .. Wed 3 June.
    expect(transferChaseAt(start, start, halfTerm).dueBy).toEqual(new Date('2026-06-03T09:00:00Z'));
  });

  it('when the leaving date is later than the case, then the clock starts that morning; earlier, at the opening', () => {
    const opened = new Date('2026-07-10T13:00:00Z');
    expect(clockStartOf(opened, '2026-07-17', cal)).toEqual(new Date('2026-07-16T23:00:00Z'));
    expect(clockStartOf(opened, '2026-07-01', cal)).toEqual(opened);
    expect(clockStartOf(opened, undefined, cal)).toEqual(opened);
  });

  it('when a pupil leaves at the start of the summer holiday, then the days count from the new term', () => {
    const summer = {
      ...cal,
      schoolDay: { ...DEFAULT_SCHOOL_DAY, closures: ['2026-07-22..2026-09-02'] },
    };
    // Leaves Wednesday 22 July (closed): counts from Thursday 3 September, midnight.
    const started = clockStartOf(new Date('2026-07-21T15:00:00Z'), '2026-07-22', summer);
    // Thu 3, Fri 4, Mon 7, Tue 8, Wed 9 September: due by the end of Wednesday 9 (midnight).
    expect(transferChaseAt(started, started, summer).dueBy).toEqual(
      new Date('2026-09-09T23:00:00Z'),
    );
  });
});
