import { tokens } from '@fluentui/react-components';
import type { ReportTable, ShownCount } from '../api-types';

/**
 * A one-column table of counts as horizontal bars (CSS only, no chart library). The table beside
 * it carries the same numbers for screen readers, so the bars are hidden from them. A hidden count
 * ("<5" or "*") has no bar, only its sign: drawing one would show its size.
 */
export function ReportBars({ table }: { table: ReportTable }) {
  const numbers = table.rows
    .map((r) => r.cells[0])
    .filter((c): c is number => typeof c === 'number');
  const max = Math.max(1, ...numbers);
  return (
    <div aria-hidden="true" style={{ display: 'grid', gap: 2, minWidth: 240, maxWidth: 420 }}>
      {table.rows.map((row) => (
        <div
          key={row.label}
          style={{ display: 'flex', alignItems: 'center', gap: 6, fontSize: 12 }}
        >
          <span
            style={{
              width: 120,
              overflow: 'hidden',
              textOverflow: 'ellipsis',
              whiteSpace: 'nowrap',
            }}
          >
            {row.label}
          </span>
          <Bar value={row.cells[0] ?? 0} max={max} />
        </div>
      ))}
    </div>
  );
}

function Bar({ value, max }: { value: ShownCount; max: number }) {
  if (typeof value !== 'number') return <span>{value}</span>;
  return (
    <>
      <span
        style={{
          display: 'inline-block',
          height: 12,
          width: `${(value / max) * 200}px`,
          background: tokens.colorBrandBackground,
        }}
      />
      <span>{value}</span>
    </>
  );
}
