import { addSchoolDays, transferDueBy, type StatutoryCalendar } from '../clocks';
import { fromSchoolDateTime } from '../shared/school-time';

/**
 * When a transfer's clock starts: the leaving date (the start of that day, school time) when it is
 * later than the case's opening, else the opening itself. A leaving date in the holidays counts
 * from the first school day after (addSchoolDays skips closures), as KCSIE asks.
 */
export function clockStartOf(
  openedAt: Date,
  leavingDate: string | undefined,
  cal: StatutoryCalendar,
): Date {
  if (!leavingDate) return openedAt;
  const start = fromSchoolDateTime(leavingDate, '00:00', cal.schoolDay.timeZone);
  return start && start.getTime() > openedAt.getTime() ? start : openedAt;
}

/**
 * Where a transfer's clock stands at `now` with no receipt: due by 5 school days after it
 * started; from then a chase prompt each school day (chase `n` is due `4 + n` school days after
 * the start), until the receipt stops it.
 */
export function transferChaseAt(
  startedAt: Date,
  now: Date,
  cal: StatutoryCalendar,
): {
  readonly dueBy: Date;
  readonly overdue: boolean;
  readonly chasesDue: number;
  readonly nextChaseAt: Date;
} {
  const dueBy = transferDueBy(startedAt, cal);
  let chasesDue = 0;
  let next = dueBy;
  // Bounded: a year of school days is ~190; stop well past that.
  while (next.getTime() <= now.getTime() && chasesDue < 1_000) {
    chasesDue += 1;
    next = addSchoolDays(startedAt, 5 + chasesDue, cal);
  }
  return { dueBy, overdue: now.getTime() >= dueBy.getTime(), chasesDue, nextChaseAt: next };
}
