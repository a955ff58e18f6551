import dagre from '@dagrejs/dagre';
import { useMemo } from 'react';
import { serviceColor } from '../colors';
import { formatDuration } from '../format';
import type { SpanTree } from '../spanTree';

interface OpNode {
  id: string;
  service: string;
  name: string;
  count: number;
  errors: number;
  totalNanos: number;
}

interface OpEdge {
  from: string;
  to: string;
  count: number;
}

const NODE_H = 44;

/** The spans of one trace grouped by (service, operation), with parent -> child call counts. */
export function traceGraph(tree: SpanTree): { nodes: OpNode[]; edges: OpEdge[] } {
  const nodes = new Map<string, OpNode>();
  const edges = new Map<string, OpEdge>();
  const idOf = (service: string, name: string) => `${service}\u0000${name}`;
  for (const n of tree.byId.values()) {
    const id = idOf(n.span.service, n.span.name);
    let node = nodes.get(id);
    if (!node) {
      node = { id, service: n.span.service, name: n.span.name, count: 0, errors: 0, totalNanos: 0 };
      nodes.set(id, node);
    }
    node.count++;
    node.totalNanos += n.span.durationNanos;
    if (n.span.isError) node.errors++;
    if (n.parent) {
      const from = idOf(n.parent.span.service, n.parent.span.name);
      const key = `${from}\u0001${id}`;
      const e = edges.get(key) ?? { from, to: id, count: 0 };
      e.count++;
      edges.set(key, e);
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** The trace as a graph of operations, laid out top to bottom with dagre. */
export function TraceGraph({ tree }: { tree: SpanTree }) {
  const layout = useMemo(() => {
    const { nodes, edges } = traceGraph(tree);
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 50, marginx: 16, marginy: 16 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of nodes) {
      const chars = Math.max(n.service.length, Math.min(n.name.length, 48));
      g.setNode(n.id, { width: Math.min(380, 40 + chars * 7.2), height: NODE_H });
    }
    for (const e of edges) if (e.from !== e.to) g.setEdge(e.from, e.to);
    dagre.layout(g);
    const graph = g.graph();
    return {
      width: Math.max(200, (graph.width ?? 0) + 32),
      height: Math.max(100, (graph.height ?? 0) + 32),
      nodes: nodes.map((n) => ({ ...n, ...(g.node(n.id) as { x: number; y: number; width: number }) })),
      edges: edges.filter((e) => e.from !== e.to).map((e) => ({
        ...e,
        path: (g.edge(e.from, e.to).points ?? [])
          .map((p: { x: number; y: number }, i: number) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' '),
      })),
    };
  }, [tree]);
  return (
    <section className="trace-graph">
      <p className="muted">Spans grouped by service and operation; edges are parent → child calls (× count).</p>
      <svg viewBox={`0 0 ${layout.width} ${layout.height}`} width={layout.width} height={layout.height} role="img" aria-label="Trace graph">
        <defs>
          <marker id="tg-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrow" />
          </marker>
        </defs>
        {layout.edges.map((e) => (
          <g key={`${e.from}\u0001${e.to}`} className="edge">
            <path d={e.path} markerEnd="url(#tg-arrow)" />
            {e.count > 1 && <title>{`× ${e.count}`}</title>}
          </g>
        ))}
        {layout.nodes.map((n) => (
          <g key={n.id} className={n.errors > 0 ? 'node error' : 'node'} transform={`translate(${n.x - n.width / 2},${n.y - NODE_H / 2})`} data-op={`${n.service}:${n.name}`}>
            <rect width={n.width} height={NODE_H} rx={6} style={{ stroke: serviceColor(n.service) }} />
            <text x={10} y={17} className="svc">{n.service}{n.count > 1 ? ` × ${n.count}` : ''}</text>
            <text x={10} y={34}>{n.name.length > 48 ? n.name.slice(0, 47) + '…' : n.name}</text>
            <title>{`${n.service}: ${n.name}\n${n.count} span(s), total ${formatDuration(n.totalNanos)}${n.errors ? `, ${n.errors} error(s)` : ''}`}</title>
          </g>
        ))}
      </svg>
    </section>
  );
}
