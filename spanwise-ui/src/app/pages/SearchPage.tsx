import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { api, type TraceSummary } from '../api';
import { serviceColor } from '../colors';
import { AttributeInput } from '../components/AttributeInput';
import { ErrorBox, Loading, NoDataYet } from '../components/common';
import { ScatterPlot } from '../components/ScatterPlot';
import { formatAgo, formatDuration, formatTimestamp, parseGoDuration } from '../format';
import {
  LOOKBACK_PRESETS, searchFromUrl, searchToApi, searchToUrl, type SearchState, type SortOrder,
} from '../searchState';
import { useAsync } from '../useAsync';

export function SearchPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const current = useMemo(() => searchFromUrl(location.search), [location.search]);
  const [draft, setDraft] = useState<SearchState>(current);
  useEffect(() => setDraft(current), [current]);

  const services = useAsync((s) => api.services(s), []);
  const operations = useAsync(
    (s) => (draft.service ? api.operations(draft.service, s) : Promise.resolve([])), [draft.service]);
  const keys = useAsync((s) => api.attributeKeys(draft.service, s).catch(() => []), [draft.service]);
  const results = useAsync((s) => api.search(searchToApi(current), s), [searchToApi(current)]);

  const [formError, setFormError] = useState('');
  const submit = (e?: React.FormEvent) => {
    e?.preventDefault();
    for (const [field, v] of [['Min duration', draft.minDuration], ['Max duration', draft.maxDuration]] as const) {
      if (v.trim() && parseGoDuration(v) === null) {
        setFormError(`${field} "${v}" is not a duration: write it like 250ms, 1.5s or 2m.`);
        return;
      }
    }
    if (draft.lookback === 'custom' && (!draft.start || !draft.end)) {
      setFormError('A custom time range needs both a start and an end.');
      return;
    }
    setFormError('');
    navigate(`/search?${searchToUrl(draft)}`);
  };
  const set = (patch: Partial<SearchState>) => setDraft({ ...draft, ...patch });
  const setSort = (sort: SortOrder) => navigate(`/search?${searchToUrl({ ...current, sort })}`, { replace: true });

  const noServices = services.status === 'ok' && services.value.length === 0;

  return (
    <div className="search-page">
      <form className="search-form" onSubmit={submit} aria-label="Search traces">
        <label>
          Service
          <select value={draft.service} onChange={(e) => set({ service: e.target.value, operation: '' })}>
            <option value="">All services</option>
            {services.status === 'ok' && services.value.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Operation
          <select value={draft.operation} disabled={!draft.service} onChange={(e) => set({ operation: e.target.value })}>
            <option value="">All operations</option>
            {operations.status === 'ok' &&
              [...new Set(operations.value.map((o) => o.name))].sort().map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <fieldset className="attrs">
          <legend>Attributes</legend>
          {draft.attrs.map((a, i) => (
            <AttributeInput
              key={i}
              value={a}
              keys={keys.status === 'ok' ? keys.value : []}
              onChange={(v) => set({ attrs: draft.attrs.map((x, j) => (j === i ? v : x)) })}
              onRemove={() => set({ attrs: draft.attrs.filter((_, j) => j !== i) })}
            />
          ))}
          <button type="button" className="link" onClick={() => set({ attrs: [...draft.attrs, ''] })}>
            + add attribute filter
          </button>
          <label className="inline">
            <input type="checkbox" checked={draft.errorsOnly} onChange={(e) => set({ errorsOnly: e.target.checked })} />
            with errors only
          </label>
        </fieldset>
        <label>
          Min duration
          <input type="text" placeholder="e.g. 100ms" value={draft.minDuration} onChange={(e) => set({ minDuration: e.target.value })} />
        </label>
        <label>
          Max duration
          <input type="text" placeholder="e.g. 2s" value={draft.maxDuration} onChange={(e) => set({ maxDuration: e.target.value })} />
        </label>
        <label>
          Time range
          <select value={draft.lookback} onChange={(e) => set({ lookback: e.target.value })}>
            {LOOKBACK_PRESETS.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
            <option value="custom">Custom…</option>
          </select>
        </label>
        {draft.lookback === 'custom' && (
          <>
            <label>
              From
              <input type="datetime-local" step="1" value={toLocalInput(draft.start)} onChange={(e) => set({ start: fromLocalInput(e.target.value) })} />
            </label>
            <label>
              To
              <input type="datetime-local" step="1" value={toLocalInput(draft.end)} onChange={(e) => set({ end: fromLocalInput(e.target.value) })} />
            </label>
          </>
        )}
        <label>
          Limit
          <input type="number" min={1} max={10000} value={draft.limit} onChange={(e) => set({ limit: Math.max(1, Math.min(10000, Number(e.target.value) || 20)) })} />
        </label>
        <button type="submit" className="primary">Find traces</button>
        {formError && <p className="form-error" role="alert">{formError}</p>}
      </form>

      <section className="results">
        {services.status === 'error' && <ErrorBox error={services.error} title="Could not load the services" />}
        {results.status === 'loading' && <Loading what="traces" />}
        {results.status === 'error' && <ErrorBox error={results.error} title="The search failed" />}
        {results.status === 'ok' && results.value.length === 0 &&
          (noServices ? <NoDataYet /> : (
            <div className="notice empty">
              <h2>No traces match</h2>
              <p>Widen the time range, remove a filter or raise the limit, then search again.</p>
            </div>
          ))}
        {results.status === 'ok' && results.value.length > 0 && (
          <Results traces={results.value} sort={current.sort} onSort={setSort} onOpen={(id) => navigate(`/trace/${id}`)} />
        )}
      </section>
    </div>
  );
}

function Results({ traces, sort, onSort, onOpen }: {
  traces: TraceSummary[]; sort: SortOrder; onSort: (s: SortOrder) => void; onOpen: (id: string) => void;
}) {
  const sorted = useMemo(() => sortTraces(traces, sort), [traces, sort]);
  const maxDuration = Math.max(...traces.map((t) => t.durationNanos), 1);
  const errors = traces.filter((t) => t.errorCount > 0).length;
  return (
    <>
      <ScatterPlot traces={traces} onOpen={onOpen} />
      <div className="results-bar">
        <span>
          {traces.length} trace{traces.length === 1 ? '' : 's'}
          {errors > 0 && <span className="badge error">{errors} with errors</span>}
        </span>
        <span className="sort" role="group" aria-label="Sort by">
          Sort:
          {(['time', 'duration', 'spans'] as const).map((s) => (
            <button key={s} type="button" className={sort === s ? 'active' : ''} aria-pressed={sort === s} onClick={() => onSort(s)}>
              {s === 'time' ? 'Most recent' : s === 'duration' ? 'Longest' : 'Most spans'}
            </button>
          ))}
        </span>
      </div>
      <ResultList traces={sorted} maxDuration={maxDuration} />
    </>
  );
}

export function sortTraces(traces: TraceSummary[], sort: SortOrder): TraceSummary[] {
  const copy = [...traces];
  if (sort === 'duration') copy.sort((a, b) => b.durationNanos - a.durationNanos);
  else if (sort === 'spans') copy.sort((a, b) => b.spanCount - a.spanCount);
  else copy.sort((a, b) => b.startTimeUnixMicros - a.startTimeUnixMicros);
  return copy;
}

export function ResultList({ traces, maxDuration }: { traces: TraceSummary[]; maxDuration: number }) {
  return (
    <ol className="result-list">
      {traces.map((t) => (
        <li key={t.traceId} className={t.errorCount > 0 ? 'result has-error' : 'result'}>
          <Link to={`/trace/${t.traceId}`} className="result-link">
            <div className="result-head">
              <span className="root">
                <span className="svc-dot" style={{ background: serviceColor(t.rootServiceName) }} />
                <span className="svc-name">{t.rootServiceName}</span>
                <span className="sep">:</span>
                <span className="op-name">{t.rootSpanName}</span>
              </span>
              <span className="duration">{formatDuration(t.durationNanos)}</span>
            </div>
            <div className="duration-bar"><span style={{ width: `${(100 * t.durationNanos) / maxDuration}%` }} /></div>
            <div className="result-meta">
              <span title={formatTimestamp(t.startTimeUnixMicros)}>
                {formatTimestamp(t.startTimeUnixMicros)} ({formatAgo(t.startTimeUnixMicros)})
              </span>
              <span>{t.spanCount} span{t.spanCount === 1 ? '' : 's'}</span>
              {t.errorCount > 0 && <span className="badge error">{t.errorCount} error{t.errorCount === 1 ? '' : 's'}</span>}
              <span className="trace-id">{t.traceId.slice(0, 12)}</span>
            </div>
            <div className="services">
              {t.services.map((s) => (
                <span key={s.name} className="svc-chip" style={{ borderColor: serviceColor(s.name) }}>
                  {s.name} <span className="count">{s.spanCount}</span>
                </span>
              ))}
            </div>
          </Link>
        </li>
      ))}
    </ol>
  );
}

/** RFC 3339 (UTC) -> the local "YYYY-MM-DDTHH:MM:SS" a datetime-local input shows. */
function toLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const off = d.getTimezoneOffset() * 60000;
  return new Date(d.getTime() - off).toISOString().slice(0, 19);
}

function fromLocalInput(local: string): string {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
