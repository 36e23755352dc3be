import { formatSchoolTime } from '../shared/school-time';
import type { Report, ReportTable } from './report.types';
import type { Shown } from './suppression';

/**
 * The report as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read it as
 * UTF-8): a heading block (school, period, view, the suppression note), then each table in turn.
 * A cell starting with = + - @ gets a leading apostrophe so no spreadsheet runs it as a formula.
 */
export function reportCsv(report: Report): Uint8Array {
  const lines: string[][] = [
    ['Safeguarding report'],
    ['School', report.schoolName],
    ['Period', `${report.period.from} to ${report.period.to}`],
    [
      'View',
      report.audience === 'governor' ? 'Governors (small numbers suppressed)' : 'Full counts',
    ],
    ['Generated', formatSchoolTime(report.generatedAt)],
    ...(report.suppressionNote ? [['Note', report.suppressionNote]] : []),
    [],
    ['Headline'],
    ...report.headline.map((h) => [h.label, shown(h.value)]),
    ...report.tables.flatMap(tableLines),
    [],
    [
      'Timeliness',
      'Target (minutes)',
      'Median (minutes)',
      '90th percentile (minutes)',
      'Measured',
      'Within target',
      'Over target',
      'Waiting',
    ],
    ...report.timeliness.map((t) => [
      t.label,
      String(t.targetMinutes),
      optional(t.medianMinutes),
      optional(t.p90Minutes),
      optional(t.measured),
      optional(t.withinTarget),
      optional(t.overTarget),
      optional(t.waiting),
    ]),
  ];
  const text = lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return new TextEncoder().encode(`\uFEFF${text}`);
}

function tableLines(table: ReportTable): string[][] {
  const twoWay = table.rows.some((r) => r.total !== undefined);
  return [
    [],
    [table.title],
    ['', ...table.columns, ...(twoWay ? ['Total'] : [])],
    ...table.rows.map((r) => [
      r.label,
      ...r.cells.map(shown),
      ...(r.total !== undefined ? [shown(r.total)] : []),
    ]),
    ...(table.totals ? [[table.totals.label, ...table.totals.cells.map(shown)]] : []),
  ];
}

const shown = (value: Shown) => String(value);
const optional = (value: number | null) => (value === null ? '' : String(value));

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
