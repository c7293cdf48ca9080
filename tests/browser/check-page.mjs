// Headless-Chromium check of inflight's web page, for the Java end-to-end test.
//
//   node check-page.mjs --url http://127.0.0.1:PORT --trace-id <hex> --screenshot-dir DIR
//                       [--bucket-ms 5] [--expect-keys k1,k2] [--allow-empty] [--timeout-ms 30000]
//
// Loads the page, waits for the workers table (the rows named by --expect-keys, else at least one
// row; with --allow-empty the "no worker spans yet" notice also counts), reads the table, checks that
// the live chart drew (uPlot canvas and its series list), saves DIR/live.png, then shows the trace
// --trace-id through the page's form, waits for the trace view or its error, saves DIR/trace.png and
// prints ONE JSON object on stdout: the texts as the page displays them, plus the browser console
// errors and failed requests. It does not judge the numbers: the Java test does.
//
// Chromium: env CHROMIUM, else /usr/bin/chromium. Exit 0 when every step was done; 1 when a step
// failed (timeout, JavaScript error in the page, chart not drawn), with the reason on stderr; 2 on
// bad arguments.
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runCheck, StepFailed } from './chromium.mjs';

const usage = 'usage: node check-page.mjs --url http://127.0.0.1:PORT --trace-id <hex> --screenshot-dir DIR '
  + '[--bucket-ms 5] [--expect-keys k1,k2] [--allow-empty] [--timeout-ms 30000]';
let opts;
try {
  opts = parseArgs({
    options: {
      url: { type: 'string' },
      'trace-id': { type: 'string' },
      'bucket-ms': { type: 'string', default: '5' },
      'screenshot-dir': { type: 'string' },
      'expect-keys': { type: 'string', default: '' },
      'allow-empty': { type: 'boolean', default: false },
      'timeout-ms': { type: 'string', default: '30000' },
    },
  }).values;
} catch (e) {
  console.error(`check-page: ${e.message}\n${usage}`);
  process.exit(2);
}
const timeout = Number(opts['timeout-ms']);
if (!opts.url || !opts['trace-id'] || !opts['screenshot-dir'] || !(timeout > 0)) {
  console.error(`check-page: --url, --trace-id and --screenshot-dir are required; --timeout-ms must be positive\n${usage}`);
  process.exit(2);
}
// Keys contain commas between dimensions only inside {...}: split on commas outside braces.
const expectKeys = opts['expect-keys'].match(/(?:[^,{]|\{[^}]*\})+/g) ?? [];
const shotDir = path.resolve(opts['screenshot-dir']);
mkdirSync(shotDir, { recursive: true });

const result = {
  workers: [],
  live_series: [],
  trace: { error: null, worker_types: {}, chart_points: null, timeline_bars: null },
  summary: {},
  screenshots: [],
  console_errors: [],
  failed_requests: [],
};
const pageErrors = [];

