import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { indexAnalysis } from '../analysis';
import { api, normalizeTraceId, type OperationStatistics, type TraceAnalysis, type TraceResponse } from '../api';
import { serviceColor } from '../colors';
import { CopyButton, ErrorBox, Loading } from '../components/common';
import { FlameGraph } from '../components/FlameGraph';
import { SpanDetail } from '../components/SpanDetail';
import { TraceGraph } from '../components/TraceGraph';
import { Waterfall } from '../components/Waterfall';
import { formatDuration, formatTimestamp } from '../format';
import { parseTrace, type TracesData } from '../otlp';
import { buildSpanTree, type SpanNode, type SpanTree } from '../spanTree';
import type { AnalysisIndex } from '../analysis';
import { useAsync } from '../useAsync';

/** The views of one trace, as tabs; a new view of a trace joins TABS. */
const TABS = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'stats', label: 'Statistics' },
  { id: 'flame', label: 'Flame graph' },
  { id: 'graph', label: 'Trace graph' },
  { id: 'json', label: 'Raw JSON (OTLP)' },
] as const;
type TabId = (typeof TABS)[number]['id'];

interface Loaded {
  response: TraceResponse;
  /** The server's analysis, or the error that kept it (the trace is shown either way). */
  analysis: TraceAnalysis | Error;
}

export function TracePage() {
  const { traceId = '' } = useParams();
  const [params] = useSearchParams();
  const clockSkew = params.get('clockSkew') !== 'false';
  const state = useAsync<Loaded>(async (s) => {
    const [response, analysis] = await Promise.all([
      api.trace(traceId, clockSkew, s),
      api.analysis(traceId, clockSkew, s).catch((e: Error) => (e.name === 'AbortError' ? Promise.reject(e) : e)),
    ]);
    return { response, analysis };
  }, [traceId, clockSkew]);
  if (state.status === 'loading') return <Loading what={`trace ${traceId}`} />;
  if (state.status === 'error') {
    const notFound = (state.error as { status?: number }).status === 404;
    return (
      <div className="page-pad">
        {notFound ? (
          <div className="notice empty" role="alert">
            <h2>Trace not found</h2>
            <p>No trace with id <code>{traceId}</code> is stored. Check the id (32 hex digits), or
              it may have aged out of retention. <Link to="/search">Search for traces</Link>.</p>
          </div>
        ) : <ErrorBox error={state.error} title="Could not load the trace" />}
      </div>
    );
  }
  const { response, analysis } = state.value;
  return (
    <TraceView
      traceId={traceId}
      data={response.trace}
      response={response}
      analysis={analysis instanceof Error ? undefined : analysis}
      analysisError={analysis instanceof Error ? analysis : undefined}
    />
  );
}

