import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { indexAnalysis } from './analysis';
import type { TraceAnalysis } from './api';
import { parseTrace } from './otlp';
import { TraceView } from './pages/TracePage';
import { buildSpanTree } from './spanTree';
import { span, T0, traceOf, TRACE_ID } from '../test/fixtures';

const ms = (n: number) => String(T0 + BigInt(n * 1e6));

const data = traceOf({
  frontend: [span('00000000000000a1', '', 'GET /', 0, 100)],
  backend: [
    span('00000000000000b1', '00000000000000a1', 'fast', 10, 20),
    span('00000000000000b2', '00000000000000a1', 'slow', 15, 90),
  ],
});

const analysis: TraceAnalysis = {
  traceId: TRACE_ID, clockSkewCorrected: true, startTimeUnixNano: ms(0), durationNanos: 100e6,
  criticalPath: [{
    rootSpanId: '00000000000000a1', rootKind: 'server', durationNanos: 100e6,
    segments: [
      { spanId: '00000000000000a1', kind: 'server', startTimeUnixNano: ms(0), endTimeUnixNano: ms(15), durationNanos: 15e6 },
      { spanId: '00000000000000b2', kind: 'server', startTimeUnixNano: ms(15), endTimeUnixNano: ms(90), durationNanos: 75e6 },
      { spanId: '00000000000000a1', kind: 'server', startTimeUnixNano: ms(90), endTimeUnixNano: ms(100), durationNanos: 10e6 },
    ],
  }],
  spans: [
    { spanId: '00000000000000a1', kind: 'server', parentSpanId: null, serviceName: 'frontend', name: 'GET /', asynchronous: false, selfTimeNanos: 20e6, criticalPathNanos: 25e6, warnings: [] },
    { spanId: '00000000000000b1', kind: 'server', parentSpanId: '00000000000000a1', serviceName: 'backend', name: 'fast', asynchronous: false, selfTimeNanos: 10e6, criticalPathNanos: 0, warnings: [] },
    { spanId: '00000000000000b2', kind: 'server', parentSpanId: '00000000000000a1', serviceName: 'backend', name: 'slow', asynchronous: false, selfTimeNanos: 75e6, criticalPathNanos: 75e6, warnings: ['clock skew adjusted by 40ms'] },
  ],
  statistics: [
    { serviceName: 'backend', operationName: 'slow', count: 1, totalDurationNanos: 75e6, selfTimeNanos: 75e6, criticalPathNanos: 75e6, minDurationNanos: 75e6, avgDurationNanos: 75e6, maxDurationNanos: 75e6 },
    { serviceName: 'frontend', operationName: 'GET /', count: 1, totalDurationNanos: 100e6, selfTimeNanos: 20e6, criticalPathNanos: 25e6, minDurationNanos: 100e6, avgDurationNanos: 100e6, maxDurationNanos: 100e6 },
  ],
};

function renderView(path = `/trace/${TRACE_ID}`) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <TraceView traceId={TRACE_ID} data={data} analysis={analysis}
        response={{ clockSkewCorrected: true, warnings: [{ spanId: '00000000000000b2', kind: 'server', deltaNanos: 40e6, message: 'clock skew adjusted by 40ms' }] }} />
    </MemoryRouter>,
  );
}

describe('server analysis in the trace view', () => {
  it('indexes segments on the trace time base and by span id and kind', () => {
    const trace = parseTrace(data);
    const tree = buildSpanTree(trace.spans);
    const index = indexAnalysis(tree, analysis, undefined, trace.startUnixNanos);
    expect(index.get('00000000000000a1')!.segments).toEqual([
      { startNanos: 0, endNanos: 15e6 }, { startNanos: 90e6, endNanos: 100e6 },
    ]);
    expect(index.get('00000000000000b2')!.criticalPathNanos).toBe(75e6);
    expect(index.get('00000000000000b1')!.criticalPathNanos).toBe(0);
    expect(index.get('00000000000000b2')!.warnings).toEqual(['clock skew adjusted by 40ms']);
  });

  it('marks the critical path on the bars and filters to it', () => {
    const { container } = renderView();
    const row = (id: string) => container.querySelector(`[data-span-id="${id}"]`)!;
    expect(row('00000000000000b2').className).toContain('on-critical-path');
    expect(row('00000000000000b1').className).not.toContain('on-critical-path');
    expect(row('00000000000000a1').querySelectorAll('.critical')).toHaveLength(2);
    expect(row('00000000000000b2').querySelector('.skew')).not.toBeNull();
    fireEvent.click(screen.getByLabelText('critical path only'));
    const ids = [...container.querySelectorAll('[data-span-id]')].map((r) => r.getAttribute('data-span-id'));
    expect(ids).toEqual(['00000000000000a1', '00000000000000b2']);
  });

  it('shows critical-path time and the skew warning in the detail', () => {
    renderView(`/trace/${TRACE_ID}?span=00000000000000b2`);
    const detail = screen.getByLabelText('Span detail');
    expect(detail.textContent).toContain('Critical path75ms');
    expect(detail.textContent).toContain('clock skew adjusted by 40ms');
    expect(screen.getByText('1 span shifted for clock skew')).toBeTruthy();
  });

  it('lists statistics per service and operation, sorted by self time', () => {
    renderView(`/trace/${TRACE_ID}?view=stats`);
    const rows = [...document.querySelectorAll('table.stats tbody tr')].map((r) => r.textContent);
    expect(rows[0]).toContain('backendslow1');
    expect(rows[1]).toContain('frontendGET /1100ms20ms25ms');
  });
});

describe('Zipkin shared spans', () => {
  it('draws the server side under the client side with the same span id', () => {
    const shared = traceOf({
      web: [span('00000000000000a1', '', 'GET /', 0, 100), span('00000000000000c1', '00000000000000a1', 'call', 10, 50, { kind: 3 })],
      api: [span('00000000000000c1', '00000000000000a1', 'handle', 12, 48, { kind: 2 })],
    });
    const tree = buildSpanTree(parseTrace(shared).spans);
    const client = tree.byId.get('00000000000000c1')!;
    expect(client.span.kind).toBe('client');
    expect(client.children.map((c) => c.uid)).toEqual(['00000000000000c1:server']);
    expect(tree.byId.get('00000000000000c1:server')!.depth).toBe(2);
  });
});

describe('slowest span', () => {
  it('is the span holding most of the critical path, one click away', () => {
    renderView();
    const button = screen.getByText(/^Slowest:/);
    expect(button.textContent).toBe('Slowest: backend slow (75ms on the critical path)');
    fireEvent.click(button);
    expect(screen.getByLabelText('Span detail').querySelector('h2')!.textContent).toBe('slow');
  });

  it('falls back to the most self time without an analysis', () => {
    render(<MemoryRouter><TraceView traceId={TRACE_ID} data={data} /></MemoryRouter>);
    // GET / keeps 0-10 and 90-100 (20ms); slow has 75ms of its own
    expect(screen.getByText(/^Slowest:/).textContent).toBe('Slowest: backend slow (75ms self time)');
  });
});
