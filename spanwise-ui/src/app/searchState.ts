// The search form's state, kept in the URL (/search?service=..&attr=k=v&lookback=1h...) so that a
// search can be shared, bookmarked and navigated back to.

export const LOOKBACK_PRESETS = [
  { value: '15m', label: 'Last 15 minutes' },
  { value: '1h', label: 'Last hour' },
  { value: '6h', label: 'Last 6 hours' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
] as const;

export type SortOrder = 'time' | 'duration' | 'spans';

export interface SearchState {
  service: string;
  operation: string;
  /** `key=value` or a bare `key` (presence). */
  attrs: string[];
  errorsOnly: boolean;
  minDuration: string;
  maxDuration: string;
  /** A preset such as `1h`, or `custom` (then start and end are used). */
  lookback: string;
  /** RFC 3339 times, only with lookback `custom`. */
  start: string;
  end: string;
  limit: number;
  sort: SortOrder;
}

export const DEFAULT_SEARCH: SearchState = {
  service: '',
  operation: '',
  attrs: [],
  errorsOnly: false,
  minDuration: '',
  maxDuration: '',
  lookback: '1h',
  start: '',
  end: '',
  limit: 20,
  sort: 'time',
};

const SORTS: SortOrder[] = ['time', 'duration', 'spans'];

export function searchFromUrl(query: string | URLSearchParams): SearchState {
  const p = typeof query === 'string' ? new URLSearchParams(query) : query;
  const limit = Number.parseInt(p.get('limit') ?? '', 10);
  const sort = p.get('sort') as SortOrder;
  return {
    service: p.get('service') ?? '',
    operation: p.get('operation') ?? '',
    attrs: p.getAll('attr').filter((a) => a.trim() !== ''),
    errorsOnly: p.get('error') === 'true',
    minDuration: p.get('minDuration') ?? '',
    maxDuration: p.get('maxDuration') ?? '',
    lookback: p.get('lookback') || DEFAULT_SEARCH.lookback,
    start: p.get('start') ?? '',
    end: p.get('end') ?? '',
    limit: Number.isFinite(limit) && limit > 0 ? Math.min(limit, 10000) : DEFAULT_SEARCH.limit,
    sort: SORTS.includes(sort) ? sort : 'time',
  };
}

/** The URL query for a state; default values are left out to keep links short. */
export function searchToUrl(s: SearchState): string {
  const p = new URLSearchParams();
  if (s.service) p.set('service', s.service);
  if (s.operation) p.set('operation', s.operation);
  for (const a of s.attrs) if (a.trim()) p.append('attr', a.trim());
  if (s.errorsOnly) p.set('error', 'true');
  if (s.minDuration) p.set('minDuration', s.minDuration.trim());
  if (s.maxDuration) p.set('maxDuration', s.maxDuration.trim());
  if (s.lookback !== DEFAULT_SEARCH.lookback) p.set('lookback', s.lookback);
  if (s.lookback === 'custom') {
    if (s.start) p.set('start', s.start);
    if (s.end) p.set('end', s.end);
  }
  if (s.limit !== DEFAULT_SEARCH.limit) p.set('limit', String(s.limit));
  if (s.sort !== 'time') p.set('sort', s.sort);
  return p.toString();
}

/** The query string for GET /api/spanwise/search. */
export function searchToApi(s: SearchState): string {
  const p = new URLSearchParams();
  if (s.service) p.set('service', s.service);
  if (s.operation) p.set('operation', s.operation);
  for (const a of s.attrs) if (a.trim()) p.append('attr', a.trim());
  if (s.errorsOnly) p.set('error', 'true');
  if (s.minDuration) p.set('minDuration', s.minDuration.trim());
  if (s.maxDuration) p.set('maxDuration', s.maxDuration.trim());
  if (s.lookback === 'custom') {
    if (s.start) p.set('start', s.start);
    if (s.end) p.set('end', s.end);
  } else {
    p.set('lookback', s.lookback);
  }
  p.set('limit', String(s.limit));
  return p.toString();
}
