import type { ReportTable } from '../api-types';
import { ReportBars } from './ReportBars';

const cellStyle = { padding: '2px 8px', textAlign: 'right' as const };

/** One table of a report, with its bars beside it when it has them. */
export function ReportTableView({ table }: { table: ReportTable }) {
  const id = `report-${table.id}`;
  const twoWay = table.rows.some((r) => r.total !== undefined);
  return (
    <section aria-labelledby={id} style={{ marginBottom: 20 }}>
      <h3 id={id} style={{ fontSize: 15, margin: '0 0 6px' }}>
        {table.title}
      </h3>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 24, alignItems: 'flex-start' }}>
        <div style={{ overflowX: 'auto', maxWidth: '100%' }}>
          <table style={{ borderCollapse: 'collapse', fontSize: 13 }}>
            <caption style={{ textAlign: 'left', position: 'absolute', left: -10000 }}>
              {table.title}
            </caption>
            <thead>
              <tr>
                <th scope="col" style={{ textAlign: 'left', padding: '2px 8px' }}>
                  <span style={{ position: 'absolute', left: -10000 }}>Row</span>
                </th>
                {table.columns.map((c) => (
                  <th key={c} scope="col" style={cellStyle}>
                    {c}
                  </th>
                ))}
                {twoWay && (
                  <th scope="col" style={cellStyle}>
                    Total
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.label}>
                  <th
                    scope="row"
                    style={{ textAlign: 'left', padding: '2px 8px', fontWeight: 'normal' }}
                  >
                    {row.label}
                  </th>
                  {row.cells.map((cell, i) => (
                    <td key={table.columns[i] ?? i} style={cellStyle}>
                      {cell}
                    </td>
                  ))}
                  {twoWay && <td style={cellStyle}>{row.total}</td>}
                </tr>
              ))}
              {table.totals && (
                <tr>
                  <th scope="row" style={{ textAlign: 'left', padding: '2px 8px' }}>
                    {table.totals.label}
                  </th>
                  {table.totals.cells.map((cell, i) => (
                    <td key={i} style={{ ...cellStyle, fontWeight: 600 }}>
                      {cell}
                    </td>
                  ))}
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {table.chart && <ReportBars table={table} />}
      </div>
    </section>
  );
}
