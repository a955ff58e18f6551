import { describe, expect, it } from 'vitest';
import { DEFAULT_SEARCH, searchFromUrl, searchToApi, searchToUrl, type SearchState } from './searchState';

describe('search state in the URL', () => {
  it('round-trips every field', () => {
    const s: SearchState = {
      service: 'check out & pay', operation: 'GET /cart?x=1', attrs: ['http.status_code=500', 'user.id=a=b', 'peer.service'],
      errorsOnly: true, minDuration: '100ms', maxDuration: '2s', lookback: 'custom',
      start: '2026-11-25T12:00:00.000Z', end: '2026-11-25T13:00:00.000Z', limit: 50, sort: 'duration',
    };
    expect(searchFromUrl(searchToUrl(s))).toEqual(s);
  });

  it('leaves defaults out of the URL and restores them', () => {
    expect(searchToUrl(DEFAULT_SEARCH)).toBe('');
    expect(searchFromUrl('')).toEqual(DEFAULT_SEARCH);
    expect(searchToUrl({ ...DEFAULT_SEARCH, service: 'api' })).toBe('service=api');
  });

  it('drops start and end unless the range is custom', () => {
    const url = searchToUrl({ ...DEFAULT_SEARCH, lookback: '6h', start: '2026-01-01T00:00:00Z', end: 'x' });
    expect(url).toBe('lookback=6h');
  });

  it('replaces bad values with defaults instead of failing', () => {
    const s = searchFromUrl('limit=-3&sort=nonsense&attr=&lookback=');
    expect(s.limit).toBe(20);
    expect(s.sort).toBe('time');
    expect(s.attrs).toEqual([]);
    expect(s.lookback).toBe('1h');
    expect(searchFromUrl('limit=999999').limit).toBe(10000);
  });

  it('asks the API with its parameter names', () => {
    const api = new URLSearchParams(searchToApi({
      ...DEFAULT_SEARCH, service: 'api', attrs: ['a=1', 'b=2'], errorsOnly: true, minDuration: '1ms', sort: 'spans',
    }));
    expect(api.get('service')).toBe('api');
    expect(api.getAll('attr')).toEqual(['a=1', 'b=2']);
    expect(api.get('error')).toBe('true');
    expect(api.get('minDuration')).toBe('1ms');
    expect(api.get('lookback')).toBe('1h');
    expect(api.get('limit')).toBe('20');
    expect(api.has('sort')).toBe(false);
    const custom = new URLSearchParams(searchToApi({ ...DEFAULT_SEARCH, lookback: 'custom', start: 's', end: 'e' }));
    expect(custom.get('start')).toBe('s');
    expect(custom.has('lookback')).toBe(false);
  });
});
