import type { KeyValue, OtlpSpan, TracesData } from '../app/otlp';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
/** 2026-11-25T12:00:00Z in nanoseconds, beyond 2^53: exact only as text / BigInt. */
export const T0 = 1795608000000000000n;

export function str(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}

export function span(
  spanId: string, parentSpanId: string, name: string, startMs: number, endMs: number, extra: Partial<OtlpSpan> = {},
): OtlpSpan {
  return {
    traceId: TRACE_ID,
    spanId,
    parentSpanId,
    name,
    kind: 2,
    startTimeUnixNano: String(T0 + BigInt(Math.round(startMs * 1e6))),
    endTimeUnixNano: String(T0 + BigInt(Math.round(endMs * 1e6))),
    ...extra,
  };
}

export function traceOf(byService: Record<string, OtlpSpan[]>): TracesData {
  return {
    resourceSpans: Object.entries(byService).map(([service, spans]) => ({
      resource: { attributes: [str('service.name', service), str('host.name', `${service}-1`)] },
      scopeSpans: [{ scope: { name: 'test-scope', version: '1.0' }, spans }],
    })),
  };
}
