import dagre from '@dagrejs/dagre';
import { useMemo } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, type Dependency } from '../api';
import { serviceColor } from '../colors';
import { ErrorBox, Loading, NoDataYet } from '../components/common';
import { parseGoDuration } from '../format';
import { LOOKBACK_PRESETS, searchToUrl, DEFAULT_SEARCH } from '../searchState';
import { useAsync } from '../useAsync';

const NODE_H = 36;

export function MapPage() {
  const [params, setParams] = useSearchParams();
  const lookback = params.get('lookback') || '24h';
  const lookbackNanos = parseGoDuration(lookback) ?? 86400e9;
  const deps = useAsync((s) => {
    const end = Date.now() * 1000;
    return api.dependencies(end - lookbackNanos / 1000, end, s);
  }, [lookbackNanos]);
  return (
    <div className="map-page">
      <div className="toolbar">
        <h1>Service map</h1>
        <label>
          Time range{' '}
          <select value={lookback} onChange={(e) => setParams({ lookback: e.target.value }, { replace: true })}>
            {LOOKBACK_PRESETS.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
          </select>
        </label>
        <span className="muted">Edges: calls (errors) from caller to callee. Click a service to search its traces.</span>
      </div>
      {deps.status === 'loading' && <Loading what="dependencies" />}
      {deps.status === 'error' && <ErrorBox error={deps.error} title="Could not load the dependencies" />}
      {deps.status === 'ok' && deps.value.length === 0 && (
        <NoDataYet>
          <p className="muted">
            The map is built from calls between services (a client span whose child server span is
            in another service). Traces with a single service draw no edges.
          </p>
        </NoDataYet>
      )}
      {deps.status === 'ok' && deps.value.length > 0 && <ServiceGraph deps={deps.value} lookback={lookback} />}
    </div>
  );
}

export function ServiceGraph({ deps, lookback }: { deps: Dependency[]; lookback: string }) {
  const navigate = useNavigate();
  const layout = useMemo(() => layoutGraph(deps), [deps]);
  const open = (service: string) => {
    const preset = LOOKBACK_PRESETS.some((p) => p.value === lookback) ? lookback : DEFAULT_SEARCH.lookback;
    navigate(`/search?${searchToUrl({ ...DEFAULT_SEARCH, service, lookback: preset })}`);
  };
  return (
    <svg className="service-map" viewBox={`0 0 ${layout.width} ${layout.height}`} width={layout.width} height={layout.height} role="img" aria-label="Service dependency graph">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" className="arrow" />
        </marker>
      </defs>
      {layout.edges.map((e) => (
        <g key={`${e.dep.parent}\u0000${e.dep.child}`} className={e.dep.errorCount > 0 ? 'edge error' : 'edge'} data-edge={`${e.dep.parent}->${e.dep.child}`}>
          <path d={e.path} markerEnd="url(#arrow)" />
          <text x={e.labelX} y={e.labelY} textAnchor="middle">
            {e.dep.callCount.toLocaleString()}{e.dep.errorCount > 0 ? ` (${e.dep.errorCount.toLocaleString()} err)` : ''}
          </text>
          <title>{`${e.dep.parent} → ${e.dep.child}: ${e.dep.callCount} calls, ${e.dep.errorCount} errors`}</title>
        </g>
      ))}
      {layout.nodes.map((n) => (
        <g
          key={n.name}
          className="node"
          transform={`translate(${n.x - n.width / 2},${n.y - NODE_H / 2})`}
          onClick={() => open(n.name)}
          onKeyDown={(e) => { if (e.key === 'Enter') open(n.name); }}
          tabIndex={0}
          role="link"
          aria-label={`Search traces of ${n.name}`}
          data-service={n.name}
        >
          <rect width={n.width} height={NODE_H} rx={8} style={{ stroke: serviceColor(n.name) }} />
          <circle cx={14} cy={NODE_H / 2} r={5} style={{ fill: serviceColor(n.name) }} />
          <text x={26} y={NODE_H / 2 + 4}>{n.name}</text>
        </g>
      ))}
    </svg>
  );
}

interface Layout {
  width: number;
  height: number;
  nodes: { name: string; x: number; y: number; width: number }[];
  edges: { dep: Dependency; path: string; labelX: number; labelY: number }[];
}

/** Left-to-right layered layout of the service graph with dagre. */
export function layoutGraph(deps: Dependency[]): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 110, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const names = new Set<string>();
  for (const d of deps) { names.add(d.parent); names.add(d.child); }
  for (const name of names) {
    g.setNode(name, { width: Math.min(320, 40 + name.length * 7.5), height: NODE_H });
  }
  for (const d of deps) {
    if (d.parent !== d.child) g.setEdge(d.parent, d.child, { width: 90, height: 16, labelpos: 'c' });
  }
  dagre.layout(g);
  const nodes = [...names].map((name) => {
    const n = g.node(name);
    return { name, x: n.x, y: n.y, width: n.width };
  });
  const edges = deps.map((dep) => {
    if (dep.parent === dep.child) {
      const n = g.node(dep.parent);
      const x = n.x + n.width / 2;
      const y = n.y;
      return {
        dep,
        path: `M ${x} ${y - 8} C ${x + 40} ${y - 40}, ${x + 40} ${y + 40}, ${x} ${y + 8}`,
        labelX: x + 40,
        labelY: y + 4,
      };
    }
    const e = g.edge(dep.parent, dep.child);
    const pts = e.points ?? [];
    const path = pts.map((p: { x: number; y: number }, i: number) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
    return { dep, path, labelX: e.x ?? pts[0]?.x ?? 0, labelY: (e.y ?? pts[0]?.y ?? 0) - 4 };
  });
  const graph = g.graph();
  return { width: Math.max(200, (graph.width ?? 0) + 60), height: Math.max(120, (graph.height ?? 0) + 20), nodes, edges };
}
