import { useMemo, useRef, useState } from 'react';
import { serviceColor } from '../colors';
import type { SpanNode } from '../spanTree';

const HEIGHT = 44;
const MAX_LINES = 1500;

/** A time window of the trace as fractions of its duration, 0 <= from < to <= 1. */
export interface TimeWindow {
  from: number;
  to: number;
}

export const FULL_WINDOW: TimeWindow = { from: 0, to: 1 };

/**
 * An overview of the whole trace (one thin line per span, sampled past 1,500 spans); dragging
 * across it zooms the waterfall into that time range.
 */
export function Minimap({ rows, durationNanos, window: win, onWindow }: {
  rows: SpanNode[]; durationNanos: number; window: TimeWindow; onWindow: (w: TimeWindow) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const lines = useMemo(() => {
    const step = Math.max(1, Math.ceil(rows.length / MAX_LINES));
    const out: { x: number; w: number; y: number; color: string; key: string }[] = [];
    const n = Math.ceil(rows.length / step);
    const scale = durationNanos > 0 ? durationNanos : 1;
    for (let i = 0, k = 0; i < rows.length; i += step, k++) {
      const s = rows[i].span;
      out.push({
        x: s.startNanos / scale,
        w: Math.max(s.durationNanos / scale, 0.002),
        y: n <= 1 ? 0.5 : k / (n - 1),
        color: serviceColor(s.service),
        key: rows[i].uid,
      });
    }
    return out;
  }, [rows, durationNanos]);

  const fraction = (clientX: number) => {
    const r = ref.current!.getBoundingClientRect();
    return Math.min(1, Math.max(0, (clientX - r.left) / (r.width || 1)));
  };
  const shown = drag ? { from: Math.min(drag.start, drag.end), to: Math.max(drag.start, drag.end) } : win;
  const zoomed = win.from > 0 || win.to < 1;

  return (
    <div className="minimap-wrap">
      <div
        ref={ref}
        className="minimap"
        role="slider"
        aria-label="Trace overview: drag to zoom into a time range"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(win.from * 100)}
        aria-valuetext={`${Math.round(win.from * 100)}% to ${Math.round(win.to * 100)}% of the trace`}
        onPointerDown={(e) => {
          (e.target as Element).setPointerCapture?.(e.pointerId);
          const f = fraction(e.clientX);
          setDrag({ start: f, end: f });
        }}
        onPointerMove={(e) => { if (drag) setDrag({ ...drag, end: fraction(e.clientX) }); }}
        onPointerUp={() => {
          if (!drag) return;
          const from = Math.min(drag.start, drag.end);
          const to = Math.max(drag.start, drag.end);
          setDrag(null);
          if (to - from > 0.005) onWindow({ from, to });
        }}
      >
        <svg viewBox={`0 0 1000 ${HEIGHT}`} preserveAspectRatio="none" width="100%" height={HEIGHT}>
          {lines.map((l) => (
            <rect key={l.key} x={l.x * 1000} width={l.w * 1000} y={2 + l.y * (HEIGHT - 6)} height={2} fill={l.color} />
          ))}
        </svg>
        {(zoomed || drag) && (
          <>
            <div className="mm-shade" style={{ left: 0, width: `${shown.from * 100}%` }} />
            <div className="mm-shade" style={{ left: `${shown.to * 100}%`, right: 0 }} />
            <div className="mm-window" style={{ left: `${shown.from * 100}%`, width: `${(shown.to - shown.from) * 100}%` }} />
          </>
        )}
      </div>
      <button type="button" disabled={!zoomed} onClick={() => onWindow(FULL_WINDOW)} title="Show the whole trace">
        Reset zoom
      </button>
    </div>
  );
}
