// OTLP JSON (TracesData) as the Spanwise API returns it, and its flattening into display spans.
// Every string here comes from whoever sent the spans: render it as text only.

export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
}

export interface KeyValue {
  key: string;
  value?: AnyValue;
}

export interface OtlpEvent {
  timeUnixNano?: string;
  name?: string;
  attributes?: KeyValue[];
}

export interface OtlpLink {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  attributes?: KeyValue[];
}

export interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  traceState?: string;
  name?: string;
  kind?: number | string;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: KeyValue[];
  events?: OtlpEvent[];
  links?: OtlpLink[];
  status?: { code?: number | string; message?: string };
}

export interface TracesData {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    schemaUrl?: string;
    scopeSpans?: {
      scope?: { name?: string; version?: string; attributes?: KeyValue[] };
      spans?: OtlpSpan[];
    }[];
  }[];
}

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type StatusCode = 'unset' | 'ok' | 'error';

export interface Attribute {
  key: string;
  value: string;
}

export interface SpanEvent {
  name: string;
  /** Nanoseconds since the trace start. */
  offsetNanos: number;
  attributes: Attribute[];
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attribute[];
}

/** A span ready for display: times relative to the trace start, attributes as text. */
export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string;
  kind: SpanKind;
  statusCode: StatusCode;
  statusMessage: string;
  /** Nanoseconds since the trace start (the earliest span start). */
  startNanos: number;
  durationNanos: number;
  attributes: Attribute[];
  resource: Attribute[];
  scope: string;
  events: SpanEvent[];
  links: SpanLink[];
  isError: boolean;
}

export interface ParsedTrace {
  traceId: string;
  /** Earliest span start, nanoseconds since the epoch (exact). */
  startUnixNanos: bigint;
  durationNanos: number;
  spans: Span[];
  services: string[];
}

const KINDS: SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

export function spanKind(kind: number | string | undefined): SpanKind {
  if (typeof kind === 'number') return KINDS[kind] ?? 'unspecified';
  if (typeof kind === 'string') {
    const k = kind.toLowerCase().replace('span_kind_', '') as SpanKind;
    return KINDS.includes(k) ? k : 'unspecified';
  }
  return 'unspecified';
}

export function statusCode(code: number | string | undefined): StatusCode {
  if (code === 2 || code === 'STATUS_CODE_ERROR' || code === 'ERROR') return 'error';
  if (code === 1 || code === 'STATUS_CODE_OK' || code === 'OK') return 'ok';
  return 'unset';
}

/** An attribute value as text, the way a reader expects to see it. */
export function anyValueText(v: AnyValue | undefined): string {
  if (!v) return '';
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue) return '[' + (v.arrayValue.values ?? []).map(anyValueJson).join(', ') + ']';
  if (v.kvlistValue) {
    return (
      '{' +
      (v.kvlistValue.values ?? []).map((kv) => JSON.stringify(kv.key) + ': ' + anyValueJson(kv.value)).join(', ') +
      '}'
    );
  }
  return '';
}

function anyValueJson(v: AnyValue | undefined): string {
  if (v && v.stringValue !== undefined) return JSON.stringify(v.stringValue);
  return anyValueText(v);
}

export function attributes(kvs: KeyValue[] | undefined): Attribute[] {
  return (kvs ?? []).map((kv) => ({ key: String(kv.key ?? ''), value: anyValueText(kv.value) }));
}

function nanos(s: string | number | undefined): bigint {
  if (s === undefined || s === null || s === '') return 0n;
  try {
    return BigInt(typeof s === 'number' ? Math.round(s) : s);
  } catch {
    return 0n;
  }
}

/** Flattens OTLP JSON into display spans, times relative to the earliest start. */
export function parseTrace(data: TracesData, traceIdHint = ''): ParsedTrace {
  const raw: { span: OtlpSpan; service: string; resource: Attribute[]; scope: string }[] = [];
  for (const rs of data.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    const service = resource.find((a) => a.key === 'service.name')?.value || 'unknown_service';
    for (const ss of rs.scopeSpans ?? []) {
      const scope = [ss.scope?.name, ss.scope?.version].filter(Boolean).join(' ');
      for (const span of ss.spans ?? []) raw.push({ span, service, resource, scope });
    }
  }
  let start: bigint | undefined;
  let end: bigint | undefined;
  for (const { span } of raw) {
    const s = nanos(span.startTimeUnixNano);
    const e = nanos(span.endTimeUnixNano);
    if (start === undefined || s < start) start = s;
    const last = e > s ? e : s;
    if (end === undefined || last > end) end = last;
  }
  const base = start ?? 0n;
  const spans: Span[] = raw.map(({ span, service, resource, scope }) => {
    const s = nanos(span.startTimeUnixNano);
    const e = nanos(span.endTimeUnixNano);
    const status = statusCode(span.status?.code);
    return {
      traceId: (span.traceId ?? traceIdHint).toLowerCase(),
      spanId: (span.spanId ?? '').toLowerCase(),
      parentSpanId: (span.parentSpanId ?? '').toLowerCase(),
      name: span.name ?? '',
      service,
      kind: spanKind(span.kind),
      statusCode: status,
      statusMessage: span.status?.message ?? '',
      startNanos: Number(s - base),
      durationNanos: e > s ? Number(e - s) : 0,
      attributes: attributes(span.attributes),
      resource,
      scope,
      events: (span.events ?? []).map((ev) => ({
        name: ev.name ?? '',
        offsetNanos: Number(nanos(ev.timeUnixNano) - base),
        attributes: attributes(ev.attributes),
      })),
      links: (span.links ?? []).map((l) => ({
        traceId: (l.traceId ?? '').toLowerCase(),
        spanId: (l.spanId ?? '').toLowerCase(),
        attributes: attributes(l.attributes),
      })),
      isError: status === 'error',
    };
  });
  const services = [...new Set(spans.map((s) => s.service))].sort();
  return {
    traceId: (spans[0]?.traceId || traceIdHint).toLowerCase(),
    startUnixNanos: base,
    durationNanos: start !== undefined && end !== undefined ? Number(end - start) : 0,
    spans,
    services,
  };
}
