import type { SkewWarning, TraceAnalysis } from './api';
import type { SpanNode, SpanTree } from './spanTree';

/** What the server's analysis says about one span, in the UI's time base. */
export interface SpanAnalysis {
  criticalPathNanos: number;
  selfTimeNanos: number;
  asynchronous: boolean;
  /** Parts of the span on the critical path, nanoseconds since the trace start. */
  segments: { startNanos: number; endNanos: number }[];
  warnings: string[];
}

export type AnalysisIndex = Map<string, SpanAnalysis>;

/**
 * Indexes the analysis by tree node (the server names spans by span id and kind). Segment times
 * are put on the trace's own time base (`traceStartUnixNanos`), exact through BigInt.
 */
export function indexAnalysis(
  tree: SpanTree, analysis: TraceAnalysis | undefined, warnings: SkewWarning[] | undefined,
  traceStartUnixNanos: bigint,
): AnalysisIndex {
  const byKey = new Map<string, SpanNode>();
  for (const node of tree.byId.values()) byKey.set(`${node.span.spanId}|${node.span.kind}`, node);
  const find = (spanId: string, kind: string) =>
    byKey.get(`${spanId.toLowerCase()}|${kind.toLowerCase()}`) ?? tree.byId.get(spanId.toLowerCase());
  const index: AnalysisIndex = new Map();
  const entry = (node: SpanNode): SpanAnalysis => {
    let e = index.get(node.uid);
    if (!e) {
      e = { criticalPathNanos: 0, selfTimeNanos: node.selfNanos, asynchronous: false, segments: [], warnings: [] };
      index.set(node.uid, e);
    }
    return e;
  };
  for (const s of analysis?.spans ?? []) {
    const node = find(s.spanId, s.kind);
    if (!node) continue;
    const e = entry(node);
    e.criticalPathNanos = s.criticalPathNanos ?? 0;
    e.selfTimeNanos = s.selfTimeNanos ?? node.selfNanos;
    e.asynchronous = !!s.asynchronous;
    for (const w of s.warnings ?? []) if (!e.warnings.includes(w)) e.warnings.push(w);
  }
  for (const root of analysis?.criticalPath ?? []) {
    for (const seg of root.segments ?? []) {
      const node = find(seg.spanId, seg.kind);
      if (!node) continue;
      entry(node).segments.push({
        startNanos: offset(seg.startTimeUnixNano, traceStartUnixNanos),
        endNanos: offset(seg.endTimeUnixNano, traceStartUnixNanos),
      });
    }
  }
  for (const w of warnings ?? []) {
    const node = find(w.spanId, w.kind);
    if (node && !entry(node).warnings.includes(w.message)) entry(node).warnings.push(w.message);
  }
  return index;
}

function offset(unixNanos: string, base: bigint): number {
  try {
    return Number(BigInt(unixNanos) - base);
  } catch {
    return 0;
  }
}
