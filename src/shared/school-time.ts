/**
 * Teams date and time inputs carry no time zone: they are the school's wall-clock time. Schools in
 * England are on Europe/London (GMT/BST), which these helpers convert to and from UTC, DST included.
 */
export const SCHOOL_TIME_ZONE = 'Europe/London';

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

// Building an Intl.DateTimeFormat costs ~100x using one: keep one per zone.
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

function wallClockOf(instant: Date, timeZone: string): WallClock {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    wallClockFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

/** The school's local date (YYYY-MM-DD) and time (HH:MM) at an instant, as the form shows them. */
export function toSchoolDateTime(
  instant: Date,
  timeZone = SCHOOL_TIME_ZONE,
): { date: string; time: string } {
  const w = wallClockOf(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${w.year}-${pad(w.month)}-${pad(w.day)}`,
    time: `${pad(w.hour)}:${pad(w.minute)}`,
  };
}

/**
 * The instant a school-local date and time denote, or undefined if they are not a real date/time.
 * In the autumn hour that happens twice the earlier (BST) reading is taken; in the spring hour that
 * never happens the time is read as GMT.
 */
export function fromSchoolDateTime(
  date: string,
  time: string,
  timeZone = SCHOOL_TIME_ZONE,
): Date | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(time);
  if (!d || !t) return undefined;
  const [year, month, day, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(asUtc);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  // Offsets tried: the zone's offset at the naive instant and an hour either side (DST edges);
  // of the readings that show this wall-clock time, the earliest wins.
  const readings = [asUtc, asUtc - 3_600_000, asUtc + 3_600_000]
    .map((probe) => new Date(asUtc - offsetMinutes(new Date(probe), timeZone) * 60_000))
    .filter((candidate) => {
      const w = wallClockOf(candidate, timeZone);
      return (
        w.year === year &&
        w.month === month &&
        w.day === day &&
        w.hour === hour &&
        w.minute === minute
      );
    })
    .sort((a, b) => a.getTime() - b.getTime());
  return readings[0] ?? new Date(asUtc);
}

function offsetMinutes(instant: Date, timeZone: string): number {
  const w = wallClockOf(instant, timeZone);
  const local = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return Math.round((local - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/** "23 Nov 2026, 11:02" in the school's time zone: how cards show an instant. */
export function formatSchoolTime(instant: Date, timeZone = SCHOOL_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(instant);
}
