import fc from 'fast-check';
import { countReport } from '../../../src/reports/report-counts';
import type { ReportFacts } from '../../../src/reports/report-facts';
import { periodInstants } from '../../../src/reports/report-period';
import { governorReport } from '../../../src/reports/report-views';
import { DEFAULT_REPORT_TARGETS, type Report } from '../../../src/reports/report.types';
import { protectColumn, type Shown } from '../../../src/reports/suppression';

/**
 * What a reader can reconstruct from a column shown with its total: every hidden cell's possible
 * values, given "<5" = 1–4 (0–4 when the total itself is "<5"), "*" = 5 or more, and the total.
 * Sums of integer intervals are intervals, so a value is possible for a cell exactly when the rest
 * of the total can be made of the other hidden cells' ranges.
 */
function possibleValues(cells: readonly Shown[], total: Shown): Map<number, [number, number]> {
  const tinyTotal = total === '<5';
  const range = (c: Shown): [number, number] =>
    c === '<5' ? [tinyTotal ? 0 : 1, 4] : c === '*' ? [5, Number.MAX_SAFE_INTEGER] : [c, c];
  const known = cells.reduce<number>((sum, c) => sum + (typeof c === 'number' ? c : 0), 0);
  const [lo, hi]: [number, number] =
    typeof total === 'number'
      ? [total - known, total - known]
      : total === '<5'
        ? [1 - known, 4 - known]
        : [-Infinity, Infinity];
  const out = new Map<number, [number, number]>();
  cells.forEach((c, i) => {
    if (typeof c === 'number') return;
    const others = cells.filter((o, j) => j !== i && typeof o !== 'number').map(range);
    const minOthers = others.reduce((s, r) => s + r[0], 0);
    const maxOthers = others.reduce((s, r) => s + r[1], 0);
    const [own0, own1] = range(c);
    out.set(i, [Math.max(own0, lo - maxOthers), Math.min(own1, hi - minOthers)]);
  });
  return out;
}

const smallOrNot = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 40 }));

