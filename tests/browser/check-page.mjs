// Headless-Chromium check of inflight's web page, for the Java end-to-end test.
//
//   node check-page.mjs --url http://127.0.0.1:PORT --trace-id <hex> --screenshot-dir DIR
//                       [--bucket-ms 5] [--expect-keys k1,k2] [--allow-empty] [--expect-provisional]
//                       [--live-minutes 15|5|1] [--timeout-ms 30000]
//
// Loads the page, waits for the workers table (the rows named by --expect-keys, else at least one
// row; with --allow-empty the "no worker spans yet" notice also counts), reads the table, checks that
// the live chart drew (uPlot canvas and its series list), saves DIR/live.png, then shows the trace
// --trace-id through the page's form, waits for the trace view or its error, saves DIR/trace.png and
// prints ONE JSON object on stdout: the texts as the page displays them, what the live chart drew
// (`live_chart`: its final and provisional point counts, the last final and first provisional window
// end), plus the browser console errors and failed requests. It does not judge the numbers: the Java
// test does.
//
// --live-minutes: the live chart's range, chosen in its #live-range list before anything is read.
// --expect-provisional: live.png is taken once the chart shows final and provisional points at once
// (`live_chart` is read at that moment); then the check waits until the first provisional window seen
// has closed (the chart's last final point reached it), reports `provisional_replaced` and
// `live_chart_later`, and saves DIR/live-later.png.
//
// Chromium: env CHROMIUM, else /usr/bin/chromium. Exit 0 when every step was done; 1 when a step
// failed (timeout, JavaScript error in the page, chart not drawn), with the reason on stderr; 2 on
// bad arguments.
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runCheck, StepFailed } from './chromium.mjs';

const usage = 'usage: node check-page.mjs --url http://127.0.0.1:PORT --trace-id <hex> --screenshot-dir DIR '
  + '[--bucket-ms 5] [--expect-keys k1,k2] [--allow-empty] [--expect-provisional] [--live-minutes 15|5|1] [--timeout-ms 30000]';
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
      'expect-provisional': { type: 'boolean', default: false },
      'live-minutes': { type: 'string' },
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
  live_chart: null,
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

  if (opts['live-minutes']) {
    session.step = `showing the last ${opts['live-minutes']} minutes in the live chart`;
    const chosen = await page.selectOption('#live-range', opts['live-minutes']).catch((e) => {
      throw new StepFailed(`cannot choose ${opts['live-minutes']} in #live-range: ${e.message.split('\n')[0]}`);
    });
    if (!chosen.includes(opts['live-minutes'])) throw new StepFailed(`#live-range has no option ${opts['live-minutes']}`);
  }

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
  /** The live chart's data attributes: what it drew, as the page counts it. */
  const readLiveChart = () => page.evaluate(() => {
    const box = document.querySelector('#live-chart');
    const num = (attr) => (box && box.hasAttribute(attr) ? Number(box.getAttribute(attr)) : null);
    return {
      final_points: num('data-final-points'),
      provisional_points: num('data-provisional-points'),
      last_final_ms: num('data-last-final-ms'),
      first_provisional_ms: num('data-first-provisional-ms'),
    };
  });
  /**
   * Screenshot `file` with the chart state it shows: read the attributes before and after, and take it
   * again should a refresh have come in between (the page refreshes every 2 s, a screenshot is faster).
   */
  const shootLive = async (file) => {
    for (let attempt = 0; ; attempt++) {
      const before = await readLiveChart();
      await page.waitForTimeout(100); // one frame for uPlot's paint after the data attributes were set
      await page.screenshot({ path: file, fullPage: true });
      const after = await readLiveChart();
      if (JSON.stringify(before) === JSON.stringify(after) || attempt >= 5) return after;
    }
  };
  const live = path.join(shotDir, 'live.png');
  if (opts['expect-provisional']) {
    session.step = 'waiting for final and provisional points in the live chart';
    const both = () => {
      const box = document.querySelector('#live-chart');
      return Number(box?.dataset.finalPoints) > 0 && Number(box?.dataset.provisionalPoints) > 0;
    };
    await waitFor('final and provisional points in the live chart', both);
    result.live_chart = await shootLive(live);
    result.screenshots.push(live);
    checkNoPageErrors('drawing the provisional tail');

    // the first open window seen must become final: the chart's last final point reaches it
    session.step = 'waiting for the provisional windows to close';
    const first = result.live_chart.first_provisional_ms;
    await waitFor(`the window ending at ${first} to become final`, (ms) => {
      const v = document.querySelector('#live-chart')?.dataset.lastFinalMs;
      return v != null && Number(v) >= ms;
    }, first);
    const later = path.join(shotDir, 'live-later.png');
    result.live_chart_later = await shootLive(later);
    result.provisional_replaced = result.live_chart_later.last_final_ms != null
      && result.live_chart_later.last_final_ms >= first;
    result.screenshots.push(later);
    checkNoPageErrors('replacing the provisional tail');
  } else {
    result.live_chart = await shootLive(live);
    result.screenshots.push(live);
  }
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