export function TraceView({ traceId, data, response, analysis, analysisError }: {
  traceId: string;
  data: TracesData;
  response?: Omit<TraceResponse, 'trace' | 'summary'>;
  analysis?: TraceAnalysis;
  analysisError?: Error;
}) {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const trace = useMemo(() => parseTrace(data, traceId), [data, traceId]);
  const tree = useMemo(() => buildSpanTree(trace.spans), [trace]);
  const analysisIndex = useMemo(
    () => indexAnalysis(tree, analysis, response?.warnings, trace.startUnixNanos),
    [tree, analysis, response, trace]);
  const view = params.get('view');
  const tab: TabId = TABS.find((t) => t.id === view)?.id ?? 'timeline';
  const clockSkew = params.get('clockSkew') !== 'false';
  const skewWarnings = response?.warnings?.length ?? 0;
  const spanParam = params.get('span');
  const [selectedId, setSelectedId] = useState<string | null>(spanParam ?? tree.roots[0]?.uid ?? null);
  const [detailOpen, setDetailOpen] = useState(!!spanParam);
  /**
   * Span ids this page wrote to the URL itself and has not seen come back. The router applies URL
   * changes later than the selection they follow, so with two quick key presses the first id
   * arrives after the second is selected; it must not take the selection back.
   */
  const ownSpanWrites = useRef<string[]>([]);
  useEffect(() => {
    if (!spanParam) return;
    const own = ownSpanWrites.current.indexOf(spanParam);
    if (own >= 0) {
      ownSpanWrites.current.splice(0, own + 1); // this write and any older one are applied
      return;
    }
    setSelectedId(spanParam); // a link, or back and forward
    setDetailOpen(true);
  }, [spanParam]);

  const setParam = (key: string, value: string | null, more: Record<string, string | null> = {}) => {
    const span = key === 'span' ? value : more.span;
    if (span) ownSpanWrites.current.push(span);
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries({ ...more, [key]: value })) {
      if (v === null) next.delete(k); else next.set(k, v);
    }
    setParams(next, { replace: true });
  };
  const select = (id: string) => {
    setSelectedId(id);
    if (detailOpen) setParam('span', id);
  };
  /** Shows the span's detail (on the timeline when `toTimeline`). */
  const openDetail = (id: string, toTimeline = false) => {
    setSelectedId(id);
    setDetailOpen(true);
    setParam('span', id, toTimeline ? { view: null } : {});
  };
  const closeDetail = () => { setDetailOpen(false); setParam('span', null); };

  const root = tree.roots[0]?.span;
  const slowest = useMemo(() => slowestSpan(tree, analysisIndex), [tree, analysisIndex]);
  const errors = trace.spans.filter((s) => s.isError).length;
  const selected = selectedId ? tree.byId.get(selectedId) : undefined;
  const startMicros = Number(trace.startUnixNanos / 1000n);

  return (
    <div
      className="trace-page"
      onKeyDown={(e) => { if (e.key === 'Escape' && detailOpen) closeDetail(); }}
    >
      <header className="trace-head">
        <h1>
          {root && <span className="svc-dot" style={{ background: serviceColor(root.service) }} />}
          <span className="svc-name">{root?.service ?? 'empty trace'}</span>
          {root && <span className="sep">:</span>}
          <span className="op-name">{root?.name ?? ''}</span>
        </h1>
        <div className="trace-facts">
          <span><b>{formatDuration(trace.durationNanos)}</b></span>
          <span>{formatTimestamp(startMicros)}</span>
          <span>{trace.spans.length} span{trace.spans.length === 1 ? '' : 's'}</span>
          <span>{trace.services.length} service{trace.services.length === 1 ? '' : 's'}</span>
          {errors > 0 && <span className="badge error">{errors} error{errors === 1 ? '' : 's'}</span>}
          {slowest && (
            <button
              type="button"
              className="slowest"
              title={slowest.onCriticalPath ? 'The span holding most of the critical path' : 'The span with the most self time'}
              onClick={() => openDetail(slowest.node.uid, true)}
            >
              Slowest: <span className="svc-name">{slowest.node.span.service}</span>{' '}
              <span className="op-name">{slowest.node.span.name}</span>{' '}
              ({formatDuration(slowest.nanos)} {slowest.onCriticalPath ? 'on the critical path' : 'self time'})
            </button>
          )}
          {tree.roots.length > 1 && (
            <span className="badge warn" title="spans whose parent is missing are shown as extra roots">
              {tree.roots.length} roots
            </span>
          )}
          <span className="mono trace-id">{trace.traceId} <CopyButton text={trace.traceId} label="Copy id" /></span>
          <CopyButton text={window.location.href} label="Copy link" />
          <CompareWith traceId={trace.traceId} />
          <label className="inline skew-toggle" title="Shift spans from hosts with skewed clocks into their parents (server side)">
            <input type="checkbox" checked={clockSkew} onChange={(e) => setParam('clockSkew', e.target.checked ? null : 'false')} />
            clock-skew correction
          </label>
          {clockSkew && skewWarnings > 0 && (
            <span className="badge warn" title={(response?.warnings ?? []).map((w) => w.message).join('\n')}>
              {skewWarnings} span{skewWarnings === 1 ? '' : 's'} shifted for clock skew
            </span>
          )}
          {analysisError && (
            <span className="badge warn" title={analysisError.message}>no critical path: {analysisError.message}</span>
          )}
          {analysis && analysis.criticalPath.length > 0 && (
            <span className="legend"><span className="critical-swatch" /> critical path</span>
          )}
        </div>
        <nav className="tabs" role="tablist">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              className={tab === t.id ? 'active' : ''}
              onClick={() => setParam('view', t.id === 'timeline' ? null : t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
      </header>
      {trace.spans.length === 0 ? (
        <div className="notice empty"><p>This trace has no spans.</p></div>
      ) : tab === 'json' ? (
        <RawJson traceId={trace.traceId} data={data} />
      ) : tab === 'flame' ? (
        <FlameGraph tree={tree} durationNanos={trace.durationNanos} onOpen={(uid) => openDetail(uid, true)} />
      ) : tab === 'graph' ? (
        <TraceGraph tree={tree} />
      ) : tab === 'stats' ? (
        <Statistics rows={analysis?.statistics} error={analysisError} />
      ) : (
        <div className={detailOpen && selected ? 'trace-body with-detail' : 'trace-body'}>
          <Waterfall
            tree={tree}
            durationNanos={trace.durationNanos}
            services={trace.services}
            selectedId={selectedId}
            onSelect={select}
            onOpenDetail={openDetail}
            analysis={analysisIndex}
          />
          {detailOpen && selected && (
            <SpanDetail
              node={selected}
              info={analysisIndex.get(selected.uid)}
              onClose={closeDetail}
              onSelect={(id) => { openDetail(id); }}
            />
          )}
        </div>
      )}
      <p className="hint muted">
        Keys in the timeline: ↑/↓ move, ← collapse, → expand, Enter shows the span, Esc hides it.{' '}
        <button type="button" className="link" onClick={() => navigate(-1)}>Back</button>
      </p>
    </div>
  );
}

function RawJson({ traceId, data }: { traceId: string; data: TracesData }) {
  const text = useMemo(() => JSON.stringify(data, null, 2), [data]);
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `trace-${traceId}.json`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section className="raw-json">
      <div className="toolbar">
        <button type="button" onClick={download}>Download JSON</button>
        <CopyButton text={text} label="Copy JSON" />
        <span className="muted">{(text.length / 1024).toFixed(1)} KiB, OTLP TracesData</span>
      </div>
      <pre className="code">{text}</pre>
    </section>
  );
}

