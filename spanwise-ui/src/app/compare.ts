import type { SpanNode, SpanTree } from './spanTree';

/** One node of the merged structure of two traces: spans with the same service:operation path. */
export interface DiffNode {
  /** `service:operation` steps from the root, joined by ' > '. */
  path: string;
  service: string;
  name: string;
  depth: number;
  countA: number;
  countB: number;
  /** Mean duration of the spans at this path, nanoseconds (0 when absent). */
  meanA: number;
  meanB: number;
  errorsA: number;
  errorsB: number;
  children: DiffNode[];
  status: 'only-a' | 'only-b' | 'both';
}

interface Acc {
  service: string;
  name: string;
  depth: number;
  count: [number, number];
  total: [number, number];
  errors: [number, number];
  firstStart: number;
  children: Map<string, Acc>;
}

/**
 * Merges the structure of two traces: spans are matched by their path of service:operation from
 * the root, so the diff says which calls happen only in A, only in B, or in both (with counts and
 * the change of mean duration). Siblings are ordered by their first start.
 */
export function diffTrees(a: SpanTree, b: SpanTree): DiffNode[] {
  const roots = new Map<string, Acc>();
  const add = (side: 0 | 1, node: SpanNode, into: Map<string, Acc>, depth: number) => {
    // iterative to survive deep traces
    const stack: [SpanNode, Map<string, Acc>, number][] = [[node, into, depth]];
    while (stack.length) {
      const [n, map, d] = stack.pop()!;
      const key = `${n.span.service}:${n.span.name}`;
      let acc = map.get(key);
      if (!acc) {
        acc = {
          service: n.span.service, name: n.span.name, depth: d, count: [0, 0], total: [0, 0], errors: [0, 0],
          firstStart: n.span.startNanos, children: new Map(),
        };
        map.set(key, acc);
      }
      acc.count[side]++;
      acc.total[side] += n.span.durationNanos;
      if (n.span.isError) acc.errors[side]++;
      acc.firstStart = Math.min(acc.firstStart, n.span.startNanos);
      for (const c of n.children) stack.push([c, acc.children, d + 1]);
    }
  };
  for (const r of a.roots) add(0, r, roots, 0);
  for (const r of b.roots) add(1, r, roots, 0);
  const build = (map: Map<string, Acc>, prefix: string): DiffNode[] =>
    [...map.entries()]
      .sort(([, x], [, y]) => x.firstStart - y.firstStart)
      .map(([key, acc]) => {
        const path = prefix ? `${prefix} > ${key}` : key;
        return {
          path,
          service: acc.service,
          name: acc.name,
          depth: acc.depth,
          countA: acc.count[0],
          countB: acc.count[1],
          meanA: acc.count[0] ? acc.total[0] / acc.count[0] : 0,
          meanB: acc.count[1] ? acc.total[1] / acc.count[1] : 0,
          errorsA: acc.errors[0],
          errorsB: acc.errors[1],
          status: acc.count[0] === 0 ? 'only-b' : acc.count[1] === 0 ? 'only-a' : 'both',
          children: build(acc.children, path),
        };
      });
  return build(roots, '');
}

/** The merged nodes depth first. */
export function flattenDiff(nodes: DiffNode[]): DiffNode[] {
  const out: DiffNode[] = [];
  const stack = [...nodes].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}
