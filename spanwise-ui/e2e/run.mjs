// End-to-end test of the Spanwise UI in a real browser (Debian's chromium driven by playwright-core)
// against a real Spanwise all-in-one loaded with known traces over OTLP/HTTP JSON.
//
//   npm run e2e
//
// Environment:
//   SPANWISE_JAR        the all-in-one jar (default ../spanwise-server/target/spanwise.jar)
//   SPANWISE_QUERY_URL  use an already running server instead (with SPANWISE_OTLP_URL)
//   SPANWISE_OTLP_URL   its OTLP/HTTP base, e.g. http://127.0.0.1:4318
//   CHROMIUM            browser binary (default /usr/bin/chromium; installed with apt-get if missing)
//
// When the server does not serve the UI at / (a jar built before spanwise-ui was wired in), the
// built app (target/ui-dist) is served by `vite preview`, proxying /api to the server.
// Screenshots go to target/screenshots/.
import assert from 'node:assert/strict';
import { execSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const moduleDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const targetDir = join(moduleDir, 'target');
const shotsDir = join(targetDir, 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const children = [];
let failures = 0;

function log(...args) {
  console.log('[e2e]', ...args);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  log(`${CHROMIUM} is missing: installing Debian's chromium`);
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} still missing after apt-get install`);
}

// `n` different free loopback ports: every probe server stays open until all are taken, since a
// port closed before the next probe can be handed out again (and the server refuses two flags
// with the same port)
async function freePorts(n) {
  const servers = [];
  try {
    while (servers.length < n) {
      const srv = createServer();
      await new Promise((res, rej) => {
        srv.once('error', rej);
        srv.listen(0, '127.0.0.1', res);
      });
      servers.push(srv);
    }
    return servers.map((srv) => srv.address().port);
  } finally {
    await Promise.all(servers.map((srv) => new Promise((res) => srv.close(res))));
  }
}

function start(name, cmd, args, env = {}) {
  mkdirSync(targetDir, { recursive: true });
  const out = createWriteStream(join(targetDir, `e2e-${name}.log`));
  const child = spawn(cmd, args, { cwd: moduleDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  children.push(child);
  return child;
}

function stopAll() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
}

async function waitFor(what, fn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

async function startServer() {
  if (process.env.SPANWISE_QUERY_URL) {
    assert.ok(process.env.SPANWISE_OTLP_URL, 'SPANWISE_OTLP_URL is needed with SPANWISE_QUERY_URL');
    return { query: process.env.SPANWISE_QUERY_URL.replace(/\/$/, ''), otlp: process.env.SPANWISE_OTLP_URL.replace(/\/$/, '') };
  }
  const jar = process.env.SPANWISE_JAR ?? resolve(moduleDir, '../spanwise-server/target/spanwise.jar');
  assert.ok(existsSync(jar), `no server jar at ${jar}: build it (mvn -pl spanwise-server package) or set SPANWISE_JAR`);
  // every port, so nothing already listening on a default port gets in the way
  // (the UDP ports take free TCP numbers, which are free for UDP in practice)
  const [query, otlpHttp, otlpGrpc, zipkin, ...rest] = await freePorts(10);
  const others = ['--jaeger-thrift-http-port', '--jaeger-grpc-port', '--jaeger-compact-port',
    '--jaeger-binary-port', '--sampling-http-port', '--sampling-grpc-port'].flatMap((flag, i) => [flag, String(rest[i])]);
  const dataDir = mkdtempSync(join(tmpdir(), 'spanwise-e2e-'));
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  log(`starting ${jar} (query port ${query}, data ${dataDir})`);
  const child = start('server', 'java', [
    '-jar', jar, '--data-dir', dataDir, '--query-port', String(query), '--otlp-http-port', String(otlpHttp),
    '--otlp-grpc-port', String(otlpGrpc), '--zipkin-port', String(zipkin), ...others,
  ]);
  const base = `http://127.0.0.1:${query}`;
  await waitFor('the server to be ready', async () => {
    assert.equal(child.exitCode, null, 'the server exited; see target/e2e-server.log');
    return (await fetch(`${base}/ready`)).ok;
  });
  return { query: base, otlp: `http://127.0.0.1:${otlpHttp}` };
}

async function uiBase(server) {
  const res = await fetch(`${server.query}/`);
  const html = await res.text();
  if (res.ok && html.includes('<div id="root">')) {
    log('the server serves the UI at /');
    const csp = res.headers.get('content-security-policy') ?? '';
    await check('the server sends a CSP that forbids inline scripts', () => {
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    });
    return server.query;
  }
  log('the server does not serve the UI at / yet: serving target/ui-dist with vite preview');
  if (!existsSync(join(targetDir, 'ui-dist', 'index.html'))) execSync('npm run build', { cwd: moduleDir, stdio: 'inherit' });
  const [port] = await freePorts(1);
  const child = start('preview', process.execPath, [
    join(moduleDir, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort',
  ], { SPANWISE_URL: server.query });
  const base = `http://127.0.0.1:${port}`;
  await waitFor('vite preview', async () => {
    assert.equal(child.exitCode, null, 'vite preview exited; see target/e2e-preview.log');
    return (await fetch(`${base}/`)).ok;
  });
  return base;
}

// ---- the traces -------------------------------------------------------------------------------

const KNOWN_TRACE = randomHex(32);
const EVIL_TRACE = randomHex(32);
const BIG_TRACE = randomHex(32);
const SLOWER_TRACE = randomHex(32);
const BIG_SPANS = 10_000;
const EVIL_NAME = '<img src=x onerror=window.__pwned=1>';
const EVIL_KEY = '<script>window.__pwned=2</script>';
const EVIL_VALUE = '<img src=x onerror=window.__pwned=3>';

function randomHex(n) {
  let s = '';
  while (s.length < n) s += Math.floor(Math.random() * 16).toString(16);
  return s.replace(/^0/, 'a');
}

const str = (key, value) => ({ key, value: { stringValue: value } });

function resourceSpans(service, spans) {
  return { resource: { attributes: [str('service.name', service), str('host.name', `${service}-host`)] }, scopeSpans: [{ scope: { name: 'e2e' }, spans }] };
}

function otlpSpan(traceId, t0, spanId, parent, name, kind, startMs, endMs, extra = {}) {
  const ns = (ms) => String(t0 + BigInt(Math.round(ms * 1e6)));
  return { traceId, spanId, parentSpanId: parent, name, kind, startTimeUnixNano: ns(startMs), endTimeUnixNano: ns(endMs), ...extra };
}

/** The known trace: checkout over three services; 'render template' is off the critical path. */
const EXPECTED_ROWS = [
  ['GET /checkout', 1], ['POST cart', 2], ['POST /cart', 3], ['SELECT items', 4], ['render template', 2],
  ['charge card', 2], ['POST /charge', 3],
];
const OFF_CRITICAL_PATH = ['render template'];

async function loadTraces(otlp) {
  const t0 = BigInt(Date.now() - 5_000) * 1_000_000n;
  const known = checkout(KNOWN_TRACE, t0, 1, true);
  // the same request later: payments 4x slower, no template rendering
  const slower = checkout(SLOWER_TRACE, t0 + 1_000_000_000n, 4, false);
  const evil = {
    resourceSpans: [resourceSpans('evil-svc', [
      otlpSpan(EVIL_TRACE, t0, '00000000000000e1', '', EVIL_NAME, 2, 0, 10, { attributes: [{ key: EVIL_KEY, value: { stringValue: EVIL_VALUE } }] }),
    ])],
  };
  const bigSpans = [otlpSpan(BIG_TRACE, t0, '1'.padStart(16, '0'), '', 'batch job', 2, 0, 20_000)];
  for (let i = 2; i <= BIG_SPANS; i++) {
    const parent = (i <= 100 ? 1 : Math.floor(i / 100)).toString(16).padStart(16, '0');
    bigSpans.push(otlpSpan(BIG_TRACE, t0, i.toString(16).padStart(16, '0'), parent, `step ${i}`, 1, i, i + 1 + (i % 7)));
  }
  const big = { resourceSpans: [resourceSpans('batch', bigSpans)] };
  for (const body of [known, slower, evil, big]) {
    const res = await fetch(`${otlp}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok(res.ok, `OTLP export answered ${res.status}: ${await res.text()}`);
  }
}

function checkout(traceId, t0, paymentsFactor, render) {
  const k = (...a) => otlpSpan(traceId, t0, ...a);
  const p = (ms) => 85 + (ms - 85) * paymentsFactor;
  return {
    resourceSpans: [
      resourceSpans('frontend', [
        k('00000000000000a1', '', 'GET /checkout', 2, 0, p(120), { attributes: [str('http.route', '/checkout')] }),
        k('00000000000000a2', '00000000000000a1', 'POST cart', 3, 10, 80),
        ...(render ? [k('00000000000000a3', '00000000000000a1', 'render template', 1, 15, 30)] : []),
        k('00000000000000a4', '00000000000000a1', 'charge card', 3, 85, p(115)),
      ]),
      resourceSpans('cart', [
        k('00000000000000b1', '00000000000000a2', 'POST /cart', 2, 12, 78, { attributes: [str('cart.items', '3'), str('e2e.marker', 'known-attribute-value')] }),
        k('00000000000000b2', '00000000000000b1', 'SELECT items', 3, 20, 70, { attributes: [str('db.system', 'postgresql')] }),
      ]),
      resourceSpans('payments', [
        k('00000000000000c1', '00000000000000a4', 'POST /charge', 2, p(87), p(113), { status: { code: 2, message: 'card declined' } }),
      ]),
    ],
  };
}

async function waitSearchable(query) {
  for (const [service, id] of [['frontend', KNOWN_TRACE], ['frontend', SLOWER_TRACE], ['evil-svc', EVIL_TRACE], ['batch', BIG_TRACE]]) {
    await waitFor(`trace ${id} to be searchable`, async () => {
      const r = await fetch(`${query}/api/spanwise/search?service=${service}&lookback=1h`);
      return r.ok && (await r.json()).traces.some((t) => t.traceId === id);
    });
  }
  await waitFor('the frontend -> cart dependency', async () => {
    const end = Date.now() * 1000;
    const r = await fetch(`${query}/api/spanwise/dependencies?start=${end - 3_600_000_000}&end=${end}`);
    return r.ok && (await r.json()).dependencies.some((d) => d.parent === 'frontend' && d.child === 'cart');
  });
}

// ---- checks -----------------------------------------------------------------------------------

async function check(name, fn) {
  try {
    await fn();
    log(`ok   ${name}`);
  } catch (e) {
    failures++;
    log(`FAIL ${name}\n${e.stack ?? e}`);
  }
}

async function shot(page, name) {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: false });
}

async function main() {
  ensureChromium();
  const { chromium } = await import('playwright-core');
  const server = await startServer();
  const base = await uiBase(server);
  const fresh = !process.env.SPANWISE_QUERY_URL;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    await run(browser, base, server, fresh);
  } finally {
    await browser.close();
  }
}

async function run(browser, base, server, fresh) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const problems = [];
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`); });
  await page.emulateMedia({ colorScheme: 'light' });

  if (fresh) {
    await check('an empty server says how to send spans', async () => {
      await page.goto(`${base}/search`);
      await page.getByText('No traces yet').waitFor({ timeout: 15_000 });
      assert.match(await page.locator('.notice.empty').textContent(), /http:\/\/localhost:4318/);
      await shot(page, 'empty-state');
    });
  }
  await loadTraces(server.otlp);
  await waitSearchable(server.query);
  log('traces loaded and searchable');
  {

    await check('search finds the known trace', async () => {
      await page.goto(`${base}/search?service=frontend`);
      const result = page.locator(`a.result-link[href="/trace/${KNOWN_TRACE}"]`);
      await result.waitFor({ timeout: 15_000 });
      const text = await result.textContent();
      assert.match(text, /frontend/);
      assert.match(text, /GET \/checkout/);
      assert.match(text, /7 spans/);
      assert.match(text, /1 error/);
      assert.equal(await page.locator(`circle[data-trace-id="${KNOWN_TRACE}"]`).count(), 1);
      await shot(page, 'search');
    });

    await check('the waterfall shows the spans nested in order', async () => {
      await page.locator(`a.result-link[href="/trace/${KNOWN_TRACE}"]`).click();
      await page.waitForURL(`**/trace/${KNOWN_TRACE}`);
      await page.locator('[data-span-id]').first().waitFor();
      const rows = await page.locator('[data-span-id]').evaluateAll((els) =>
        els.map((el) => [el.querySelector('.op-name').textContent, Number(el.getAttribute('aria-level'))]));
      assert.deepEqual(rows, EXPECTED_ROWS);
      const errorRow = page.locator('[data-span-id="00000000000000c1"]');
      assert.match(await errorRow.getAttribute('class'), /error/);
      await shot(page, 'trace');
    });

    await check('the critical path marks the expected spans', async () => {
      await page.locator('.wf-row.on-critical-path').first().waitFor({ timeout: 5_000 });
      const marked = await page.locator('.wf-row.on-critical-path .op-name').allTextContents();
      const expected = EXPECTED_ROWS.map(([n]) => n).filter((n) => !OFF_CRITICAL_PATH.includes(n));
      assert.deepEqual(marked, expected);
      await page.getByLabel('critical path only').check();
      assert.equal(await page.locator('[data-span-id]').count(), expected.length);
      await page.getByLabel('critical path only').uncheck();
    });

    await check('the span detail shows a known attribute', async () => {
      await page.locator('[data-span-id="00000000000000b1"]').click();
      const detail = page.getByLabel('Span detail');
      await detail.waitFor();
      const text = await detail.textContent();
      assert.match(text, /e2e\.marker/);
      assert.match(text, /known-attribute-value/);
      assert.match(text, /cart\.items/);
      assert.match(page.url(), /span=00000000000000b1/);
      await shot(page, 'span-detail');
      await page.locator('.tabs button', { hasText: 'Statistics' }).click();
      await page.locator('table.stats tbody tr').first().waitFor({ timeout: 5_000 });
      await shot(page, 'statistics');
      await page.locator('.tabs button', { hasText: 'Trace graph' }).click();
      await page.locator('[data-op="cart:POST /cart"]').waitFor({ timeout: 5_000 });
      assert.equal(await page.locator('.trace-graph [data-op]').count(), EXPECTED_ROWS.length);
      await shot(page, 'trace-graph');
      await page.locator('.tabs button', { hasText: 'Flame graph' }).click();
      await page.locator('.flame [data-span-id="00000000000000b2"]').waitFor({ timeout: 5_000 });
      assert.equal(await page.locator('.flame [data-span-id]').count(), EXPECTED_ROWS.length);
      await shot(page, 'flame-graph');
      await page.locator('.tabs button', { hasText: 'Timeline' }).click();
    });

    await check('keyboard navigation moves through the spans', async () => {
      const selected = page.locator('[data-span-id][aria-selected="true"] .op-name');
      const rows = page.locator('[data-span-id]');
      await page.getByRole('tree').focus();
      // two presses in a row, as fast as a user (or key repeat) can: the second one counts even
      // while the URL still catches up with the first
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown');
      await waitFor('POST cart selected', async () => (await selected.textContent()) === 'POST cart', 5_000);
      await page.waitForTimeout(500); // a late URL update must not move the selection back
      assert.equal(await selected.textContent(), 'POST cart');
      await page.keyboard.press('ArrowLeft');
      await waitFor('its children folded', async () => (await rows.count()) === EXPECTED_ROWS.length - 2, 5_000);
      await page.keyboard.press('ArrowRight');
      await waitFor('its children back', async () => (await rows.count()) === EXPECTED_ROWS.length, 5_000);
    });

    await check('the dark theme renders the trace', async () => {
      await page.locator('button.theme').click();
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      await shot(page, 'trace-dark');
      await page.locator('button.theme').click();
    });

    await check('comparing two checkouts shows the removed span and the slower payment', async () => {
      await page.goto(`${base}/compare/${KNOWN_TRACE}/${SLOWER_TRACE}`);
      const removed = page.locator('tr[data-path="frontend:GET /checkout > frontend:render template"]');
      await removed.waitFor({ timeout: 15_000 });
      assert.equal(await removed.getAttribute('data-status'), 'only-a');
      const charge = page.locator('tr[data-path="frontend:GET /checkout > frontend:charge card"] td:last-child');
      assert.equal(await charge.textContent(), '+90ms (+300%)');
      assert.equal(await charge.getAttribute('class'), 'slower');
      await shot(page, 'compare');
    });

    await check('the service map shows the known edges', async () => {
      await page.goto(`${base}/map?lookback=1h`);
      await page.locator('[data-edge="frontend->cart"]').waitFor({ timeout: 15_000 });
      assert.equal(await page.locator('[data-edge="frontend->payments"]').count(), 1);
      // one call per loaded checkout trace (a reused server may hold earlier runs' traces)
      assert.match(await page.locator('[data-edge="frontend->cart"] text').textContent(), fresh ? /^2$/ : /^\d+$/);
      await shot(page, 'service-map');
      await page.locator('[data-service="cart"]').click();
      await page.waitForURL(/\/search\?service=cart/);
    });

    await check('attacker-controlled names and attributes render as text and run nothing', async () => {
      await page.goto(`${base}/trace/${EVIL_TRACE}?span=00000000000000e1`);
      const detail = page.getByLabel('Span detail');
      await detail.waitFor();
      assert.equal(await page.locator('[data-span-id="00000000000000e1"] .op-name').textContent(), EVIL_NAME);
      assert.equal(await detail.locator('h2').textContent(), EVIL_NAME);
      assert.equal(await detail.locator('table.kv th', { hasText: 'window.__pwned=2' }).textContent(), EVIL_KEY);
      assert.match(await detail.textContent(), /<img src=x onerror=window\.__pwned=3>/);
      assert.equal(await page.locator('#root img').count(), 0);
      assert.equal(await page.locator('#root script').count(), 0);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      await shot(page, 'xss-as-text');
      await page.goto(`${base}/search?service=evil-svc`);
      await page.locator(`a.result-link[href="/trace/${EVIL_TRACE}"]`).waitFor();
      assert.equal(await page.locator('#root img').count(), 0);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
    });

    await check('an unknown trace and a bad search say what to do', async () => {
      await page.goto(`${base}/trace/${'f'.repeat(32)}`);
      await page.getByText('Trace not found').waitFor();
      await page.goto(`${base}/search?minDuration=fast`);
      await page.getByText('The search failed').waitFor();
      assert.match(await page.locator('.notice.error').textContent(), /minDuration/);
      await shot(page, 'error-state');
    });

    await check(`a trace of ${BIG_SPANS} spans renders a window of rows and scrolls to its end`, async () => {
      await page.goto(`${base}/trace/${BIG_TRACE}`);
      await page.locator('[data-span-id]').first().waitFor({ timeout: 30_000 });
      assert.match(await page.locator('.trace-facts').textContent(), /10000 spans/);
      const rendered = await page.locator('[data-span-id]').count();
      assert.ok(rendered > 10 && rendered < 200, `rendered ${rendered} rows`);
      await page.getByRole('tree').focus();
      await page.keyboard.press('End');
      // depth first with children by start, the last row is the root's last child, 'step 199'
      const last = page.locator('[data-span-id][aria-selected="true"]');
      await last.waitFor({ timeout: 5_000 });
      assert.equal(await last.locator('.op-name').textContent(), 'step 199');
      const box = await last.boundingBox();
      assert.ok(box && box.y > 0 && box.y < 900, 'the last row is in view');
      const mm = await page.getByRole('slider').boundingBox();
      await page.mouse.move(mm.x + mm.width * 0.1, mm.y + mm.height / 2);
      await page.mouse.down();
      await page.mouse.move(mm.x + mm.width * 0.3, mm.y + mm.height / 2, { steps: 5 });
      await page.mouse.up();
      assert.equal(await page.getByText('Reset zoom').isEnabled(), true);
      await shot(page, 'trace-10000-spans-zoomed');
    });

    await check('no dialog, page error or console error', async () => {
      assert.deepEqual(problems, []);
    });
  }
}

main()
  .catch((e) => {
    failures++;
    log(`FAIL ${e.stack ?? e}`);
  })
  .finally(() => {
    stopAll();
    log(failures === 0 ? 'all end-to-end checks passed' : `${failures} end-to-end check(s) failed`);
    log(`screenshots in ${shotsDir}`);
    process.exitCode = failures === 0 ? 0 : 1;
  });
