import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, normalizeTraceId } from '../api';
import { serviceColor } from '../colors';
import { ErrorBox, Loading } from '../components/common';
import { diffTrees, flattenDiff, type DiffNode } from '../compare';
import { formatDuration } from '../format';
import { parseTrace } from '../otlp';
import { buildSpanTree } from '../spanTree';
import { useAsync } from '../useAsync';

/** /compare/<a>/<b>: the structure of two traces side by side, colour-coded. */
export function ComparePage() {
  const { a = '', b = '' } = useParams();
  const state = useAsync(async (s) => {
    const [ta, tb] = await Promise.all([api.trace(a, true, s), api.trace(b, true, s)]);
    return { ta, tb };
  }, [a, b]);
  return (
    <div className="compare-page">
      <CompareForm a={a} b={b} />
      {state.status === 'loading' && <Loading what="both traces" />}
      {state.status === 'error' && <ErrorBox error={state.error} title="Could not load a trace" />}
      {state.status === 'ok' && (
        <CompareView a={a} b={b} dataA={state.value.ta.trace} dataB={state.value.tb.trace} />
      )}
    </div>
  );
}

function CompareForm({ a, b }: { a: string; b: string }) {
  const navigate = useNavigate();
  const [ia, setA] = useState(a);
  const [ib, setB] = useState(b);
  const [bad, setBad] = useState(false);
  return (
    <form
      className="compare-form"
      onSubmit={(e) => {
        e.preventDefault();
        const na = normalizeTraceId(ia);
        const nb = normalizeTraceId(ib);
        setBad(!na || !nb);
        if (na && nb) navigate(`/compare/${na}/${nb}`);
      }}
    >
      <h1>Compare traces</h1>
      <label>A <input className="mono" value={ia} onChange={(e) => setA(e.target.value)} aria-label="Trace A" /></label>
      <label>B <input className="mono" value={ib} onChange={(e) => setB(e.target.value)} aria-label="Trace B" /></label>
      <button type="submit">Compare</button>
      {bad && <span className="form-error" role="alert">Both trace ids are 1 to 32 hex digits.</span>}
    </form>
  );
}

export function CompareView({ a, b, dataA, dataB }: {
  a: string; b: string; dataA: Parameters<typeof parseTrace>[0]; dataB: Parameters<typeof parseTrace>[0];
}) {
  const rows = useMemo(() => {
    const ta = buildSpanTree(parseTrace(dataA, a).spans);
    const tb = buildSpanTree(parseTrace(dataB, b).spans);
    return flattenDiff(diffTrees(ta, tb));
  }, [a, b, dataA, dataB]);
  const counts = {
    onlyA: rows.filter((r) => r.status === 'only-a').length,
    onlyB: rows.filter((r) => r.status === 'only-b').length,
    both: rows.filter((r) => r.status === 'both').length,
  };
  return (
    <section className="compare">
      <p className="legend-row">
        <span className="diff-swatch only-a" /> only in <Link to={`/trace/${a}`} className="mono">A {a.slice(0, 12)}</Link> ({counts.onlyA})
        <span className="diff-swatch only-b" /> only in <Link to={`/trace/${b}`} className="mono">B {b.slice(0, 12)}</Link> ({counts.onlyB})
        <span className="diff-swatch both" /> in both ({counts.both})
      </p>
      <table className="diff">
        <thead>
          <tr><th scope="col">Service and operation</th><th scope="col">Spans A</th><th scope="col">Spans B</th><th scope="col">Mean A</th><th scope="col">Mean B</th><th scope="col">Change</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => <DiffRow key={r.path} row={r} />)}
        </tbody>
      </table>
    </section>
  );
}

function DiffRow({ row: r }: { row: DiffNode }) {
  const change = r.status === 'both' ? r.meanB - r.meanA : 0;
  const rel = r.meanA > 0 ? change / r.meanA : 0;
  const changeClass = r.status !== 'both' || Math.abs(rel) < 0.1 ? '' : change > 0 ? 'slower' : 'faster';
  return (
    <tr className={`diff-row ${r.status}`} data-path={r.path} data-status={r.status}>
      <td style={{ paddingLeft: 8 + Math.min(r.depth, 30) * 14 }}>
        <span className="svc-bar" style={{ background: serviceColor(r.service) }} />
        <span className="svc-name">{r.service}</span> <span className="op-name">{r.name}</span>
        {(r.errorsA > 0 || r.errorsB > 0) && <span className="badge error">errors {r.errorsA} → {r.errorsB}</span>}
      </td>
      <td>{r.countA || '–'}</td>
      <td>{r.countB || '–'}</td>
      <td>{r.countA ? formatDuration(r.meanA) : '–'}</td>
      <td>{r.countB ? formatDuration(r.meanB) : '–'}</td>
      <td className={changeClass}>
        {r.status === 'both'
          ? `${change >= 0 ? '+' : ''}${formatDuration(change)}${r.meanA > 0 ? ` (${rel >= 0 ? '+' : ''}${Math.round(rel * 100)}%)` : ''}`
          : r.status === 'only-a' ? 'removed' : 'added'}
      </td>
    </tr>
  );
}
