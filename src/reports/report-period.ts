import { AppError } from '../shared/errors';
import { fromSchoolDateTime, toSchoolDateTime } from '../shared/school-time';
import type { ReportPeriod } from './report.types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Long enough for a trust's three-year comparison; short enough to stay a bounded read. */
const MOST_DAYS = 3 * 366;

/** The school year (1 September to 31 August) that holds `now`, in the school's time. */
function schoolYearOf(now: Date): ReportPeriod {
  const today = toSchoolDateTime(now).date;
  const year = Number(today.slice(0, 4));
  const start = today.slice(5) >= '09-01' ? year : year - 1;
  return { from: `${start}-09-01`, to: `${start + 1}-08-31` };
}

/**
 * The period asked for, or this school year. Each wrong part gets its own message (shown as it
 * is: it names the field, never a value).
 */
export function resolvePeriod(
  asked: { from?: string | undefined; to?: string | undefined },
  now: Date,
): ReportPeriod {
  const fallback = schoolYearOf(now);
  const from = asked.from || fallback.from;
  const to = asked.to || fallback.to;
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!DAY.test(value) || !fromSchoolDateTime(value, '00:00')) {
      throw new AppError('REPORTS.INVALID_PERIOD', `"${name}" must be a date (YYYY-MM-DD).`);
    }
  }
  if (from > to) {
    throw new AppError('REPORTS.INVALID_PERIOD', 'The period must start before it ends.');
  }
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days > MOST_DAYS) {
    throw new AppError('REPORTS.INVALID_PERIOD', 'A report covers at most three years.');
  }
  return { from, to };
}

/** The instants a period covers: from the start of its first day to the end of its last. */
export function periodInstants(period: ReportPeriod): { start: Date; end: Date } {
  const start = fromSchoolDateTime(period.from, '00:00') ?? new Date(`${period.from}T00:00:00Z`);
  const next = new Date(Date.parse(`${period.to}T12:00:00Z`) + 86_400_000)
    .toISOString()
    .slice(0, 10);
  const end = fromSchoolDateTime(next, '00:00') ?? new Date(`${next}T00:00:00Z`);
  return { start, end };
}

/** The months (YYYY-MM) a period touches, in order. */
export function monthsOf(period: ReportPeriod): string[] {
  const months: string[] = [];
  let [year, month] = [Number(period.from.slice(0, 4)), Number(period.from.slice(5, 7))];
  const last = period.to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    months.push(key);
    if (key >= last) return months;
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
}
