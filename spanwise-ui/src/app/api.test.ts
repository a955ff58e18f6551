import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, normalizeTraceId } from './api';
import { layoutGraph } from './pages/MapPage';

afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body: string) {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status })));
}

describe('api', () => {
  it('turns the API error body into an ApiError with its message and parameter', async () => {
    answer(400, JSON.stringify({ error: { status: 400, parameter: 'minDuration', message: "parameter 'minDuration' is not a duration" } }));
    const err = await api.search('minDuration=x').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe("parameter 'minDuration' is not a duration");
    expect(err.status).toBe(400);
    expect(err.parameter).toBe('minDuration');
  });

  it('keeps the text of a non-JSON error', async () => {
    answer(503, 'storage unavailable');
    await expect(api.services()).rejects.toThrow('storage unavailable');
  });

  it('says the server cannot be reached when fetch fails', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    await expect(api.services()).rejects.toThrow(/Could not reach the Spanwise API/);
  });

  it('asks the documented routes', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ services: ['a'], values: ['v'] }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    expect(await api.services()).toEqual(['a']);
    await api.attributeValues('http.route', '/a b');
    expect(fetchMock.mock.calls.map((c) => (c as unknown[])[0])).toEqual([
      '/api/spanwise/services',
      '/api/spanwise/attributes/values?key=http.route&prefix=%2Fa%20b&limit=50',
    ]);
  });

  it('accepts only hex trace ids', () => {
    expect(normalizeTraceId(' 4BF92F3577B34DA6A3CE929D0E0E4736 ')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(normalizeTraceId('../api')).toBeNull();
    expect(normalizeTraceId('')).toBeNull();
    expect(normalizeTraceId('a'.repeat(33))).toBeNull();
  });
});

describe('service map layout', () => {
  it('places every service and draws caller before callee, left to right', () => {
    const layout = layoutGraph([
      { parent: 'frontend', child: 'cart', callCount: 10, errorCount: 0 },
      { parent: 'cart', child: 'db', callCount: 7, errorCount: 2 },
      { parent: 'db', child: 'db', callCount: 1, errorCount: 0 },
    ]);
    const x = Object.fromEntries(layout.nodes.map((n) => [n.name, n.x]));
    expect(Object.keys(x).sort()).toEqual(['cart', 'db', 'frontend']);
    expect(x.frontend).toBeLessThan(x.cart);
    expect(x.cart).toBeLessThan(x.db);
    expect(layout.edges).toHaveLength(3);
    for (const e of layout.edges) expect(e.path).toMatch(/^M [\d.]+ [\d.]+/);
  });
});