describe('small-number suppression (property tests)', () => {
  it('when any column of counts is protected, then no cell and no total shows a number from 1 to 4', () => {
    fc.assert(
      fc.property(fc.array(smallOrNot, { minLength: 1, maxLength: 14 }), (cells) => {
        const total = cells.reduce((a, b) => a + b, 0);
        const shown = protectColumn(cells, total);
        for (const value of [...shown.cells, shown.total]) {
          if (typeof value === 'number') expect(value === 0 || value >= 5).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('when a reader subtracts the cells shown from the total, then no hidden cell is pinned to one value', () => {
    fc.assert(
      fc.property(fc.array(smallOrNot, { minLength: 1, maxLength: 14 }), (cells) => {
        const total = cells.reduce((a, b) => a + b, 0);
        const shown = protectColumn(cells, total);
        for (const [i, [lo, hi]] of possibleValues(shown.cells, shown.total)) {
          // The truth is always among the possibilities, and never alone.
          expect(lo).toBeLessThanOrEqual(cells[i]!);
          expect(hi).toBeGreaterThanOrEqual(cells[i]!);
          expect(hi).toBeGreaterThan(lo);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('when the cells are a lone 1 beside a 5 (the hardest case), then it is still not recoverable', () => {
    const shown = protectColumn([1, 5, 6], 12);
    expect(shown.cells).toEqual(['<5', 5, '*']);
    expect([...possibleValues(shown.cells, shown.total).values()][0]).toEqual([1, 2]);
  });

  it('when a whole governor report is made from random records, then no count of 1 to 4 appears and every shown total protects its table', () => {
    fc.assert(
      fc.property(arbitraryFacts(), (facts) => {
        const report = governorReport(countReport(facts), {
          schoolName: 'A school',
          period: facts.period,
          generatedAt: new Date('2027-09-01T00:00:00Z'),
          targets: DEFAULT_REPORT_TARGETS,
        });
        for (const value of shownValues(report)) {
          if (typeof value === 'number') expect(value === 0 || value >= 5).toBe(true);
        }
        for (const table of report.tables) {
          const cells = table.rows.map((r) => r.cells[0]!);
          const total = table.totals?.cells[0];
          if (total === undefined) continue;
          for (const [, [lo, hi]] of possibleValues(cells, total)) expect(hi).toBeGreaterThan(lo);
        }
        // Tables over the same concerns show the same total: one hidden means hidden in all.
        const concernTotals = report.tables
          .filter((t) =>
            ['concerns-by-month', 'concerns-by-year-group', 'cases', 'escalations'].includes(t.id),
          )
          .map((t) => t.totals?.cells[0]);
        expect(new Set(concernTotals).size).toBe(1);
        expect(report.headline[0]!.value).toEqual(concernTotals[0]);
      }),
      { numRuns: 300 },
    );
  });
});

function shownValues(report: Report): Shown[] {
  return [
    ...report.headline.map((h) => h.value),
    ...report.tables.flatMap((t) => [
      ...t.rows.flatMap((r) => [...r.cells, ...(r.total !== undefined ? [r.total] : [])]),
      ...(t.totals?.cells ?? []),
    ]),
    ...report.timeliness.flatMap((t) =>
      [t.measured, t.waiting, t.withinTarget, t.overTarget].filter((n): n is number => n !== null),
    ),
  ];
}

const PERIOD = { from: '2026-09-01', to: '2027-08-31' };
const { start, end } = periodInstants(PERIOD);

function arbitraryFacts(): fc.Arbitrary<ReportFacts> {
  const concern = fc.record({
    pupil: fc.integer({ min: 1, max: 25 }),
    categories: fc.uniqueArray(fc.constantFrom('c1', 'c2', 'c3', 'c4'), {
      minLength: 1,
      maxLength: 2,
    }),
    at: fc.integer({ min: start.getTime(), max: end.getTime() - 1 }),
    closed: fc.boolean(),
    wave: fc.constantFrom(0, 0, 0, 1, 2, 3),
    ackAfter: fc.option(fc.integer({ min: 1, max: 600 })),
    referral: fc.option(
      fc.record({
        agency: fc.constantFrom('CSC', 'Police'),
        decided: fc.option(
          fc.constantFrom('no-further-action' as const, 'monitor' as const, 'early-help' as const),
        ),
      }),
    ),
  });
  return fc.array(concern, { maxLength: 80 }).map((list) => {
    const ids = list.map((_, i) => `i${i}`);
    return {
      period: PERIOD,
      start,
      end,
      concerns: list.map((c, i) => ({
        incidentId: ids[i]!,
        pupilId: `p${c.pupil}`,
        categoryIds: c.categories,
        recordedAt: new Date(c.at),
      })),
      categories: ['c1', 'c2', 'c3', 'c4'].map((id) => ({
        categoryId: id,
        name: `Category ${id}`,
      })),
      yearGroupOf: new Map(
        Array.from({ length: 25 }, (_, p) => [`p${p + 1}`, `Year ${(p % 6) + 1}`]),
      ),
      statusHistories: new Map(),
      actions: list.flatMap((c, i) =>
        c.referral
          ? [
              {
                actionId: `r${i}`,
                incidentId: ids[i]!,
                pupilIds: [],
                sequence: 1,
                kind: 'referral' as const,
                happenedAt: new Date(c.at),
                referredAt: new Date(c.at),
                agencyName: c.referral.agency,
              },
              ...(c.referral.decided
                ? [
                    {
                      actionId: `d${i}`,
                      incidentId: ids[i]!,
                      pupilIds: [],
                      sequence: 2,
                      kind: 'decision' as const,
                      happenedAt: new Date(c.at + 3_600_000),
                      outcome: c.referral.decided,
                    },
                  ]
                : []),
            ]
          : [],
      ),
      caseStatus: new Map(list.flatMap((c, i) => (c.closed ? [[ids[i]!, 'closed' as const]] : []))),
      firstTeamAck: new Map(
        list.flatMap((c, i) =>
          c.ackAfter ? [[ids[i]!, new Date(c.at + c.ackAfter * 60_000)]] : [],
        ),
      ),
      highestEscalation: new Map(list.map((c, i) => [ids[i]!, c.wave])),
      targets: DEFAULT_REPORT_TARGETS,
    };
  });
}
