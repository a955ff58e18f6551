import { describe, expect, it } from 'vitest';
import { parseTrace, type Span } from './otlp';
import { buildSpanTree, filterKeep, matchesFilter, visibleRows } from './spanTree';
import { span, str, traceOf } from '../test/fixtures';

function spansOf(...list: ReturnType<typeof span>[]): Span[] {
  return parseTrace(traceOf({ svc: list })).spans;
}

const ids = (nodes: { span: Span }[]) => nodes.map((n) => n.span.spanId);

describe('buildSpanTree', () => {
  it('nests children under parents and orders siblings by start time', () => {
    const tree = buildSpanTree(spansOf(
      span('c2', 'root', 'second', 50, 90),
      span('root', '', 'root', 0, 100),
      span('c1', 'root', 'first', 10, 40),
      span('g1', 'c1', 'grandchild', 15, 20),
    ));
    expect(ids(tree.roots)).toEqual(['root']);
    const root = tree.roots[0];
    expect(ids(root.children)).toEqual(['c1', 'c2']);
    expect(ids(root.children[0].children)).toEqual(['g1']);
    expect(tree.byId.get('g1')!.depth).toBe(2);
    expect(tree.byId.get('g1')!.parent).toBe(tree.byId.get('c1'));
    expect(root.descendants).toBe(3);
    expect(ids(visibleRows(tree, new Set()))).toEqual(['root', 'c1', 'g1', 'c2']);
  });

  it('makes spans whose parent is missing roots, marked orphan, ordered by start', () => {
    const tree = buildSpanTree(spansOf(
      span('late', 'gone', 'late orphan', 30, 40),
      span('root', '', 'root', 5, 100),
      span('early', 'gone2', 'early orphan', 0, 10),
      span('kid', 'late', 'child of orphan', 31, 35),
    ));
    expect(ids(tree.roots)).toEqual(['early', 'root', 'late']);
    expect(tree.byId.get('late')!.orphan).toBe(true);
    expect(tree.byId.get('root')!.orphan).toBe(false);
    expect(ids(tree.byId.get('late')!.children)).toEqual(['kid']);
  });

  it('breaks parent cycles and keeps the first of repeated span ids', () => {
    const tree = buildSpanTree(spansOf(
      span('a', 'b', 'a', 0, 10),
      span('b', 'a', 'b', 1, 5),
      span('a', 'b', 'a again', 0, 10),
      span('self', 'self', 'own parent', 2, 3),
    ));
    expect(tree.byId.size).toBe(3);
    expect(tree.byId.get('a')!.span.name).toBe('a');
    const all = visibleRows(tree, new Set());
    expect(ids(all).sort()).toEqual(['a', 'b', 'self']);
    expect(tree.roots.map((r) => r.span.spanId)).toContain('self');
  });

  it('computes self time as the time not covered by children, clipped to the span', () => {
    const tree = buildSpanTree(spansOf(
      span('root', '', 'root', 0, 100),
      span('c1', 'root', 'c1', 10, 40),
      span('c2', 'root', 'c2 overlaps c1', 30, 60),
      span('c3', 'root', 'c3 overruns', 90, 130),
    ));
    // covered: [10,60] + [90,100] = 60ms
    expect(tree.byId.get('root')!.selfNanos).toBe(40e6);
    expect(tree.byId.get('c1')!.selfNanos).toBe(30e6);
  });

  it('hides the subtree of a collapsed span', () => {
    const tree = buildSpanTree(spansOf(
      span('root', '', 'root', 0, 100), span('c1', 'root', 'c1', 10, 40), span('g1', 'c1', 'g1', 15, 20),
      span('c2', 'root', 'c2', 50, 60),
    ));
    expect(ids(visibleRows(tree, new Set(['c1'])))).toEqual(['root', 'c1', 'c2']);
    expect(ids(visibleRows(tree, new Set(['root'])))).toEqual(['root']);
  });

  it('builds 10,000 spans deep and wide without recursion limits', () => {
    const list = [span('s0', '', 'root', 0, 20000)];
    for (let i = 1; i < 10000; i++) list.push(span(`s${i}`, `s${i < 5000 ? i - 1 : 0}`, `op${i}`, i, i + 1));
    const tree = buildSpanTree(spansOf(...list));
    expect(tree.byId.get('s4999')!.depth).toBe(4999);
    expect(visibleRows(tree, new Set())).toHaveLength(10000);
  });
});

describe('span filter', () => {
  const spans = spansOf(
    span('root', '', 'GET /checkout', 0, 100),
    span('db', 'root', 'SELECT orders', 10, 40, { attributes: [str('db.system', 'postgresql')] }),
    span('pay', 'root', 'charge', 50, 60, { status: { code: 2 } }),
  );
  const tree = buildSpanTree(spans);

  it('matches name, attribute text and key=value, and errors only', () => {
    const by = (id: string) => tree.byId.get(id)!.span;
    const f = { text: '', service: '', errorsOnly: false };
    expect(matchesFilter(by('db'), { ...f, text: 'select' })).toBe(true);
    expect(matchesFilter(by('db'), { ...f, text: 'db.system=postgres' })).toBe(true);
    expect(matchesFilter(by('db'), { ...f, text: 'db.system=mysql' })).toBe(false);
    expect(matchesFilter(by('db'), { ...f, errorsOnly: true })).toBe(false);
    expect(matchesFilter(by('pay'), { ...f, errorsOnly: true })).toBe(true);
    expect(matchesFilter(by('pay'), { ...f, service: 'other' })).toBe(false);
  });

  it('keeps the ancestors of matching spans so the tree stays readable', () => {
    const { keep, matches } = filterKeep(tree, { text: '', service: '', errorsOnly: true });
    expect([...matches]).toEqual(['pay']);
    expect(ids(visibleRows(tree, new Set(), keep))).toEqual(['root', 'pay']);
  });
});
