import { tokens } from '@fluentui/react-components';
import type { ChartData } from '../api-types';

// Distinguishable in light, dark and high contrast, and for common colour blindness.
const PALETTE = ['#0f6cbd', '#c50f1f', '#107c10', '#8764b8', '#ca5010', '#038387', '#986f0b'];
const BAR = 28;
const GAP = 10;
const HEIGHT = 120;
const LEFT = 28;
const BOTTOM = 22;

/** Entries by category per month, stacked bars drawn as inline SVG (no chart library). */
export function CategoryChart({ data }: { data: ChartData }) {
  const totals = data.months.map((_, m) =>
    data.series.reduce((sum, s) => sum + (s.counts[m] ?? 0), 0),
  );
  const max = Math.max(1, ...totals);
  const width = LEFT + data.months.length * (BAR + GAP);
  const scale = (n: number) => (n / max) * HEIGHT;
  const summary = data.series
    .map((s) => `${s.categoryName}: ${s.counts.reduce((a, b) => a + b, 0)}`)
    .join('; ');
  const ink = tokens.colorNeutralForeground1;

  return (
    <figure style={{ margin: 0 }}>
      <svg
        role="img"
        aria-label={`Entries by category per month, last 12 months. ${summary || 'None.'}`}
        width={width}
        height={HEIGHT + BOTTOM + 4}
        viewBox={`0 0 ${width} ${HEIGHT + BOTTOM + 4}`}
      >
        <text x={0} y={10} fontSize={10} fill={ink}>
          {max}
        </text>
        <line x1={LEFT - 4} x2={width} y1={HEIGHT + 2} y2={HEIGHT + 2} stroke={ink} />
        {data.months.map((month, m) => {
          let y = HEIGHT + 2;
          const x = LEFT + m * (BAR + GAP);
          return (
            <g key={month}>
              {data.series.map((s, i) => {
                const h = scale(s.counts[m] ?? 0);
                y -= h;
                return h > 0 ? (
                  <rect
                    key={s.categoryName}
                    x={x}
                    y={y}
                    width={BAR}
                    height={h}
                    fill={PALETTE[i % PALETTE.length]}
                  >
                    <title>{`${s.categoryName}, ${month}: ${s.counts[m]}`}</title>
                  </rect>
                ) : null;
              })}
              <text
                x={x + BAR / 2}
                y={HEIGHT + BOTTOM}
                fontSize={10}
                textAnchor="middle"
                fill={ink}
              >
                {monthLabel(month)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul
          aria-label="Chart legend"
          style={{ display: 'flex', flexWrap: 'wrap', gap: 12, listStyle: 'none', padding: 0 }}
        >
          {data.series.map((s, i) => (
            <li key={s.categoryName}>
              <span
                aria-hidden="true"
                style={{
                  display: 'inline-block',
                  width: 10,
                  height: 10,
                  marginRight: 4,
                  background: PALETTE[i % PALETTE.length],
                }}
              />
              {s.categoryName}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthLabel = (yyyyMm: string) => MONTHS[Number(yyyyMm.slice(5, 7)) - 1] ?? yyyyMm;
