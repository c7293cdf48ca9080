// Headless-Chromium check of inflight's timeline viewer, for the Java end-to-end test (ViewerIT).
//
//   node check-viewer.mjs --screenshot-dir DIR [--live-url http://127.0.0.1:PORT/viewer --live-range 5]
//                         [--file-url file:///.../viewer.html --worker-types 'a=x*; b=y*' --recording F ...]
//                         [--timeout-ms 30000]
//
// Live: opens --live-url, waits for the viewer's server defaults, picks --live-range (minutes) in the
// range picker, clicks Load, waits for the spans, zooms once with the mouse wheel and hovers a bar.
// Files: opens --file-url (the viewer from disk), types --worker-types into its field, then loads each
// --recording through the file picker. After each step it saves DIR/viewer-<step>.png and keeps
// window.inflightViewer.state(). Prints ONE JSON object on stdout: {live, recordings: {name: state},
// zoom, tooltip, console_errors, page_errors, screenshots}. It does not judge the numbers: the Java
// test does.
//
// Chromium: env CHROMIUM, else /usr/bin/chromium. Exit 0 when every step was done; 1 when a step
// failed (timeout, JavaScript error in the page), with the reason on stderr; 2 on bad arguments.
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runCheck, StepFailed } from './chromium.mjs';

const usage = 'usage: node check-viewer.mjs --screenshot-dir DIR [--live-url URL --live-range MINUTES]'
  + ' [--file-url URL --worker-types TEXT --recording FILE ...] [--timeout-ms 30000]';
let opts;
try {
  opts = parseArgs({
    options: {
      'live-url': { type: 'string' },
      'live-range': { type: 'string', default: '5' },
      'file-url': { type: 'string' },
      'worker-types': { type: 'string', default: '' },
      recording: { type: 'string', multiple: true, default: [] },
      'screenshot-dir': { type: 'string' },
      'timeout-ms': { type: 'string', default: '30000' },
    },
  }).values;
} catch (e) {
  console.error(`check-viewer: ${e.message}\n${usage}`);
  process.exit(2);
}
const timeout = Number(opts['timeout-ms']);
if (!opts['screenshot-dir'] || !(timeout > 0) || (!opts['live-url'] && !opts['file-url'])
    || (opts.recording.length && !opts['file-url'])) {
  console.error(`check-viewer: --screenshot-dir and --live-url or --file-url are required; --recording needs --file-url\n${usage}`);
  process.exit(2);
}
const shotDir = path.resolve(opts['screenshot-dir']);
mkdirSync(shotDir, { recursive: true });

const result = { live: null, recordings: {}, zoom: null, tooltip: null, console_errors: [], page_errors: [], screenshots: [] };
await runCheck('check-viewer', timeout, result, async (page, session) => {
  page.on('pageerror', (err) => result.page_errors.push(err.stack || String(err)));

  const state = () => page.evaluate(() => window.inflightViewer.state());
  /** The state once the canvas has drawn what was loaded (the viewer draws on the next frame). */
  const drawnState = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(
    () => requestAnimationFrame(() => resolve(window.inflightViewer.state())))));
  const waitFor = async (what, fn, arg) => {
    try {
      await page.waitForFunction(fn, arg, { timeout, polling: 100 });
    } catch (e) {
      if (result.page_errors.length) throw new StepFailed(`JavaScript error in the page while waiting for ${what}: ${result.page_errors[0]}`);
      const seen = await state().catch(() => null);
      throw new StepFailed(`timed out after ${timeout} ms waiting for ${what}; the viewer's state: ${JSON.stringify(seen)}`);
    }
  };
  const screenshot = async (name) => {
    await page.waitForTimeout(100); // one animation frame for the canvas
    const file = path.join(shotDir, `viewer-${name}.png`);
    await page.screenshot({ path: file });
    result.screenshots.push(file);
  };
  const open = async (url) => {
    session.step = `loading ${url}`;
    const response = await page.goto(url, { waitUntil: 'load', timeout }).catch((e) => {
      throw new StepFailed(`cannot load ${url}: ${e.message.split('\n')[0]}`);
    });
    if (response && !response.ok()) throw new StepFailed(`${url} answered HTTP ${response.status()}`);
    await waitFor('window.inflightViewer', () => window.inflightViewer !== undefined);
    await page.evaluate(() => window.inflightViewer.ready);
  };

  if (opts['live-url']) {
    await open(opts['live-url']);
    session.step = 'loading the live store through the range picker';
    await page.selectOption('#live-range', opts['live-range']);
    await page.click('#live-load');
    await waitFor('spans from the live store', () => {
      const s = window.inflightViewer.state();
      return s.source === 'live' && !s.loading;
    });
    result.live = await drawnState();
    await screenshot('live');

    // One wheel notch in over the middle of the lanes: the view must narrow around the cursor.
    session.step = 'zooming and hovering';
    const box = await page.locator('#lanes').boundingBox();
    const before = result.live.view;
    await page.mouse.move(box.x + 190 + (box.width - 190) / 2, box.y + 30);
    await page.mouse.wheel(0, -300);
    await waitFor('the zoom', (b) => {
      const v = window.inflightViewer.state().view;
      return v.toMs - v.fromMs < b.toMs - b.fromMs;
    }, before);
    result.zoom = { before, after: (await state()).view };
    // Hover the first lane (row 2, under the first type's header) across the plot until a bar's tooltip shows.
    await page.evaluate(() => document.getElementById('reset').click());
    for (let x = box.x + 192; x < box.x + box.width; x += 4) {
      await page.mouse.move(x, box.y + 18 + 9);
      const text = await page.evaluate(() => {
        const t = document.getElementById('tooltip');
        return t.hidden ? null : t.innerText;
      });
      if (text) { result.tooltip = text; break; }
    }
    await screenshot('live-hover');
  }

  if (opts['file-url']) {
    await open(opts['file-url']);
    session.step = 'typing the worker types';
    await page.fill('#worker-types', opts['worker-types']);
    await page.press('#worker-types', 'Tab'); // commits the field ('change')
    for (const file of opts.recording) {
      const name = path.basename(file);
      session.step = `loading ${name} through the file picker`;
      await page.setInputFiles('#file', file);
      await waitFor(`${name} to load`, (n) => window.inflightViewer.state().name === n, name);
      result.recordings[name] = await drawnState();
      await screenshot(name.replace(/[^a-zA-Z0-9]+/g, '-'));
    }
  }
  if (result.page_errors.length) throw new StepFailed(`JavaScript error in the page: ${result.page_errors[0]}`);
});
