/**
 * Small-number suppression for governor views. A count of 1–4 is shown as "<5" (primary
 * suppression). Totals are kept exact, so "total minus the cells shown" must not give a hidden
 * cell back: we use SECONDARY SUPPRESSION (not rounding). Rounding the totals was rejected because
 * with deterministic rounding a reader who knows the rule can still pin a cell at the edge of the
 * rounding intervals (e.g. cells 1, 8, 8: total 17 rounds to 15 and each 8 to 10, so the hidden
 * cell is at most 17 - 16 = 1).
 *
 * Governor tables are one-dimensional (each a margin of the same concerns, so two tables share
 * only their grand total, never a line): from a table with a total the only thing a reader can
 * derive is S, the sum of its hidden cells. A hidden cell stays unknown when:
 * - there is no hidden cell, or
 * - with only "<5" cells hidden (k of them): k >= 2 and k < S < 4k (not all ones, not all fours);
 * - with one or more "*" cells (>= 5) hidden as well: not every "<5" is 1 while every "*" is 5.
 * So when one "<5" cell is alone, or they are all ones or all fours, the smallest cell of 6 or
 * more (or of 5, when the "<5" cells are not all ones) is hidden as "*". When no cell qualifies
 * the total itself is hidden, and then nothing ties the cells together. A total of 1–4 is shown
 * as "<5" and so is every cell of its table (each could then only be 0–4).
 * test/unit/reports/suppression.property.test.ts checks every case by enumerating what a reader
 * could reconstruct.
 */

/** A count as shown: exact, "<5" (1–4), or "*" (hidden so that a total cannot reveal a "<5"). */
export type Shown = number | '<5' | '*';

const FEWER_THAN_FIVE = '<5' as const;
export const HIDDEN_FOR_TOTALS = '*' as const;

/** The suppression note every governor view and export carries. */
export const SUPPRESSION_NOTE =
  '"<5" means a number from 1 to 4, hidden so that no child can be identified. ' +
  '"*" is a number of 5 or more hidden so that a total cannot reveal a "<5".';

const isSmall = (n: number) => n >= 1 && n <= 4;

/** A column of counts and their total, protected for a governor's eyes. */
export interface ProtectedColumn {
  readonly cells: readonly Shown[];
  readonly total: Shown;
}

/**
 * Protects one column of counts whose total is published (or could be inferred: pass the sum of
 * cells for a table whose rows overlap and whose total is not shown; it is protected as if known).
 */
export function protectColumn(cells: readonly number[], total: number): ProtectedColumn {
  if (isSmall(total)) {
    return { cells: cells.map(() => FEWER_THAN_FIVE), total: FEWER_THAN_FIVE };
  }
  const shown: Shown[] = cells.map((n) => (isSmall(n) ? FEWER_THAN_FIVE : n));
  const small = cells.filter(isSmall);
  if (small.length === 0) return { cells: shown, total };
  const allOnes = small.every((n) => n === 1);
  const allFours = small.every((n) => n === 4);
  if (small.length >= 2 && !allOnes && !allFours) return { cells: shown, total };
  const secondary = secondaryCell(cells, allOnes ? 6 : 5);
  if (secondary === undefined) return { cells: shown, total: HIDDEN_FOR_TOTALS };
  shown[secondary] = HIDDEN_FOR_TOTALS;
  return { cells: shown, total };
}

/** The smallest cell of at least `least` (its index), or none. */
function secondaryCell(cells: readonly number[], least: number): number | undefined {
  let best: number | undefined;
  cells.forEach((n, i) => {
    if (n >= least && (best === undefined || n < (cells[best] ?? Infinity))) best = i;
  });
  return best;
}

/** A single count with nothing published beside it that could give it away. */
export function protectCount(n: number): Shown {
  return isSmall(n) ? FEWER_THAN_FIVE : n;
}
