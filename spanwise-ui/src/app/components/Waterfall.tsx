import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AnalysisIndex, SpanAnalysis } from '../analysis';
import { FULL_WINDOW, Minimap, type TimeWindow } from './Minimap';
import { serviceColor } from '../colors';
import { formatDuration } from '../format';
import {
  filterKeep, isFilterActive, visibleRows, type SpanFilter, type SpanNode, type SpanTree,
} from '../spanTree';

export const ROW_HEIGHT = 26;

/**
 * The trace's spans as a collapsible tree with bars on a common time scale. Rows are virtualised.
 * Keys: up/down move, left collapses (or goes to the parent), right expands, enter opens the detail.
 */
export function Waterfall({
  tree, durationNanos, services, selectedId, onSelect, onOpenDetail, analysis,
}: {
  tree: SpanTree;
  /** The server's analysis (critical path, skew warnings), when it could be loaded. */
  analysis?: AnalysisIndex;
  durationNanos: number;
  services: string[];
  selectedId: string | null;
  onSelect: (spanId: string) => void;
  onOpenDetail: (spanId: string) => void;
}) {
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const [filter, setFilter] = useState<SpanFilter>({ text: '', service: '', errorsOnly: false });
  const [criticalOnly, setCriticalOnly] = useState(false);
  const [timeWindow, setTimeWindow] = useState<TimeWindow>(FULL_WINDOW);
  const allRows = useMemo(() => visibleRows(tree, new Set()), [tree]);
  const hasCriticalPath = !!analysis && [...analysis.values()].some((a) => a.criticalPathNanos > 0);
  const active = isFilterActive(filter) || (criticalOnly && hasCriticalPath);
  const { keep, matches } = useMemo(
    () => (active
      ? filterKeep(tree, filter, criticalOnly && analysis
        ? (n) => (analysis.get(n.uid)?.criticalPathNanos ?? 0) > 0
        : undefined)
      : { keep: undefined, matches: undefined }),
    [tree, filter, active, criticalOnly, analysis]);
  const rows = useMemo(() => visibleRows(tree, collapsed, keep), [tree, collapsed, keep]);
  const index = useMemo(() => {
    const m = new Map<string, number>();
    rows.forEach((r, i) => m.set(r.uid, i));
    return m;
  }, [rows]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    initialRect: { width: 1000, height: 600 },
  });

  const selectedIndex = selectedId ? index.get(selectedId) : undefined;
  useEffect(() => {
    if (selectedIndex !== undefined) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const toggle = (id: string, open?: boolean) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      const isCollapsed = next.has(id);
      if (open === undefined ? isCollapsed : open) next.delete(id);
      else next.add(id);
      return next;
    });
  };
  const setAll = (collapse: boolean) =>
    setCollapsed(collapse
      ? new Set([...tree.byId.values()].filter((n) => n.children.length > 0).map((n) => n.uid))
      : new Set());

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (rows.length === 0) return;
    const i = selectedIndex ?? -1;
    const node = i >= 0 ? rows[i] : undefined;
    switch (e.key) {
      case 'ArrowDown': onSelect(rows[Math.min(rows.length - 1, i + 1)].uid); break;
      case 'ArrowUp': onSelect(rows[Math.max(0, i - 1)].uid); break;
      case 'Home': onSelect(rows[0].uid); break;
      case 'End': onSelect(rows[rows.length - 1].uid); break;
      case 'ArrowLeft':
        if (!node) return;
        if (node.children.length > 0 && !collapsed.has(node.uid)) toggle(node.uid, false);
        else if (node.parent) onSelect(node.parent.uid);
        break;
      case 'ArrowRight':
        if (!node) return;
        if (collapsed.has(node.uid)) toggle(node.uid, true);
        else if (node.children.length > 0) onSelect(node.children[0].uid);
        break;
      case 'Enter': if (node) onOpenDetail(node.uid); break;
      default: return;
    }
    e.preventDefault();
  };

  const total = durationNanos > 0 ? durationNanos : 1;
  const viewStart = timeWindow.from * total;
  const scale = (timeWindow.to - timeWindow.from) * total;
  const ticks = [0, 0.25, 0.5, 0.75, 1];

  return (
    <div className="waterfall">
      <div className="wf-toolbar" role="search">
        <input
          type="search"
          placeholder="Find spans: name, service, attribute or key=value"
          aria-label="Filter spans"
          value={filter.text}
          onChange={(e) => setFilter({ ...filter, text: e.target.value })}
        />
        <select aria-label="Filter by service" value={filter.service} onChange={(e) => setFilter({ ...filter, service: e.target.value })}>
          <option value="">All services</option>
          {services.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <label className="inline">
          <input type="checkbox" checked={filter.errorsOnly} onChange={(e) => setFilter({ ...filter, errorsOnly: e.target.checked })} />
          errors only
        </label>
        <label className="inline" title={hasCriticalPath ? 'Spans that determine the end-to-end duration' : 'No critical path from the server'}>
          <input type="checkbox" disabled={!hasCriticalPath} checked={criticalOnly} onChange={(e) => setCriticalOnly(e.target.checked)} />
          critical path only
        </label>
        {active && <span className="muted">{matches?.size ?? 0} matching span{matches?.size === 1 ? '' : 's'}</span>}
        <span className="spacer" />
        <button type="button" onClick={() => setAll(false)}>Expand all</button>
        <button type="button" onClick={() => setAll(true)}>Collapse all</button>
      </div>
      <Minimap rows={allRows} durationNanos={durationNanos} window={timeWindow} onWindow={setTimeWindow} />
      <div className="wf-header">
        <div className="wf-name">Service and operation</div>
        <div className="wf-timeline">
          {ticks.map((t) => (
            <span key={t} className="tick" style={{ left: `${t * 100}%` }}>{formatDuration(viewStart + t * scale)}</span>
          ))}
        </div>
      </div>
      <div
        className="wf-rows"
        ref={scrollRef}
        tabIndex={0}
        role="tree"
        aria-label="Spans"
        onKeyDown={onKeyDown}
      >
        {rows.length === 0 && <p className="muted pad">No span matches the filter.</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const node = rows[v.index];
            return (
              <Row
                key={node.uid}
                node={node}
                info={analysis?.get(node.uid)}
                top={v.start}
                viewStart={viewStart}
                scale={scale}
                selected={node.uid === selectedId}
                dimmed={!!matches && !matches.has(node.uid)}
                collapsed={collapsed.has(node.uid)}
                onToggle={() => toggle(node.uid)}
                onClick={() => { onSelect(node.uid); onOpenDetail(node.uid); }}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

function Row({ node, info, top, viewStart, scale, selected, dimmed, collapsed, onToggle, onClick }: {
  node: SpanNode; info: SpanAnalysis | undefined; top: number; viewStart: number; scale: number; selected: boolean; dimmed: boolean; collapsed: boolean;
  onToggle: () => void; onClick: () => void;
}) {
  const s = node.span;
  const left = (100 * (s.startNanos - viewStart)) / scale;
  const width = Math.max((100 * s.durationNanos) / scale, 0.15);
  const color = serviceColor(s.service);
  // the duration label goes right of the bar, else left of it, else inside its right end
  const labelPlace = left + width < 85 ? 'right' : left > 12 ? 'left' : 'inside';
  const onPath = !!info && info.criticalPathNanos > 0;
  const cls = ['wf-row', selected && 'selected', dimmed && 'dimmed', s.isError && 'error', onPath && 'on-critical-path']
    .filter(Boolean).join(' ');
  return (
    <div
      className={cls}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      role="treeitem"
      aria-level={node.depth + 1}
      aria-selected={selected}
      aria-expanded={node.children.length > 0 ? !collapsed : undefined}
      data-span-id={node.uid}
      onClick={onClick}
    >
      <div className="wf-name" style={{ paddingLeft: 4 + Math.min(node.depth, 40) * 14 }}>
        {node.children.length > 0 ? (
          <button
            type="button"
            className="twisty"
            tabIndex={-1}
            aria-label={collapsed ? 'Expand' : 'Collapse'}
            onClick={(e) => { e.stopPropagation(); onToggle(); }}
          >
            {collapsed ? '▸' : '▾'}
          </button>
        ) : <span className="twisty" />}
        <span className="svc-bar" style={{ background: color }} />
        {s.isError && <span className="err-mark" title="error status">!</span>}
        <span className="svc-name">{s.service}</span>
        <span className="op-name">{s.name}</span>
        {collapsed && <span className="count" title="hidden spans">+{node.descendants}</span>}
        {node.orphan && <span className="badge warn" title="its parent span is not in this trace">orphan</span>}
        {info && info.warnings.length > 0 && (
          <span className="badge warn skew" title={info.warnings.join('\n')}>skew</span>
        )}
      </div>
      <div className="wf-timeline">
        <span className="bar" style={{ left: `${left}%`, width: `${width}%`, background: color }} />
        {info?.segments.map((seg, i) => (
          <span
            key={i}
            className="critical"
            title="on the critical path"
            style={{ left: `${(100 * (seg.startNanos - viewStart)) / scale}%`, width: `${Math.max((100 * (seg.endNanos - seg.startNanos)) / scale, 0.1)}%` }}
          />
        ))}
        <span
          className={labelPlace === 'inside' ? 'bar-label inside' : 'bar-label'}
          style={labelPlace === 'right'
            ? { left: `calc(${left + width}% + 4px)` }
            : labelPlace === 'left'
              ? { right: `calc(${100 - left}% + 4px)` }
              : { right: `calc(${Math.max(0, 100 - left - width)}% + 4px)` }}
        >
          {formatDuration(s.durationNanos)}
        </span>
      </div>
    </div>
  );
}