await runCheck('check-page', timeout, result, async (page, session) => {
  page.on('pageerror', (err) => pageErrors.push(err.stack || String(err)));
  page.on('requestfailed', (req) => result.failed_requests.push({ url: req.url(), error: req.failure()?.errorText ?? 'failed' }));
  page.on('response', (res) => { if (res.status() >= 400) result.failed_requests.push({ url: res.url(), status: res.status() }); });

  /** waitForFunction with a message that says what was awaited and what the page showed instead. */
  const waitFor = async (what, fn, arg) => {
    try {
      await page.waitForFunction(fn, arg, { timeout, polling: 100 });
    } catch (e) {
      if (pageErrors.length) throw new StepFailed(`JavaScript error in the page while waiting for ${what}: ${pageErrors[0]}`);
      const seen = await page.evaluate(() => ({
        rows: [...document.querySelectorAll('#workers tbody tr[data-key]')].map((tr) => tr.dataset.key),
        status: document.querySelector('#status')?.textContent ?? null,
        trace_state: document.querySelector('#trace-view')?.dataset.state ?? null,
      })).catch(() => null);
      throw new StepFailed(`timed out after ${timeout} ms waiting for ${what}; the page showed ${JSON.stringify(seen)}`
        + ` (${e.message.split('\n')[0]})`);
    }
  };
  const checkNoPageErrors = (step) => {
    if (pageErrors.length) throw new StepFailed(`JavaScript error in the page (${step}): ${pageErrors[0]}`);
  };

  session.step = `loading ${opts.url}`;
  const response = await page.goto(opts.url, { waitUntil: 'load', timeout }).catch((e) => {
    throw new StepFailed(`cannot load ${opts.url}: ${e.message.split('\n')[0]}`);
  });
  if (!response || !response.ok()) throw new StepFailed(`${opts.url} answered HTTP ${response?.status()}`);

  // 1. the table
  session.step = 'waiting for the workers table';
  if (expectKeys.length) {
    await waitFor(`table rows ${JSON.stringify(expectKeys)}`, (keys) => {
      const have = new Set([...document.querySelectorAll('#workers tbody tr[data-key]')].map((tr) => tr.dataset.key));
      return keys.every((k) => have.has(k));
    }, expectKeys);
  } else {
    await waitFor(opts['allow-empty'] ? 'a table row or the empty-server notice' : 'at least one table row',
      (allowEmpty) => document.querySelector('#workers tbody tr[data-key]')
        || (allowEmpty && document.querySelector('#empty') && !document.querySelector('#empty').hidden),
      opts['allow-empty']);
  }
  const read = await page.evaluate(() => {
    const rows = [...document.querySelectorAll('#workers tbody tr[data-key]')].map((tr) => {
      const row = { key: tr.dataset.key };
      for (const td of tr.querySelectorAll('td[data-field]')) row[td.dataset.field] = td.textContent.trim();
      return row;
    });
    const summary = {};
    for (const b of document.querySelectorAll('#process [data-field]')) summary[b.dataset.field] = b.textContent.trim();
    return { rows, summary };
  });
  result.workers = read.rows;
  result.summary = read.summary;
  checkNoPageErrors('reading the table');

  // 2. the live chart: uPlot's canvas and its legend (the series list), holding every expected key
  session.step = 'checking the live chart';
  if (result.workers.length) {
    await waitFor('the live chart (uPlot canvas and legend)', (keys) => {
      const canvas = document.querySelector('#live-chart .uplot canvas');
      if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
      const labels = [...document.querySelectorAll('#live-chart .u-legend .u-series:not(:first-child) .u-label')]
        .map((l) => l.textContent.trim());
      return labels.length > 0 && keys.every((k) => labels.includes(k));
    }, expectKeys);
    result.live_series = await page.$$eval('#live-chart .u-legend .u-series:not(:first-child) .u-label',
      (labels) => labels.map((l) => l.textContent.trim()));
  }
  const live = path.join(shotDir, 'live.png');
  await page.screenshot({ path: live, fullPage: true });
  result.screenshots.push(live);
  checkNoPageErrors('drawing the live chart');

  // 3. the trace view, through the form as a user would
  session.step = 'showing the trace';
  await page.fill('#trace-id', opts['trace-id']);
  await page.fill('#bucket-ms', opts['bucket-ms']);
  await page.click('#trace-submit'); // the page marks #trace-view loading synchronously in the handler
  await waitFor('the trace view (or #trace-error)', () => {
    const view = document.querySelector('#trace-view');
    if (view.dataset.state === 'error') return true;
    return view.dataset.state === 'done'
      && document.querySelector('#trace-chart').hasAttribute('data-points')
      && document.querySelector('#timeline').hasAttribute('data-bars');
  });
  result.trace = await page.evaluate(() => {
    const errorBox = document.querySelector('#trace-error');
    const error = errorBox && !errorBox.hidden ? errorBox.textContent.trim() : null;
    const types = {};
    if (!error) {
      for (const card of document.querySelectorAll('#trace-types [data-worker-type]')) {
        const t = {};
        for (const f of card.querySelectorAll('[data-field]')) t[f.dataset.field] = f.textContent.trim();
        types[card.dataset.workerType] = t;
      }
    }
    const count = (sel, attr) => {
      const v = error ? null : document.querySelector(sel)?.getAttribute(attr);
      return v == null ? null : Number(v);
    };
    return { error, worker_types: types, chart_points: count('#trace-chart', 'data-points'), timeline_bars: count('#timeline', 'data-bars') };
  });
  if (!result.trace.error) {
    await page.waitForTimeout(100); // one frame for uPlot's paint after the data attributes were set
  }
  const traceShot = path.join(shotDir, 'trace.png');
  await page.screenshot({ path: traceShot, fullPage: true });
  result.screenshots.push(traceShot);
  checkNoPageErrors('showing the trace');
});