type StatKey = keyof OperationStatistics;
const STAT_COLUMNS: { key: StatKey; label: string; duration?: boolean }[] = [
  { key: 'serviceName', label: 'Service' },
  { key: 'operationName', label: 'Operation' },
  { key: 'count', label: 'Count' },
  { key: 'totalDurationNanos', label: 'Total', duration: true },
  { key: 'selfTimeNanos', label: 'Self time', duration: true },
  { key: 'criticalPathNanos', label: 'Critical path', duration: true },
  { key: 'minDurationNanos', label: 'Min', duration: true },
  { key: 'avgDurationNanos', label: 'Avg', duration: true },
  { key: 'maxDurationNanos', label: 'Max', duration: true },
];

/** Per service and operation: count, total, self and critical-path time, min/avg/max. */
function Statistics({ rows, error }: { rows?: OperationStatistics[]; error?: Error }) {
  const [sort, setSort] = useState<StatKey>('selfTimeNanos');
  const sorted = useMemo(() => {
    const copy = [...(rows ?? [])];
    copy.sort((a, b) => {
      const x = a[sort];
      const y = b[sort];
      return typeof x === 'number' && typeof y === 'number' ? y - x : String(x).localeCompare(String(y));
    });
    return copy;
  }, [rows, sort]);
  if (error) return <div className="page-pad"><ErrorBox error={error} title="The trace analysis is not available" /></div>;
  return (
    <section className="stats-view">
      <table className="stats">
        <thead>
          <tr>
            {STAT_COLUMNS.map((c) => (
              <th key={c.key} scope="col" aria-sort={sort === c.key ? 'descending' : undefined} onClick={() => setSort(c.key)}>
                {c.label}{sort === c.key ? ' ▾' : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={`${r.serviceName}\u0000${r.operationName}`}>
              {STAT_COLUMNS.map((c) => (
                <td key={c.key}>{c.duration ? formatDuration(r[c.key] as number) : String(r[c.key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The span to look at first: the one holding most of the critical path, or (without an analysis)
 * the one with the most self time.
 */
export function slowestSpan(tree: SpanTree, analysis: AnalysisIndex):
  { node: SpanNode; nanos: number; onCriticalPath: boolean } | undefined {
  let best: { node: SpanNode; nanos: number; onCriticalPath: boolean } | undefined;
  for (const node of tree.byId.values()) {
    const cp = analysis.get(node.uid)?.criticalPathNanos ?? 0;
    if (cp > 0 && (!best || !best.onCriticalPath || cp > best.nanos)) {
      best = { node, nanos: cp, onCriticalPath: true };
    } else if (!best?.onCriticalPath && (!best || node.selfNanos > best.nanos)) {
      best = { node, nanos: node.selfNanos, onCriticalPath: false };
    }
  }
  return best;
}

/** A trace id box that opens /compare/<this>/<other>. */
function CompareWith({ traceId }: { traceId: string }) {
  const navigate = useNavigate();
  const [other, setOther] = useState('');
  return (
    <form
      className="compare-with"
      onSubmit={(e) => {
        e.preventDefault();
        const id = normalizeTraceId(other);
        if (id) navigate(`/compare/${traceId}/${id}`);
      }}
    >
      <input value={other} onChange={(e) => setOther(e.target.value)} placeholder="Compare with trace id" aria-label="Compare with trace id" className="mono" />
      <button type="submit" disabled={!normalizeTraceId(other)}>Compare</button>
    </form>
  );
}
