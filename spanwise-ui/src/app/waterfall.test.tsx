import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { TraceView } from './pages/TracePage';
import { span, str, traceOf, TRACE_ID } from '../test/fixtures';

const data = traceOf({
  frontend: [
    span('00000000000000a1', '', 'GET /checkout', 0, 100),
    span('00000000000000a2', '00000000000000a1', 'call cart', 5, 60),
  ],
  cart: [
    span('00000000000000b1', '00000000000000a2', 'POST /cart', 10, 55, { attributes: [str('cart.items', '3')] }),
    span('00000000000000b2', '00000000000000b1', 'SELECT items', 12, 30, { status: { code: 2, message: 'timeout' } }),
  ],
  payments: [span('00000000000000c1', '00000000000000a1', 'charge', 70, 95)],
});

function renderTrace(path = `/trace/${TRACE_ID}`) {
  return render(<MemoryRouter initialEntries={[path]}><TraceView traceId={TRACE_ID} data={data} /></MemoryRouter>);
}

const rowIds = (c: HTMLElement) => [...c.querySelectorAll('[data-span-id]')].map((r) => r.getAttribute('data-span-id'));
const selectedRow = (c: HTMLElement) => c.querySelector('[data-span-id][aria-selected="true"]')?.getAttribute('data-span-id');

describe('waterfall', () => {
  it('shows the spans nested depth first in start order, with levels and error marks', () => {
    const { container } = renderTrace();
    expect(rowIds(container)).toEqual([
      '00000000000000a1', '00000000000000a2', '00000000000000b1', '00000000000000b2', '00000000000000c1',
    ]);
    const levels = [...container.querySelectorAll('[data-span-id]')].map((r) => r.getAttribute('aria-level'));
    expect(levels).toEqual(['1', '2', '3', '4', '2']);
    expect(container.querySelector('[data-span-id="00000000000000b2"]')!.className).toContain('error');
    expect(container.querySelector('[data-span-id="00000000000000b1"]')!.className).not.toContain('error');
  });

  it('moves with the arrow keys, collapses and expands, and opens the detail with Enter', () => {
    const { container } = renderTrace();
    const tree = screen.getByRole('tree');
    expect(selectedRow(container)).toBe('00000000000000a1');
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    expect(selectedRow(container)).toBe('00000000000000a2');
    fireEvent.keyDown(tree, { key: 'ArrowLeft' }); // collapse a2
    expect(rowIds(container)).toEqual(['00000000000000a1', '00000000000000a2', '00000000000000c1']);
    fireEvent.keyDown(tree, { key: 'ArrowLeft' }); // already collapsed: go to the parent
    expect(selectedRow(container)).toBe('00000000000000a1');
    fireEvent.keyDown(tree, { key: 'ArrowDown' });
    fireEvent.keyDown(tree, { key: 'ArrowRight' }); // expand a2
    expect(rowIds(container)).toHaveLength(5);
    fireEvent.keyDown(tree, { key: 'ArrowRight' }); // expanded: go to the first child
    expect(selectedRow(container)).toBe('00000000000000b1');
    expect(screen.queryByLabelText('Span detail')).toBeNull();
    fireEvent.keyDown(tree, { key: 'Enter' });
    const detail = screen.getByLabelText('Span detail');
    expect(detail.textContent).toContain('POST /cart');
    expect(detail.textContent).toContain('cart.items');
    // self time of POST /cart: 45ms minus the 18ms child
    expect(detail.textContent).toContain('Self time27ms');
  });

  it('filters to errors only, keeping the ancestors', () => {
    const { container } = renderTrace();
    fireEvent.click(screen.getByLabelText('errors only'));
    expect(rowIds(container)).toEqual([
      '00000000000000a1', '00000000000000a2', '00000000000000b1', '00000000000000b2',
    ]);
    expect(container.querySelector('[data-span-id="00000000000000a1"]')!.className).toContain('dimmed');
    expect(container.querySelector('[data-span-id="00000000000000b2"]')!.className).not.toContain('dimmed');
  });

  it('opens the span named in the URL and links a span link to its trace', () => {
    const linked = traceOf({
      svc: [span('00000000000000d1', '', 'consume', 0, 10, {
        links: [{ traceId: 'ABCDEF0123456789ABCDEF0123456789', spanId: '1111111111111111' }],
      })],
    });
    render(
      <MemoryRouter initialEntries={[`/trace/${TRACE_ID}?span=00000000000000d1`]}>
        <TraceView traceId={TRACE_ID} data={linked} />
      </MemoryRouter>,
    );
    const link = screen.getByText(/abcdef0123456789abcdef0123456789/);
    expect(link.getAttribute('href')).toBe('/trace/abcdef0123456789abcdef0123456789?span=1111111111111111');
  });

  it('renders only a window of rows for 10,000 spans', () => {
    const spans = [span('r'.padStart(16, '0'), '', 'root', 0, 20000)];
    for (let i = 1; i < 10000; i++) spans.push(span(String(i).padStart(16, '0'), spans[0].spanId!, `op ${i}`, i, i + 1));
    const { container } = render(
      <MemoryRouter><TraceView traceId={TRACE_ID} data={traceOf({ big: spans })} /></MemoryRouter>,
    );
    const rendered = container.querySelectorAll('[data-span-id]').length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(200);
    expect(screen.getByText('10000 spans')).toBeTruthy();
  });

  it('shows the raw OTLP JSON in its own tab', () => {
    renderTrace(`/trace/${TRACE_ID}?view=json`);
    expect(screen.getByText('Download JSON')).toBeTruthy();
    expect(document.querySelector('.raw-json pre')!.textContent).toContain('"resourceSpans"');
  });
});

