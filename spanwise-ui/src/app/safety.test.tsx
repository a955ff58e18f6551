import { render, screen } from '@testing-library/react';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { TraceSummary } from './api';
import { ServiceGraph } from './pages/MapPage';
import { ResultList } from './pages/SearchPage';
import { TraceView } from './pages/TracePage';
import { span, traceOf, TRACE_ID } from '../test/fixtures';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>window.__pwned = true</script>';

function expectNoInjectedElements(container: HTMLElement) {
  expect(container.querySelector('img')).toBeNull();
  expect(container.querySelector('script')).toBeNull();
  expect((window as unknown as { __pwned?: boolean }).__pwned).toBeUndefined();
}

describe('attacker-controlled text renders as text', () => {
  const data = traceOf({
    [IMG]: [
      span('aaaaaaaaaaaaaaaa', '', IMG, 0, 100, {
        attributes: [{ key: SCRIPT, value: { stringValue: IMG } }],
        events: [{ name: SCRIPT, timeUnixNano: undefined }],
        status: { code: 2, message: IMG },
      }),
      span('bbbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaaa', SCRIPT, 10, 50),
    ],
  });

  it('in the waterfall and the span detail', () => {
    const { container } = render(
      <MemoryRouter initialEntries={[`/trace/${TRACE_ID}?span=aaaaaaaaaaaaaaaa`]}>
        <TraceView traceId={TRACE_ID} data={data} />
      </MemoryRouter>,
    );
    // span name in the heading, the waterfall row and the detail panel
    expect(screen.getAllByText(IMG).length).toBeGreaterThanOrEqual(3);
    expect(screen.getAllByText(SCRIPT).length).toBeGreaterThanOrEqual(2);
    const row = container.querySelector('[data-span-id="bbbbbbbbbbbbbbbb"]');
    expect(row?.textContent).toContain(SCRIPT);
    const detail = screen.getByLabelText('Span detail');
    expect(detail.textContent).toContain(SCRIPT); // attribute key
    expect(detail.querySelector('h2')!.textContent).toBe(IMG);
    expectNoInjectedElements(container);
  });

  it('in the search results', () => {
    const summary: TraceSummary = {
      traceId: TRACE_ID, rootServiceName: SCRIPT, rootSpanName: IMG, startTimeUnixNano: '0',
      startTimeUnixMicros: 1_795_608_000_000_000, durationNanos: 5e6, spanCount: 2, errorCount: 1,
      services: [{ name: IMG, spanCount: 2 }],
    };
    const { container } = render(<MemoryRouter><ResultList traces={[summary]} maxDuration={5e6} /></MemoryRouter>);
    expect(screen.getByText(SCRIPT)).toBeTruthy();
    expect(screen.getAllByText(IMG, { exact: false }).length).toBe(2);
    expectNoInjectedElements(container);
  });

  it('in the service map', () => {
    const { container } = render(
      <MemoryRouter>
        <ServiceGraph deps={[{ parent: IMG, child: SCRIPT, callCount: 3, errorCount: 1 }]} lookback="1h" />
      </MemoryRouter>,
    );
    const node = [...container.querySelectorAll('[data-service]')].find((n) => n.getAttribute('data-service') === IMG);
    expect(node!.querySelector('text')!.textContent).toBe(IMG);
    expect(container.querySelector('[data-edge] text')!.textContent).toBe('3 (1 err)');
    expectNoInjectedElements(container);
  });

  it('is never bypassed in the source', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f) && !f.endsWith('.test.tsx')) files.push(p);
      }
    };
    walk(join(__dirname));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      expect(src, f).not.toMatch(/dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    }
  });
});

describe('long values', () => {
  it('are truncated with an expander', async () => {
    const long = 'x'.repeat(1000);
    const data = traceOf({ svc: [span('aaaaaaaaaaaaaaaa', '', 'op', 0, 1, { attributes: [{ key: 'big', value: { stringValue: long } }] })] });
    render(
      <MemoryRouter initialEntries={[`/trace/${TRACE_ID}?span=aaaaaaaaaaaaaaaa`]}>
        <TraceView traceId={TRACE_ID} data={data} />
      </MemoryRouter>,
    );
    const button = screen.getByText('show all 1,000 characters');
    expect(screen.queryByText(long)).toBeNull();
    button.click();
    expect(await screen.findByText(long)).toBeTruthy();
  });
});
