import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { diffTrees, flattenDiff } from './compare';
import { parseTrace } from './otlp';
import { CompareView } from './pages/ComparePage';
import { buildSpanTree } from './spanTree';
import { span, traceOf } from '../test/fixtures';

const A = traceOf({
  web: [span('00000000000000a1', '', 'GET /', 0, 100), span('00000000000000a2', '00000000000000a1', 'cache', 5, 10)],
  db: [
    span('00000000000000a3', '00000000000000a1', 'query', 10, 30),
    span('00000000000000a4', '00000000000000a1', 'query', 30, 50),
  ],
});
const B = traceOf({
  web: [span('00000000000000b1', '', 'GET /', 0, 200)],
  db: [span('00000000000000b3', '00000000000000b1', 'query', 10, 110, { status: { code: 2 } })],
  mail: [span('00000000000000b4', '00000000000000b1', 'send', 120, 190)],
});
const tree = (d: typeof A) => buildSpanTree(parseTrace(d).spans);

describe('trace comparison', () => {
  it('matches spans by service:operation path and says what is only in A, only in B, in both', () => {
    const rows = flattenDiff(diffTrees(tree(A), tree(B)));
    expect(rows.map((r) => [r.path, r.status, r.countA, r.countB])).toEqual([
      ['web:GET /', 'both', 1, 1],
      ['web:GET / > web:cache', 'only-a', 1, 0],
      ['web:GET / > db:query', 'both', 2, 1],
      ['web:GET / > mail:send', 'only-b', 0, 1],
    ]);
    const query = rows[2];
    expect(query.meanA).toBe(20e6);
    expect(query.meanB).toBe(100e6);
    expect(query.errorsB).toBe(1);
  });

  it('colour-codes rows and durations', () => {
    const { container } = render(
      <MemoryRouter><CompareView a="aaaa" b="bbbb" dataA={A} dataB={B} /></MemoryRouter>,
    );
    const row = (path: string) => container.querySelector(`tr[data-path="${path}"]`)!;
    expect(row('web:GET / > web:cache').className).toContain('only-a');
    expect(row('web:GET / > mail:send').className).toContain('only-b');
    expect(row('web:GET / > mail:send').textContent).toContain('added');
    const change = row('web:GET / > db:query').querySelector('td:last-child')!;
    expect(change.textContent).toBe('+80ms (+400%)');
    expect(change.className).toBe('slower');
  });
});
