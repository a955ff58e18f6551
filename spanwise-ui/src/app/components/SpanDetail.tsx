import { Link } from 'react-router-dom';
import { serviceColor } from '../colors';
import type { SpanAnalysis } from '../analysis';
import { formatDuration } from '../format';
import type { Attribute } from '../otlp';
import type { SpanNode } from '../spanTree';
import { CopyButton, LongValue } from './common';

function AttributeTable({ rows, empty }: { rows: Attribute[]; empty: string }) {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="kv">
      <tbody>
        {rows.map((a, i) => (
          <tr key={`${a.key}\u0000${i}`}>
            <th scope="row" className="key">{a.key}</th>
            <td><LongValue value={a.value} /></td>
            <td className="actions"><CopyButton text={a.value} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Everything about one span, as text: ids, timing, status, attributes, resource, events, links. */
export function SpanDetail({ node, info, onClose, onSelect }: {
  node: SpanNode; info?: SpanAnalysis; onClose?: () => void; onSelect?: (spanId: string) => void;
}) {
  const s = node.span;
  return (
    <aside className="span-detail" aria-label="Span detail">
      <header>
        <div className="title">
          <span className="svc-dot" style={{ background: serviceColor(s.service) }} />
          <span className="svc-name">{s.service}</span>
          <h2 className="span-name">{s.name}</h2>
        </div>
        {onClose && <button type="button" className="icon" title="Close (Esc)" onClick={onClose}>×</button>}
      </header>
      <dl className="facts">
        <dt>Duration</dt><dd>{formatDuration(s.durationNanos)}</dd>
        <dt>Self time</dt><dd>{formatDuration(info?.selfTimeNanos ?? node.selfNanos)}</dd>
        {info && (<><dt>Critical path</dt><dd>{formatDuration(info.criticalPathNanos)}{info.asynchronous && <span className="badge warn">asynchronous: does not block its parent</span>}</dd></>)}
        {info && info.warnings.length > 0 && (
          <><dt>Clock skew</dt><dd className="skew-warnings">{info.warnings.map((w, i) => <div key={i}>{w}</div>)}</dd></>
        )}
        <dt>Start</dt><dd>+{formatDuration(s.startNanos)} after the trace start</dd>
        <dt>Kind</dt><dd>{s.kind}</dd>
        <dt>Status</dt>
        <dd className={s.isError ? 'status error' : 'status'}>
          {s.statusCode}{s.statusMessage && <>: <LongValue value={s.statusMessage} /></>}
        </dd>
        <dt>Span id</dt><dd className="mono">{s.spanId} <CopyButton text={s.spanId} /></dd>
        <dt>Parent id</dt>
        <dd className="mono">
          {s.parentSpanId ? (
            <>
              {node.parent && onSelect
                ? <button type="button" className="link mono" onClick={() => onSelect(node.parent!.uid)}>{s.parentSpanId}</button>
                : s.parentSpanId}
              {node.orphan && <span className="badge warn">not in this trace</span>}
              <CopyButton text={s.parentSpanId} />
            </>
          ) : <span className="muted">none (root)</span>}
        </dd>
        <dt>Trace id</dt><dd className="mono">{s.traceId} <CopyButton text={s.traceId} /></dd>
        {s.scope && (<><dt>Scope</dt><dd>{s.scope}</dd></>)}
      </dl>

      <section>
        <h3>Attributes <span className="count">{s.attributes.length}</span></h3>
        <AttributeTable rows={s.attributes} empty="No attributes." />
      </section>
      <section>
        <h3>Resource <span className="count">{s.resource.length}</span></h3>
        <AttributeTable rows={s.resource} empty="No resource attributes." />
      </section>
      <section>
        <h3>Events <span className="count">{s.events.length}</span></h3>
        {s.events.length === 0 ? <p className="muted">No events.</p> : (
          <ol className="events">
            {s.events.map((ev, i) => (
              <li key={i}>
                <span className="time" title="since the trace start">+{formatDuration(ev.offsetNanos)}</span>{' '}
                <span className="event-name">{ev.name}</span>
                {ev.attributes.length > 0 && <AttributeTable rows={ev.attributes} empty="" />}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section>
        <h3>Links <span className="count">{s.links.length}</span></h3>
        {s.links.length === 0 ? <p className="muted">No links.</p> : (
          <ul className="links">
            {s.links.map((l, i) => (
              <li key={i}>
                <Link className="mono" to={`/trace/${encodeURIComponent(l.traceId)}?span=${encodeURIComponent(l.spanId)}`}>
                  {l.traceId} / {l.spanId}
                </Link>
                {l.attributes.length > 0 && <AttributeTable rows={l.attributes} empty="" />}
              </li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}
