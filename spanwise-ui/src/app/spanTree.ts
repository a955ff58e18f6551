import type { Span } from './otlp';

/** A span in the trace's tree. */
export interface SpanNode {
  /**
   * Identity of the node in the tree: the span id, or `spanId:kind` for the second side of a
   * Zipkin shared span (client and server sides with the same span id).
   */
  uid: string;
  span: Span;
  children: SpanNode[];
  depth: number;
  /** The parent node, or null for a root (no parent id, or a parent that is not in the trace). */
  parent: SpanNode | null;
  /** True when the span names a parent that is not in the trace. */
  orphan: boolean;
  /** Time of this span not covered by any child, in nanoseconds. */
  selfNanos: number;
  /** Number of spans below this one. */
  descendants: number;
}

export interface SpanTree {
  roots: SpanNode[];
  byId: Map<string, SpanNode>;
}

function byStart(a: SpanNode, b: SpanNode): number {
  return (
    a.span.startNanos - b.span.startNanos ||
    a.span.durationNanos - b.span.durationNanos ||
    (a.span.spanId < b.span.spanId ? -1 : a.span.spanId > b.span.spanId ? 1 : 0)
  );
}

/**
 * Builds the span tree: children under their parent, spans whose parent is missing become roots
 * (marked orphan), siblings and roots ordered by start time. A span repeated with the same id and
 * kind keeps its first occurrence; the server side of a Zipkin shared span (same id, another kind)
 * is drawn under its client side. A parent cycle (a span that is its own ancestor) is broken by
 * making the span where it is found a root.
 */
export function buildSpanTree(spans: Span[]): SpanTree {
  const byId = new Map<string, SpanNode>();
  const seen = new Set<string>();
  const shared = new Set<SpanNode>();
  const node = (uid: string, span: Span): SpanNode => ({
    uid, span, children: [], depth: 0, parent: null, orphan: false, selfNanos: 0, descendants: 0,
  });
  for (const span of spans) {
    const key = `${span.spanId}|${span.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const first = byId.get(span.spanId);
    if (!first) {
      byId.set(span.spanId, node(span.spanId, span));
    } else if (first.span.kind === 'server' && span.kind === 'client') {
      // keep the client side as the primary node, the server side under it
      const client = node(span.spanId, span);
      first.uid = `${span.spanId}:${first.span.kind}`;
      byId.set(span.spanId, client);
      byId.set(first.uid, first);
      shared.add(first);
    } else {
      const second = node(`${span.spanId}:${span.kind}`, span);
      byId.set(second.uid, second);
      shared.add(second);
    }
  }
  const roots: SpanNode[] = [];
  for (const node of byId.values()) {
    const pid = node.span.parentSpanId;
    const parent = shared.has(node)
      ? byId.get(node.span.spanId)
      : pid && pid !== node.span.spanId ? byId.get(pid) : undefined;
    if (parent && !isAncestor(node, parent)) {
      node.parent = parent;
      parent.children.push(node);
    } else {
      node.orphan = !!pid && !parent;
      roots.push(node);
    }
  }
  roots.sort(byStart);
  // Iterative depth-first pass: sort children, set depths; then self time and counts bottom-up.
  const order: SpanNode[] = [];
  const stack = [...roots].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    node.depth = node.parent ? node.parent.depth + 1 : 0;
    node.children.sort(byStart);
    order.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    node.descendants = node.children.reduce((n, c) => n + 1 + c.descendants, 0);
    node.selfNanos = selfTime(node);
  }
  return { roots, byId };
}

function isAncestor(candidate: SpanNode, of: SpanNode): boolean {
  for (let p: SpanNode | null = of; p; p = p.parent) if (p === candidate) return true;
  return false;
}

/** The span's duration minus the union of its children's intervals (clipped to the span). */
function selfTime(node: SpanNode): number {
  const start = node.span.startNanos;
  const end = start + node.span.durationNanos;
  let covered = 0;
  let cursor = start;
  for (const c of node.children) {
    // children are sorted by start
    const cs = Math.max(c.span.startNanos, cursor);
    const ce = Math.min(c.span.startNanos + c.span.durationNanos, end);
    if (ce > cs) {
      covered += ce - cs;
      cursor = ce;
    }
  }
  return Math.max(0, node.span.durationNanos - covered);
}

/** The rows to show, depth first, skipping the subtrees of collapsed spans. */
export function visibleRows(
  tree: SpanTree,
  collapsed: ReadonlySet<string>,
  keep?: ReadonlySet<string>,
): SpanNode[] {
  const rows: SpanNode[] = [];
  const stack = [...tree.roots].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (keep && !keep.has(node.uid)) continue;
    rows.push(node);
    if (collapsed.has(node.uid)) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return rows;
}

export interface SpanFilter {
  text: string;
  service: string;
  errorsOnly: boolean;
}

/** Whether a span matches the filter: service, errors, and text in its name or an attribute. */
export function matchesFilter(span: Span, f: SpanFilter): boolean {
  if (f.service && span.service !== f.service) return false;
  if (f.errorsOnly && !span.isError) return false;
  const text = f.text.trim().toLowerCase();
  if (!text) return true;
  const eq = text.indexOf('=');
  if (eq > 0) {
    const k = text.slice(0, eq).trim();
    const v = text.slice(eq + 1).trim();
    return [...span.attributes, ...span.resource].some(
      (a) => a.key.toLowerCase() === k && a.value.toLowerCase().includes(v),
    );
  }
  return (
    span.name.toLowerCase().includes(text) ||
    span.service.toLowerCase().includes(text) ||
    span.spanId === text ||
    span.attributes.some((a) => a.key.toLowerCase().includes(text) || a.value.toLowerCase().includes(text))
  );
}

/** The ids of the matching spans and of all their ancestors (so the tree stays readable). */
export function filterKeep(
  tree: SpanTree, f: SpanFilter, extra?: (node: SpanNode) => boolean,
): { keep: Set<string>; matches: Set<string> } {
  const keep = new Set<string>();
  const matches = new Set<string>();
  for (const node of tree.byId.values()) {
    if (!matchesFilter(node.span, f) || (extra && !extra(node))) continue;
    matches.add(node.uid);
    for (let p: SpanNode | null = node; p && !keep.has(p.uid); p = p.parent) keep.add(p.uid);
  }
  return { keep, matches };
}

export function isFilterActive(f: SpanFilter): boolean {
  return !!(f.text.trim() || f.service || f.errorsOnly);
}
