import { z } from 'zod';
import { AppError } from '../shared/errors';
import { SCHOOL_TIME_ZONE, fromSchoolDateTime, toSchoolDateTime } from '../shared/school-time';

/**
 * When the school is open, from config: alerts wait less for an acknowledgement in the school day,
 * when the safeguarding team is on site, than out of hours. Pure: every answer is from `now` and the
 * config, in the school's own wall-clock time (DST included).
 */

/** Weekday names as config spells them (Date#getUTCDay order, Sunday first). */
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** A day of the week in config. */
type Weekday = (typeof WEEKDAYS)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (24-hour)');

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(isRealDate, 'a real calendar date');

/** One closed date, or an inclusive range `YYYY-MM-DD..YYYY-MM-DD` (a holiday is weeks long). */
const closure = z.string().refine((value) => {
  const [from, to, extra] = value.split('..');
  if (extra !== undefined || from === undefined) return false;
  if (!isoDate.safeParse(from).success) return false;
  return to === undefined || (isoDate.safeParse(to).success && from <= to);
}, 'a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD (from no later than to)');

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Europe/London');

/** School-day config: checked wherever it is read (env, a school's settings document). */
export const schoolDayConfigSchema = z
  .object({
    timeZone: timeZone.default(SCHOOL_TIME_ZONE),
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1, 'at least one school day a week')
      .default(['mon', 'tue', 'wed', 'thu', 'fri']),
    start: hhmm.default('08:00'),
    end: hhmm.default('17:00'),
    /** Bank holidays, INSET days and holidays: dates or inclusive ranges. */
    closures: z.array(closure).default([]),
  })
  .refine((cfg) => cfg.start < cfg.end, {
    message: 'the school day must start before it ends',
    path: ['end'],
  });

/** The school day as the alert rules read it. */
export type SchoolDayConfig = z.output<typeof schoolDayConfigSchema>;

/** Monday to Friday, 08:00–17:00 Europe/London, no closures: a school adds its own calendar. */
export const DEFAULT_SCHOOL_DAY: SchoolDayConfig = Object.freeze(schoolDayConfigSchema.parse({}));

/** SCHOOL_DAYS env text: `mon,tue,wed,thu,fri` (any case, spaces ignored). */
export const schoolDaysText = z
  .string()
  .transform((text) => splitList(text, ',').map((day) => day.toLowerCase()))
  .pipe(z.array(z.enum(WEEKDAYS)).min(1));

/** SCHOOL_CLOSURES env text: `2026-05-25,2026-07-22..2026-09-02` (empty for none). */
export const schoolClosuresText = z
  .string()
  .transform((text) => splitList(text, ','))
  .pipe(z.array(closure));

/** A span of school time, [start, end). */
export interface SchoolPeriod {
  readonly start: Date;
  readonly end: Date;
}

/**
 * How far ahead to look for school time before deciding there is none: over a year, so a summer
 * holiday and a misconfigured calendar are told apart.
 */
const SEARCH_DAYS = 400;

/**
 * The school's open periods from the one containing `from` (or the next one) onwards, in order;
 * finishes early only if no school day falls within the next 400 days. Lets a caller walk school
 * time forward without converting every instant (time-zone conversion is the slow part).
 */
export function* schoolPeriodsFrom(from: Date, cfg: SchoolDayConfig): Generator<SchoolPeriod> {
  const fromMs = from.getTime();
  let date = toSchoolDateTime(from, cfg.timeZone).date;
  for (let idle = 0; idle < SEARCH_DAYS; idle += 1) {
    if (isSchoolDate(date, cfg)) {
      const end = wallClockInstant(date, cfg.end, cfg.timeZone);
      if (end.getTime() > fromMs) {
        idle = -1;
        yield { start: wallClockInstant(date, cfg.start, cfg.timeZone), end };
      }
    }
    date = nextDate(date);
  }
}

/** True in the school day: a school day (not closed) between start and end, local time. */
export function isSchoolTime(now: Date, cfg: SchoolDayConfig): boolean {
  const period = schoolPeriodsFrom(now, cfg).next().value;
  return period !== undefined && period.start.getTime() <= now.getTime();
}

/**
 * `now` if it is school time, else the start of the next school day; throws
 * SCHOOL_DAY.NO_SCHOOL_TIME if there is none in the next 400 days (the calendar is wrong).
 */
export function nextSchoolTime(now: Date, cfg: SchoolDayConfig): Date {
  const period = schoolPeriodsFrom(now, cfg).next().value;
  if (!period) {
    throw new AppError(
      'SCHOOL_DAY.NO_SCHOOL_TIME',
      'The school calendar has no school day in the next 400 days.',
    );
  }
  return period.start.getTime() <= now.getTime() ? now : period.start;
}

function isSchoolDate(date: string, cfg: SchoolDayConfig): boolean {
  const weekday = WEEKDAYS[dateToUtc(date).getUTCDay()] as Weekday;
  if (!cfg.days.includes(weekday)) return false;
  // YYYY-MM-DD strings order as dates do, so ranges need no parsing.
  return !cfg.closures.some((c) => {
    const [from = '', to = from] = c.split('..');
    return date >= from && date <= to;
  });
}

/**
 * Memo of wall-clock → instant conversions: each costs several Intl look-ups and the escalation
 * rules ask for the same few days' starts and ends again and again. Cleared when it grows large.
 */
const instantMemo = new Map<string, Date>();

function wallClockInstant(date: string, time: string, zone: string): Date {
  const key = `${zone}|${date}|${time}`;
  let instant = instantMemo.get(key);
  if (!instant) {
    instant = fromSchoolDateTime(date, time, zone);
    if (!instant) {
      // Unreachable for dates this module builds from a validated config.
      throw new AppError('CONFIG.INVALID', 'A school day boundary is not a real time.');
    }
    if (instantMemo.size >= 4_096) instantMemo.clear();
    instantMemo.set(key, instant);
  }
  return instant;
}

function dateToUtc(date: string): Date {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function nextDate(date: string): string {
  const next = dateToUtc(date);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

function isRealDate(date: string): boolean {
  // zod runs this even when the pattern check failed, so it must cope with any text.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const utc = dateToUtc(date);
  return !Number.isNaN(utc.getTime()) && utc.toISOString().slice(0, 10) === date;
}

function splitList(text: string, separator: string): string[] {
  return text
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
