import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
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
  tree, durationNanos, services, selectedId, onSelect, onOpenDetail,
}: {
  tree: SpanTree;
  durationNanos: number;
  services: string[];
  selectedId: string | null;
  onSelect: (spanId: string) => void;
  onOpenDetail: (spanId: string) => void;
}) {
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const [filter, setFilter] = useState<SpanFilter>({ text: '', service: '', errorsOnly: false });
  const active = isFilterActive(filter);
  const { keep, matches } = useMemo(
    () => (active ? filterKeep(tree, filter) : { keep: undefined, matches: undefined }), [tree, filter, active]);
  const rows = useMemo(() => visibleRows(tree, collapsed, keep), [tree, collapsed, keep]);
  const index = useMemo(() => {
    const m = new Map<string, number>();
    rows.forEach((r, i) => m.set(r.span.spanId, i));
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
      ? new Set([...tree.byId.values()].filter((n) => n.children.length > 0).map((n) => n.span.spanId))
      : new Set());

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (rows.length === 0) return;
    const i = selectedIndex ?? -1;
    const node = i >= 0 ? rows[i] : undefined;
    switch (e.key) {
      case 'ArrowDown': onSelect(rows[Math.min(rows.length - 1, i + 1)].span.spanId); break;
      case 'ArrowUp': onSelect(rows[Math.max(0, i - 1)].span.spanId); break;
      case 'Home': onSelect(rows[0].span.spanId); break;
      case 'End': onSelect(rows[rows.length - 1].span.spanId); break;
      case 'ArrowLeft':
        if (!node) return;
        if (node.children.length > 0 && !collapsed.has(node.span.spanId)) toggle(node.span.spanId, false);
        else if (node.parent) onSelect(node.parent.span.spanId);
        break;
      case 'ArrowRight':
        if (!node) return;
        if (collapsed.has(node.span.spanId)) toggle(node.span.spanId, true);
        else if (node.children.length > 0) onSelect(node.children[0].span.spanId);
        break;
      case 'Enter': if (node) onOpenDetail(node.span.spanId); break;
      default: return;
    }
    e.preventDefault();
  };

  const scale = durationNanos > 0 ? durationNanos : 1;
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
        {active && <span className="muted">{matches?.size ?? 0} matching span{matches?.size === 1 ? '' : 's'}</span>}
        <span className="spacer" />
        <button type="button" onClick={() => setAll(false)}>Expand all</button>
        <button type="button" onClick={() => setAll(true)}>Collapse all</button>
      </div>
      <div className="wf-header">
        <div className="wf-name">Service and operation</div>
        <div className="wf-timeline">
          {ticks.map((t) => (
            <span key={t} className="tick" style={{ left: `${t * 100}%` }}>{formatDuration(t * durationNanos)}</span>
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
                key={node.span.spanId}
                node={node}
                top={v.start}
                scale={scale}
                selected={node.span.spanId === selectedId}
                dimmed={!!matches && !matches.has(node.span.spanId)}
                collapsed={collapsed.has(node.span.spanId)}
                onToggle={() => toggle(node.span.spanId)}
                onClick={() => { onSelect(node.span.spanId); onOpenDetail(node.span.spanId); }}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

function Row({ node, top, scale, selected, dimmed, collapsed, onToggle, onClick }: {
  node: SpanNode; top: number; scale: number; selected: boolean; dimmed: boolean; collapsed: boolean;
  onToggle: () => void; onClick: () => void;
}) {
  const s = node.span;
  const left = (100 * s.startNanos) / scale;
  const width = Math.max((100 * s.durationNanos) / scale, 0.15);
  const color = serviceColor(s.service);
  const labelRight = left + width < 80;
  const cls = ['wf-row', selected && 'selected', dimmed && 'dimmed', s.isError && 'error'].filter(Boolean).join(' ');
  return (
    <div
      className={cls}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      role="treeitem"
      aria-level={node.depth + 1}
      aria-selected={selected}
      aria-expanded={node.children.length > 0 ? !collapsed : undefined}
      data-span-id={s.spanId}
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
      </div>
      <div className="wf-timeline">
        <span className="bar" style={{ left: `${left}%`, width: `${width}%`, background: color }} />
        <span
          className="bar-label"
          style={labelRight ? { left: `calc(${left + width}% + 4px)` } : { right: `calc(${100 - left}% + 4px)` }}
        >
          {formatDuration(s.durationNanos)}
        </span>
      </div>
    </div>
  );
}
