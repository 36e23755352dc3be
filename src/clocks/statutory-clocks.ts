import type { SchoolDayConfig } from './school-day';
import { fromSchoolDateTime, toSchoolDateTime } from '../shared/school-time';

/**
 * The statutory and policy clocks of England in one place, pure and table-tested: when a
 * referral's decision is due and when to chase it, when a child protection file must have moved,
 * when a subject access request must be answered, and when a task is due. Every answer comes from
 * the instants given and the calendar: no clock is read here.
 */

/**
 * The calendar the clocks count in. Working days (the local authority's) are Monday to Friday but
 * bank holidays; school days are the school's days but bank holidays and its closures (INSET days,
 * holidays).
 */
export interface StatutoryCalendar {
  readonly schoolDay: SchoolDayConfig;
  /** YYYY-MM-DD dates. */
  readonly bankHolidays: readonly string[];
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

type DayTest = (date: string, cal: StatutoryCalendar) => boolean;

/** Monday to Friday, not a bank holiday: a day the local authority works. */
const isWorkingDay: DayTest = (date, cal) => {
  const weekday = weekdayOf(date);
  return weekday !== 'sat' && weekday !== 'sun' && !cal.bankHolidays.includes(date);
};

/** One of the school's days, not a bank holiday and not a closure. */
const isSchoolDay: DayTest = (date, cal) =>
  (cal.schoolDay.days as readonly string[]).includes(weekdayOf(date)) &&
  !cal.bankHolidays.includes(date) &&
  !cal.schoolDay.closures.some((c) => {
    const [from = '', to = from] = c.split('..');
    return date >= from && date <= to;
  });

/**
 * `n` qualifying days after `from`, at the same wall-clock time. Started on a day that does not
 * count (a Saturday, a bank holiday), the clock starts at midnight of the next day that does, so
 * "one working day" from Saturday morning ends at midnight between Monday and Tuesday.
 */
function addDays(from: Date, n: number, cal: StatutoryCalendar, counts: DayTest): Date {
  const zone = cal.schoolDay.timeZone;
  let { date, time } = toSchoolDateTime(from, zone);
  if (!counts(date, cal)) {
    date = nextDayWhere(date, cal, counts);
    time = '00:00';
  }
  for (let i = 0; i < n; i += 1) date = nextDayWhere(date, cal, counts);
  return instant(date, time, zone);
}

/** `n` working days after `from` (see addDays for a start on a non-working day). */
export function addWorkingDays(from: Date, n: number, cal: StatutoryCalendar): Date {
  return addDays(from, n, cal, isWorkingDay);
}

/** `n` school days after `from`. */
export function addSchoolDays(from: Date, n: number, cal: StatutoryCalendar): Date {
  return addDays(from, n, cal, isSchoolDay);
}

/** Children's social care should decide on a referral within one working day. */
export function referralDecisionDueAt(referredAt: Date, cal: StatutoryCalendar): Date {
  return addWorkingDays(referredAt, 1, cal);
}

/**
 * Where a referral's chasing stands at `now` with no decision recorded: how many chase prompts
 * are due so far (the first when the decision is a working day late, one more each working day it
 * stays open), and when the next falls due. Chase `n` is due `n` working days after the referral.
 */
export function referralChaseAt(
  referredAt: Date,
  now: Date,
  cal: StatutoryCalendar,
): { readonly chasesDue: number; readonly nextChaseAt: Date } {
  let chasesDue = 0;
  let next = addWorkingDays(referredAt, 1, cal);
  // Bounded: a referral open for a year has ~250 working days; stop well past that.
  while (next.getTime() <= now.getTime() && chasesDue < 1_000) {
    chasesDue += 1;
    next = addWorkingDays(referredAt, chasesDue + 1, cal);
  }
  return { chasesDue, nextChaseAt: next };
}

/** A child protection file must reach the new school within 5 school days. */
export function transferDueBy(startedAt: Date, cal: StatutoryCalendar): Date {
  return addSchoolDays(startedAt, 5, cal);
}

/**
 * A subject access request is answered within one calendar month (ICO): the same date next month,
 * the month's last day when it has no such date (31 January → 28/29 February), moved to the next
 * working day when that is a weekend or bank holiday; a complex request may be extended by up to
 * two further months. Due by the end of that day (midnight, school time).
 */
export function subjectAccessDueBy(
  receivedAt: Date,
  cal: StatutoryCalendar,
  extendedMonths: 0 | 1 | 2 = 0,
): Date {
  const zone = cal.schoolDay.timeZone;
  const [y = 0, m = 1, d = 1] = toSchoolDateTime(receivedAt, zone).date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + 1 + extendedMonths, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0));
  target.setUTCDate(Math.min(d, lastDay.getUTCDate()));
  let date = target.toISOString().slice(0, 10);
  if (!isWorkingDay(date, cal)) date = nextDayWhere(date, cal, isWorkingDay);
  return instant(nextDate(date), '00:00', zone);
}

/**
 * A task's day in school time: the reminder goes at the start of the school day it is due and it
 * is overdue from the end of that day (the school day's hours from config).
 */
export function taskTimes(
  dueDate: string,
  cal: StatutoryCalendar,
): { readonly remindAt: Date; readonly dueAt: Date } {
  const zone = cal.schoolDay.timeZone;
  return {
    remindAt: instant(dueDate, cal.schoolDay.start, zone),
    dueAt: instant(dueDate, cal.schoolDay.end, zone),
  };
}

function nextDayWhere(date: string, cal: StatutoryCalendar, counts: DayTest): string {
  let next = nextDate(date);
  // 400 days without one that counts means the calendar is wrong; stop rather than spin.
  for (let i = 0; i < 400 && !counts(next, cal); i += 1) next = nextDate(next);
  return next;
}

function weekdayOf(date: string): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()] ?? 'sun';
}

function nextDate(date: string): string {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

function instant(date: string, time: string, zone: string): Date {
  // Dates built here are real; a time that never happens (spring DST gap) reads as GMT.
  return fromSchoolDateTime(date, time, zone) ?? new Date(`${date}T${time}:00Z`);
}
