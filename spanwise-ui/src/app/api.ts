import type { TracesData } from './otlp';

/** An error answered by the API (its message) or a failure to reach it. */
export class ApiError extends Error {
  readonly status: number;
  readonly parameter: string | undefined;
  constructor(message: string, status: number, parameter?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.parameter = parameter;
  }
}

export interface TraceSummary {
  traceId: string;
  rootServiceName: string;
  rootSpanName: string;
  startTimeUnixNano: string;
  startTimeUnixMicros: number;
  durationNanos: number;
  spanCount: number;
  errorCount: number;
  services: { name: string; spanCount: number }[];
}

export interface Dependency {
  parent: string;
  child: string;
  callCount: number;
  errorCount: number;
}

/** A span shifted (or refused a shift) by the server's clock-skew correction. */
export interface SkewWarning {
  spanId: string;
  kind: string;
  deltaNanos: number;
  message: string;
}

export interface TraceResponse {
  summary: TraceSummary;
  trace: TracesData;
  clockSkewCorrected?: boolean;
  warnings?: SkewWarning[];
}

export interface CriticalPathSegment {
  spanId: string;
  kind: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationNanos: number;
}

export interface AnalysisSpan {
  spanId: string;
  kind: string;
  parentSpanId: string | null;
  serviceName: string;
  name: string;
  asynchronous: boolean;
  selfTimeNanos: number;
  criticalPathNanos: number;
  warnings: string[];
}

export interface OperationStatistics {
  serviceName: string;
  operationName: string;
  count: number;
  totalDurationNanos: number;
  selfTimeNanos: number;
  criticalPathNanos: number;
  minDurationNanos: number;
  avgDurationNanos: number;
  maxDurationNanos: number;
}

/** GET /api/spanwise/traces/{id}/analysis: computed on the server by spanwise-analysis. */
export interface TraceAnalysis {
  traceId: string;
  clockSkewCorrected: boolean;
  startTimeUnixNano: string;
  durationNanos: number;
  criticalPath: { rootSpanId: string; rootKind: string; durationNanos: number; segments: CriticalPathSegment[] }[];
  spans: AnalysisSpan[];
  statistics: OperationStatistics[];
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(`Could not reach the Spanwise API (${(e as Error).message}). Is the server running?`, 0);
  }
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: fall through
  }
  if (!res.ok) {
    const err = (body as { error?: { message?: string; parameter?: string } } | undefined)?.error;
    const message = err?.message || text.slice(0, 500) || `${res.status} ${res.statusText}`;
    throw new ApiError(message, res.status, err?.parameter);
  }
  if (body === undefined) throw new ApiError(`The API answered ${path} with something that is not JSON`, res.status);
  return body as T;
}

const enc = encodeURIComponent;

export const api = {
  services: (signal?: AbortSignal) =>
    getJson<{ services: string[] }>('/api/spanwise/services', signal).then((r) => r.services ?? []),
  operations: (service: string, signal?: AbortSignal) =>
    getJson<{ operations: { name: string; kind: string }[] }>(
      `/api/spanwise/operations?service=${enc(service)}`, signal,
    ).then((r) => r.operations ?? []),
  search: (query: string, signal?: AbortSignal) =>
    getJson<{ traces: TraceSummary[] }>(`/api/spanwise/search?${query}`, signal).then((r) => r.traces ?? []),
  trace: (traceId: string, clockSkew = true, signal?: AbortSignal) =>
    getJson<TraceResponse>(`/api/spanwise/traces/${enc(traceId)}${clockSkew ? '' : '?clockSkew=false'}`, signal),
  analysis: (traceId: string, clockSkew = true, signal?: AbortSignal) =>
    getJson<TraceAnalysis>(
      `/api/spanwise/traces/${enc(traceId)}/analysis${clockSkew ? '' : '?clockSkew=false'}`, signal),
  attributeKeys: (service: string, signal?: AbortSignal) =>
    getJson<{ keys: string[] }>(
      `/api/spanwise/attributes/keys${service ? `?service=${enc(service)}` : ''}`, signal,
    ).then((r) => r.keys ?? []),
  attributeValues: (key: string, prefix: string, signal?: AbortSignal) =>
    getJson<{ values: string[] }>(
      `/api/spanwise/attributes/values?key=${enc(key)}&prefix=${enc(prefix)}&limit=50`, signal,
    ).then((r) => r.values ?? []),
  dependencies: (startMicros: number, endMicros: number, signal?: AbortSignal) =>
    getJson<{ dependencies: Dependency[] }>(
      `/api/spanwise/dependencies?start=${Math.floor(startMicros)}&end=${Math.floor(endMicros)}`, signal,
    ).then((r) => r.dependencies ?? []),
};

/** Lower-case hex of 1 to 32 digits, or null. */
export function normalizeTraceId(text: string): string | null {
  const t = text.trim().toLowerCase();
  return /^[0-9a-f]{1,32}$/.test(t) ? t : null;
}
