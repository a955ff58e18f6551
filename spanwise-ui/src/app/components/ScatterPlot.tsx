import { useMemo } from 'react';
import type { TraceSummary } from '../api';
import { formatDuration, formatTimestamp } from '../format';

const W = 900;
const H = 180;
const PAD = { left: 64, right: 16, top: 12, bottom: 28 };

/** Duration over start time, one dot per trace (red when it has errors); a dot opens its trace. */
export function ScatterPlot({ traces, onOpen }: { traces: TraceSummary[]; onOpen: (traceId: string) => void }) {
  const geometry = useMemo(() => {
    const xs = traces.map((t) => t.startTimeUnixMicros);
    const ys = traces.map((t) => t.durationNanos);
    let x0 = Math.min(...xs);
    let x1 = Math.max(...xs);
    if (x0 === x1) { x0 -= 1e6; x1 += 1e6; }
    const y1 = Math.max(...ys, 1) * 1.1;
    const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
    const sy = (y: number) => H - PAD.bottom - (y / y1) * (H - PAD.top - PAD.bottom);
    const xTicks = [0, 0.5, 1].map((f) => x0 + f * (x1 - x0));
    const yTicks = [0, 0.5, 1].map((f) => f * y1);
    return { sx, sy, xTicks, yTicks };
  }, [traces]);
  if (traces.length === 0) return null;
  const { sx, sy, xTicks, yTicks } = geometry;
  const maxSpans = Math.max(...traces.map((t) => t.spanCount), 1);
  return (
    <svg className="scatter" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Trace durations over time">
      {yTicks.map((y) => (
        <g key={`y${y}`}>
          <line className="grid" x1={PAD.left} x2={W - PAD.right} y1={sy(y)} y2={sy(y)} />
          <text className="axis" x={PAD.left - 6} y={sy(y) + 4} textAnchor="end">{formatDuration(y)}</text>
        </g>
      ))}
      {xTicks.map((x, i) => (
        <text key={`x${i}`} className="axis" x={sx(x)} y={H - 8} textAnchor={i === 0 ? 'start' : i === 2 ? 'end' : 'middle'}>
          {formatTimestamp(x).slice(11, 19)}
        </text>
      ))}
      {traces.map((t) => (
        <circle
          key={t.traceId}
          className={t.errorCount > 0 ? 'dot error' : 'dot'}
          cx={sx(t.startTimeUnixMicros)}
          cy={sy(t.durationNanos)}
          r={3 + 5 * Math.sqrt(t.spanCount / maxSpans)}
          onClick={() => onOpen(t.traceId)}
          data-trace-id={t.traceId}
        >
          <title>{`${t.rootServiceName}: ${t.rootSpanName}\n${formatDuration(t.durationNanos)}, ${t.spanCount} spans${t.errorCount ? `, ${t.errorCount} errors` : ''}`}</title>
        </circle>
      ))}
    </svg>
  );
}
