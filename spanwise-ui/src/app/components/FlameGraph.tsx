import { useMemo, useState } from 'react';
import { serviceColor } from '../colors';
import { formatDuration } from '../format';
import type { SpanNode, SpanTree } from '../spanTree';

const ROW = 20;
const WIDTH = 1200;

/**
 * The trace as an icicle (a flame graph on the time axis): one box per span, children under
 * their parent at their own start. Clicking a box zooms into it; the detail button opens the span.
 */
export function FlameGraph({ tree, durationNanos, onOpen }: {
  tree: SpanTree; durationNanos: number; onOpen: (uid: string) => void;
}) {
  const [focus, setFocus] = useState<SpanNode | null>(null);
  const from = focus ? focus.span.startNanos : 0;
  const span = focus ? Math.max(focus.span.durationNanos, 1) : Math.max(durationNanos, 1);
  const boxes = useMemo(() => {
    // Depth first in start order; each span goes to the first row below its parent whose boxes
    // all end before it starts, so parallel siblings stack instead of hiding each other.
    const out: { node: SpanNode; x: number; w: number; y: number }[] = [];
    const rowEnds: number[] = [];
    const starts = focus ? [focus] : tree.roots;
    const stack: [SpanNode, number][] = [...starts].reverse().map((n) => [n, -1]);
    while (stack.length) {
      const [n, parentRow] = stack.pop()!;
      const x = ((n.span.startNanos - from) / span) * WIDTH;
      const w = (n.span.durationNanos / span) * WIDTH;
      if (x + w < 0 || x > WIDTH) continue;
      let row = parentRow + 1;
      while ((rowEnds[row] ?? -Infinity) > n.span.startNanos) row++;
      rowEnds[row] = Math.max(rowEnds[row] ?? -Infinity, n.span.startNanos + n.span.durationNanos);
      if (w >= 0.5) out.push({ node: n, x, w: Math.max(w, 1), y: row * ROW });
      for (let i = n.children.length - 1; i >= 0; i--) stack.push([n.children[i], row]);
    }
    return out;
  }, [tree, focus, from, span]);
  const height = Math.max(ROW, ...boxes.map((b) => b.y + ROW)) + 2;
  return (
    <section className="flame">
      <div className="toolbar">
        <span className="muted">Click a box to zoom into it; double-click to open the span.</span>
        {focus && (
          <>
            <button type="button" onClick={() => setFocus(focus.parent)}>Zoom out</button>
            <button type="button" onClick={() => setFocus(null)}>Whole trace</button>
            <span className="muted">{focus.span.service}: {focus.span.name}</span>
          </>
        )}
      </div>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" preserveAspectRatio="none" height={height} role="img" aria-label="Flame graph">
        {boxes.map((b) => (
          <g
            key={b.node.uid}
            className={b.node.span.isError ? 'frame error' : 'frame'}
            transform={`translate(${Math.max(b.x, 0)},${b.y})`}
            data-span-id={b.node.uid}
            onClick={() => setFocus(b.node === focus ? b.node.parent : b.node)}
            onDoubleClick={() => onOpen(b.node.uid)}
          >
            <rect width={Math.min(b.w, WIDTH - Math.max(b.x, 0))} height={ROW - 2} rx={2} style={{ fill: serviceColor(b.node.span.service) }} />
            {b.w > 60 && (
              <text x={4} y={14}>
                {clip(`${b.node.span.name} (${formatDuration(b.node.span.durationNanos)})`, Math.floor((b.w - 8) / 6.5))}
              </text>
            )}
            <title>{`${b.node.span.service}: ${b.node.span.name}\n${formatDuration(b.node.span.durationNanos)}, self ${formatDuration(b.node.selfNanos)}`}</title>
          </g>
        ))}
      </svg>
    </section>
  );
}

function clip(text: string, chars: number): string {
  return text.length <= chars ? text : text.slice(0, Math.max(0, chars - 1)) + '…';
}
