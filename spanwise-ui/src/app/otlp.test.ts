import { describe, expect, it } from 'vitest';
import { anyValueText, parseTrace, spanKind, statusCode } from './otlp';
import { span, str, T0, traceOf, TRACE_ID } from '../test/fixtures';

describe('parseTrace', () => {
  it('puts times relative to the earliest span with nanosecond precision', () => {
    const data = traceOf({
      frontend: [{ ...span('a1', '', 'GET /', 0, 10), startTimeUnixNano: String(T0 + 1n), endTimeUnixNano: String(T0 + 10_000_001n) }],
      backend: [{ ...span('b1', 'a1', 'query', 2, 5), startTimeUnixNano: String(T0 + 2_000_003n), endTimeUnixNano: String(T0 + 5_000_003n) }],
    });
    const t = parseTrace(data);
    expect(t.traceId).toBe(TRACE_ID);
    expect(t.startUnixNanos).toBe(T0 + 1n);
    expect(t.durationNanos).toBe(10_000_000);
    const b = t.spans.find((s) => s.spanId === 'b1')!;
    expect(b.startNanos).toBe(2_000_002);
    expect(b.durationNanos).toBe(3_000_000);
    expect(b.service).toBe('backend');
    expect(b.resource).toContainEqual({ key: 'host.name', value: 'backend-1' });
    expect(b.scope).toBe('test-scope 1.0');
    expect(t.services).toEqual(['backend', 'frontend']);
  });

  it('reads kind, status, events relative to the trace start, links and attribute types', () => {
    const data = traceOf({
      svc: [span('a1', '', 'work', 0, 100, {
        kind: 3,
        status: { code: 2, message: 'boom' },
        attributes: [str('http.method', 'GET'), { key: 'n', value: { intValue: '42' } }, { key: 'ok', value: { boolValue: false } }],
        events: [{ name: 'retry', timeUnixNano: String(T0 + 25_000_000n), attributes: [str('attempt', '2')] }],
        links: [{ traceId: 'ABCDEF0123456789ABCDEF0123456789', spanId: '00F067AA0BA902B7' }],
      })],
    });
    const s = parseTrace(data).spans[0];
    expect(s.kind).toBe('client');
    expect(s.statusCode).toBe('error');
    expect(s.isError).toBe(true);
    expect(s.statusMessage).toBe('boom');
    expect(s.attributes).toEqual([
      { key: 'http.method', value: 'GET' }, { key: 'n', value: '42' }, { key: 'ok', value: 'false' },
    ]);
    expect(s.events).toEqual([{ name: 'retry', offsetNanos: 25_000_000, attributes: [{ key: 'attempt', value: '2' }] }]);
    expect(s.links[0]).toMatchObject({ traceId: 'abcdef0123456789abcdef0123456789', spanId: '00f067aa0ba902b7' });
  });

  it('names a span without service.name unknown_service and survives an empty trace', () => {
    const t = parseTrace({ resourceSpans: [{ scopeSpans: [{ spans: [span('a', '', 'x', 0, 1)] }] }] });
    expect(t.spans[0].service).toBe('unknown_service');
    const empty = parseTrace({}, 'abc');
    expect(empty.spans).toEqual([]);
    expect(empty.traceId).toBe('abc');
    expect(empty.durationNanos).toBe(0);
  });
});

describe('value helpers', () => {
  it('maps numeric and enum kinds and status codes', () => {
    expect(spanKind(2)).toBe('server');
    expect(spanKind('SPAN_KIND_CONSUMER')).toBe('consumer');
    expect(spanKind(undefined)).toBe('unspecified');
    expect(spanKind(99)).toBe('unspecified');
    expect(statusCode('STATUS_CODE_ERROR')).toBe('error');
    expect(statusCode(1)).toBe('ok');
    expect(statusCode(undefined)).toBe('unset');
  });

  it('writes arrays and maps as JSON-like text', () => {
    expect(anyValueText({ arrayValue: { values: [{ stringValue: 'a' }, { intValue: 3 }] } })).toBe('["a", 3]');
    expect(anyValueText({ kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } })).toBe('{"k": "v"}');
    expect(anyValueText({ doubleValue: 1.5 })).toBe('1.5');
    expect(anyValueText(undefined)).toBe('');
  });
});