describe('minimap', () => {
  it('zooms the bars into the dragged time range and resets', () => {
    const { container } = renderTrace();
    const minimap = screen.getByRole('slider');
    // the test setup gives every element a 1000px wide box at x=0: drag from 50% to 100%
    fireEvent.pointerDown(minimap, { clientX: 500, pointerId: 1 });
    fireEvent.pointerMove(minimap, { clientX: 1000, pointerId: 1 });
    fireEvent.pointerUp(minimap, { clientX: 1000, pointerId: 1 });
    const bar = (id: string) => (container.querySelector(`[data-span-id="${id}"] .bar`) as HTMLElement).style;
    // charge (70..95ms of 100ms) now starts at 40% of the 50..100ms window and is 50% wide
    expect(parseFloat(bar('00000000000000c1').left)).toBeCloseTo(40);
    expect(parseFloat(bar('00000000000000c1').width)).toBeCloseTo(50);
    expect(container.querySelector('.wf-header .tick')!.textContent).toBe('50ms');
    fireEvent.click(screen.getByText('Reset zoom'));
    expect(parseFloat(bar('00000000000000c1').left)).toBeCloseTo(70);
  });
});

describe('trace graph', () => {
  it('groups spans by service and operation with parent -> child edges', async () => {
    const { traceGraph } = await import('./components/TraceGraph');
    const { buildSpanTree } = await import('./spanTree');
    const { parseTrace } = await import('./otlp');
    const g = traceGraph(buildSpanTree(parseTrace(data).spans));
    expect(g.nodes.map((n) => `${n.service}:${n.name}`).sort()).toEqual([
      'cart:POST /cart', 'cart:SELECT items', 'frontend:GET /checkout', 'frontend:call cart', 'payments:charge',
    ]);
    expect(g.nodes.find((n) => n.name === 'SELECT items')!.errors).toBe(1);
    expect(g.edges).toHaveLength(4);
    renderTrace(`/trace/${TRACE_ID}?view=graph`);
    expect(document.querySelectorAll('.trace-graph [data-op]')).toHaveLength(5);
  });
});

describe('flame graph', () => {
  it('stacks parallel siblings instead of hiding one under the other', () => {
    const parallel = traceOf({
      svc: [
        span('00000000000000a1', '', 'root', 0, 100),
        span('00000000000000a2', '00000000000000a1', 'left', 10, 80),
        span('00000000000000a3', '00000000000000a1', 'overlapping', 15, 30),
        span('00000000000000a4', '00000000000000a2', 'grandchild', 20, 40),
      ],
    });
    const { container } = render(
      <MemoryRouter initialEntries={[`/trace/${TRACE_ID}?view=flame`]}><TraceView traceId={TRACE_ID} data={parallel} /></MemoryRouter>,
    );
    const y = (id: string) => container.querySelector(`.flame [data-span-id="${id}"]`)!.getAttribute('transform')!.replace(/.*,/, '');
    expect([y('00000000000000a1'), y('00000000000000a2'), y('00000000000000a4'), y('00000000000000a3')])
      .toEqual(['0)', '20)', '40)', '60)']);
  });

  it('draws a box per span by depth, zooms on click and opens the span on the timeline', () => {
    const { container } = renderTrace(`/trace/${TRACE_ID}?view=flame`);
    const frames = () => [...container.querySelectorAll('.flame [data-span-id]')].map((f) => f.getAttribute('data-span-id'));
    expect(frames().sort()).toEqual([
      '00000000000000a1', '00000000000000a2', '00000000000000b1', '00000000000000b2', '00000000000000c1',
    ]);
    const y = (id: string) => container.querySelector(`.flame [data-span-id="${id}"]`)!.getAttribute('transform');
    expect(y('00000000000000b2')).toMatch(/,60\)$/); // depth 3
    expect(y('00000000000000c1')).toMatch(/,20\)$/); // after call cart ends: no extra row
    fireEvent.click(container.querySelector('.flame [data-span-id="00000000000000a2"]')!);
    expect(frames().sort()).toEqual(['00000000000000a2', '00000000000000b1', '00000000000000b2']);
    expect(y('00000000000000a2')).toBe('translate(0,0)');
    fireEvent.doubleClick(container.querySelector('.flame [data-span-id="00000000000000b1"]')!);
    expect(screen.getByLabelText('Span detail').querySelector('h2')!.textContent).toBe('POST /cart');
    expect(screen.getByRole('tree')).toBeTruthy(); // back on the timeline
  });
});
