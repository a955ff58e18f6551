import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TraceSummary } from './api';
import { AttributeInput } from './components/AttributeInput';
import { SearchPage } from './pages/SearchPage';

afterEach(() => vi.unstubAllGlobals());

const summary = (id: string, start: number, dur: number, spans: number, errors = 0): TraceSummary => ({
  traceId: id.padEnd(32, '0'), rootServiceName: 'web', rootSpanName: `op-${id}`, startTimeUnixNano: '0',
  startTimeUnixMicros: start, durationNanos: dur, spanCount: spans, errorCount: errors,
  services: [{ name: 'web', spanCount: spans }],
});

function stubApi(traces: TraceSummary[], services = ['web', 'db']) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    calls.push(url);
    const body = url.startsWith('/api/spanwise/services') ? { services }
      : url.startsWith('/api/spanwise/search') ? { traces }
        : url.startsWith('/api/spanwise/attributes/keys') ? { keys: ['http.route', 'http.status_code'] }
          : url.startsWith('/api/spanwise/attributes/values') ? { values: ['200', '500'] }
            : url.startsWith('/api/spanwise/operations') ? { operations: [{ name: 'GET /', kind: 'server' }] }
              : {};
    return new Response(JSON.stringify(body), { status: 200 });
  }));
  return calls;
}

function Where() {
  const l = useLocation();
  return <output data-testid="where">{l.pathname + l.search}</output>;
}

function renderSearch(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Routes><Route path="/search" element={<><SearchPage /><Where /></>} /><Route path="/trace/:id" element={<Where />} /></Routes>
    </MemoryRouter>,
  );
}

describe('search page', () => {
  const traces = [
    summary('a', 3_000_000, 5e6, 3), summary('b', 1_000_000, 90e6, 2, 1), summary('c', 2_000_000, 20e6, 40),
  ];

  it('asks the API with the URL state and sorts results by time, duration and spans', async () => {
    const calls = stubApi(traces);
    const { container } = renderSearch('/search?service=web&attr=http.status_code%3D500&lookback=6h&sort=duration');
    await screen.findByText('op-b');
    const search = calls.find((c) => c.startsWith('/api/spanwise/search'))!;
    const q = new URLSearchParams(search.split('?')[1]);
    expect(q.get('service')).toBe('web');
    expect(q.getAll('attr')).toEqual(['http.status_code=500']);
    expect(q.get('lookback')).toBe('6h');
    const order = () => [...container.querySelectorAll('.result .op-name')].map((e) => e.textContent);
    expect(order()).toEqual(['op-b', 'op-c', 'op-a']);
    fireEvent.click(screen.getByText('Most spans'));
    await waitFor(() => expect(order()).toEqual(['op-c', 'op-a', 'op-b']));
    fireEvent.click(screen.getByText('Most recent'));
    await waitFor(() => expect(order()).toEqual(['op-a', 'op-c', 'op-b']));
    expect(container.querySelectorAll('.result.has-error')).toHaveLength(1);
    expect(container.querySelectorAll('circle.dot.error')).toHaveLength(1);
  });

  it('puts the submitted form in the URL and refuses a bad duration', async () => {
    stubApi(traces);
    renderSearch('/search');
    await screen.findByText('op-a');
    fireEvent.change(screen.getByPlaceholderText('e.g. 100ms'), { target: { value: 'slow' } });
    fireEvent.click(screen.getByText('Find traces'));
    expect(screen.getByRole('alert').textContent).toContain('Min duration "slow" is not a duration');
    fireEvent.change(screen.getByPlaceholderText('e.g. 100ms'), { target: { value: '250ms' } });
    fireEvent.click(screen.getByText('+ add attribute filter'));
    fireEvent.change(screen.getByLabelText('Attribute filter'), { target: { value: 'http.route=/cart' } });
    fireEvent.click(screen.getByText('Find traces'));
    await waitFor(() => expect(screen.getByTestId('where').textContent)
      .toBe('/search?attr=http.route%3D%2Fcart&minDuration=250ms'));
  });

  it('opens a trace from a dot of the scatter plot', async () => {
    stubApi(traces);
    const { container } = renderSearch('/search');
    await screen.findByText('op-a');
    fireEvent.click(container.querySelector(`circle[data-trace-id="${'b'.padEnd(32, '0')}"]`)!);
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe(`/trace/${'b'.padEnd(32, '0')}`));
  });

  it('says how to send spans when there are none', async () => {
    stubApi([], []);
    renderSearch('/search');
    await screen.findByText('No traces yet');
    expect(screen.getByText(/curl -X POST http:\/\/localhost:4318\/v1\/traces/)).toBeTruthy();
  });
});

describe('attribute filter autocomplete', () => {
  it('offers keys, then the values of the typed key', async () => {
    const calls = stubApi([]);
    const { container, rerender } = render(
      <AttributeInput value="http" keys={['http.route', 'http.status_code', 'db.system']} onChange={() => {}} onRemove={() => {}} />,
    );
    const options = () => [...container.querySelectorAll('datalist option')].map((o) => o.getAttribute('value'));
    expect(options()).toEqual(['http.route', 'http.status_code']);
    rerender(<AttributeInput value="http.status_code=5" keys={[]} onChange={() => {}} onRemove={() => {}} />);
    await waitFor(() => expect(options()).toEqual(['http.status_code=200', 'http.status_code=500']));
    expect(calls).toContain('/api/spanwise/attributes/values?key=http.status_code&prefix=5&limit=50');
  });
});
