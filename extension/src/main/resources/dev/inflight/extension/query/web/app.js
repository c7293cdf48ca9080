// inflight's live page: a chart of active workers per group, an `inflight top`-style table and a
// per-trace view, all drawn from the query extension's JSON API (see the API contract).
// Plain browser JS, no build step; uPlot (served by inflight from its WebJar) draws the charts.
'use strict';

const REFRESH_MS = 2000;        // the table and the live chart
const RECENT_REFRESH_MS = 10000; // the recent-trace list: slower, so it does not jump under the pointer
const HISTORY_MINUTES = 15;    // what the page fetches; #live-range shows the last 15, 5 or 1 of them
const EMPTY_TEXT = 'no worker spans yet — send OTLP traces to :4317/:4318';

// Okabe-Ito based: distinguishable with the common colour-vision deficiencies and readable on white.
// No red: red marks error spans.
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#8c564b', '#6b6b6b', '#b8a200'];
const colours = new Map();
/** One colour per name (group key or worker type) for the whole session, so a group keeps its colour. */
function colourFor(name) {
  if (!colours.has(name)) colours.set(name, PALETTE[colours.size % PALETTE.length]);
  return colours.get(name);
}

const $ = (sel) => document.querySelector(sel);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

// ---- formatting: what the table shows is what the browser test reads, so keep these rules simple ----
const DASH = '—';
const fmt = {
  int: (v) => (v == null ? DASH : String(Math.round(v))),
  one: (v) => (v == null ? DASH : v.toFixed(1)),
  pct: (ratio) => (ratio == null ? DASH : `${Math.round(ratio * 100)}%`),
  // durations: one decimal, two below 1 ms so sub-millisecond spans do not all read "0.0"
  ms: (v) => (v == null ? DASH : v < 1 ? v.toFixed(2) : v.toFixed(1)),
  mb: (bytes) => `${(bytes / 1048576).toFixed(1)} MB`,
  secs: (ms) => `${+(ms / 1000).toFixed(3)} s`,
  clock: (unixMs) => new Date(unixMs).toLocaleTimeString([], { hour12: false }),
  uptime: (s) => {
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
    return h ? `${h} h ${m} min` : m ? `${m} min ${sec} s` : `${sec} s`;
  },
};

/** The group key, as /api/v1/history names its series: `type{k=v,...}`, or just the type without dimensions. */
function groupKey(workerType, dimensions) {
  const dims = Object.entries(dimensions || {});
  return dims.length ? `${workerType}{${dims.map(([k, v]) => `${k}=${v}`).join(',')}}` : workerType;
}

class ApiError extends Error {}

/** GET a JSON document; a non-2xx answer becomes an ApiError carrying the server's own `error` sentence. */
async function getJson(url) {
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(10000) });
  } catch (e) {
    throw new ApiError(`cannot reach inflight (${e.message})`);
  }
  let body = null;
  try { body = await res.json(); } catch { /* not JSON: reported below */ }
  if (!res.ok) throw new ApiError(body && body.error ? body.error : `${url}: HTTP ${res.status}`);
  if (body == null) throw new ApiError(`${url}: the answer is not JSON`);
  return body;
}

const hasUplot = () => typeof window.uPlot === 'function';

/** Chart width follows its container; uPlot needs a pixel size. */
function chartSize(container, height) {
  return { width: Math.max(300, container.clientWidth), height };
}

// ---------------------------------------------------------------- live: header, table, chart

function renderHeader(w) {
  $('#lateness-note').textContent =
    `${fmt.secs(w.resolution_ms)} windows · final numbers: the last closed window, ` +
    `${fmt.secs(w.allowed_lateness_ms)} behind · dotted tail and ~numbers: the open windows so far (provisional)`;
}

function setStatus(text, isError = false) {
  const s = $('#status');
  s.textContent = text;
  s.classList.toggle('down', isError);
}

const TABLE_FIELDS = ['active', 'peak', 'so_far', 'capacity', 'utilization', 'spans_total', 'spans_failed', 'p50_ms', 'p99_ms', 'late_spans'];
// the fields a window gives: `~`-prefixed while the row shows an open window (a group with no closed one yet)
const WINDOW_FIELDS = new Set(['active', 'peak', 'utilization', 'spans_total', 'spans_failed', 'late_spans']);

/** The open windows so far: their highest mean and peak, as `~mean / peak`; a dash when there is none. */
function soFarText(g) {
  const open = g.provisional_windows || [];
  if (open.length === 0) return DASH;
  const most = (f) => open.reduce((m, x) => (x[f] == null ? m : Math.max(m, x[f])), -Infinity);
  return `~${fmt.one(most('active'))} / ${fmt.int(most('peak'))}`;
}

function cellText(field, g) {
  switch (field) {
    case 'active': return fmt.one(g.active);
    case 'so_far': return soFarText(g);
    case 'utilization': return fmt.pct(g.utilization);
    case 'p50_ms': case 'p99_ms': return fmt.ms(g[field]);
    default: return fmt.int(g[field]);
  }
}

/** Updates rows in place (keyed by group), so a refresh neither flickers nor loses a text selection. */
function renderTable(w) {
  const tbody = $('#workers tbody');
  const existing = new Map([...tbody.rows].map((tr) => [tr.dataset.key, tr]));
  const wanted = [];
  for (const g of w.worker_types) {
    const key = groupKey(g.worker_type, g.dimensions);
    let tr = existing.get(key);
    if (!tr) {
      const dims = Object.entries(g.dimensions || {}).map(([k, v]) => `${k}=${v}`).join(', ');
      tr = el('tr', {},
        el('td', { className: 'text' },
          el('span', { className: 'swatch', ariaHidden: 'true', style: `background:${colourFor(key)}` }), g.worker_type),
        el('td', { className: dims ? 'text dims' : 'text dims none' }, dims || DASH));
      tr.dataset.key = key;
      for (const f of TABLE_FIELDS) {
        const td = el('td');
        td.dataset.field = f;
        tr.append(td);
      }
    }
    const provisional = g.final === false; // only open windows so far: every number is a lower bound
    tr.classList.toggle('provisional', provisional);
    tr.title = provisional ? 'no closed window yet: ~numbers are the newest open window so far' : '';
    for (const f of TABLE_FIELDS) {
      const text = cellText(f, g);
      tr.querySelector(`[data-field="${f}"]`).textContent =
        provisional && WINDOW_FIELDS.has(f) && text !== DASH ? `~${text}` : text;
    }
    tr.querySelector('[data-field="so_far"]').classList.add('so-far');
    // utilization also as a bar behind its number; amber above 80 %
    const u = tr.querySelector('[data-field="utilization"]');
    u.style.setProperty('--u', g.utilization == null ? 0 : Math.min(1, g.utilization));
    u.classList.toggle('hot', g.utilization != null && g.utilization >= 0.8);
    tr.querySelector('[data-field="peak"]').title = `highest peak in the last 15 minutes: ${fmt.int(g.peak_15m)}`;
    tr.querySelector('[data-field="spans_failed"]').classList.toggle('bad', g.spans_failed > 0);
    tr.querySelector('[data-field="late_spans"]').classList.toggle('bad', g.late_spans > 0);
    wanted.push(tr);
  }
  // server order (worker type, then dimensions); drop groups that are gone
  tbody.replaceChildren(...wanted);
}

function renderProcess(w) {
  const p = w.process || {}, s = w.spans || {}, st = w.store || {};
  const item = (field, text) => { const b = el('b', {}, text); b.dataset.field = field; return b; };
  $('#process').replaceChildren(
    'spans accepted ', item('accepted', fmt.int(s.accepted)),
    ' · refused ', item('refused', fmt.int(s.refused)),
    ' │ process CPU ', item('cpu_percent', `${fmt.one(p.cpu_percent)}%`),
    ' · RSS ', item('memory_rss_mb', `${fmt.one(p.memory_rss_mb)} MB`),
    ' · threads ', item('threads', fmt.int(p.threads)),
    ' │ store ', item('store_traces', fmt.int(st.traces)), ' traces, ',
    item('store_bytes', fmt.mb(st.bytes || 0)), ` of ${fmt.mb(st.max_bytes || 0)}`,
    ` │ up ${fmt.uptime(w.uptime_s || 0)}`);
}

let livePlot = null;
let liveSignature = '';
// Where the provisional part of the chart begins (seconds, uPlot's x), for the shaded band; null: none.
let liveBandFrom = null;
// Per uPlot series index: the data indices that get a marker. A provisional mean marks each open window
// (hollow); a final mean marks the points a line cannot show, those with no neighbour (filled).
const liveMarkers = new Map();
let liveResolutionS = 1;
/** The chart's x span in seconds: the last #live-range minutes. */
const liveRangeS = () => 60 * (Number($('#live-range').value) || HISTORY_MINUTES);

/**
 * uPlot wants one shared x array: the union of every series' window ends, final and provisional, with
 * null where a group has no window (before it appeared), which uPlot draws as a gap rather than a false
 * zero. Each group has four y arrays: final mean and peak (its closed windows), then provisional mean
 * and peak (its open windows so far), the latter starting at the group's last final point so that the
 * curve continues without a gap.
 */
function liveData(series) {
  const ends = (pts) => (pts || []).map((p) => p[0]);
  const xs = [...new Set(series.flatMap((s) => [...ends(s.points), ...ends(s.provisional_points)]))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const data = [xs.map((x) => x / 1000)]; // uPlot's time scale is in seconds
  const stats = { finalPoints: 0, provisionalPoints: 0, lastFinalMs: null, firstProvisionalMs: null, markers: [] };
  for (const s of series) {
    const column = () => new Array(xs.length).fill(null);
    const mean = column(), peak = column(), soFarMean = column(), soFarPeak = column();
    for (const [t, a, p] of s.points) {
      const i = index.get(t);
      mean[i] = a; peak[i] = p;
      if (a != null) stats.finalPoints++;
      if (stats.lastFinalMs == null || t > stats.lastFinalMs) stats.lastFinalMs = t;
    }
    const lone = mean.flatMap((v, i) => (v != null && mean[i - 1] == null && mean[i + 1] == null ? [i] : []));
    const last = s.points[s.points.length - 1];
    if (last) { const i = index.get(last[0]); soFarMean[i] = last[1]; soFarPeak[i] = last[2]; }
    const open = [];
    for (const [t, a, p] of s.provisional_points || []) {
      const i = index.get(t);
      soFarMean[i] = a; soFarPeak[i] = p;
      open.push(i);
      stats.provisionalPoints++;
      if (stats.firstProvisionalMs == null || t < stats.firstProvisionalMs) stats.firstProvisionalMs = t;
    }
    stats.markers.push({ lone, open });
    data.push(mean, peak, soFarMean, soFarPeak);
  }
  return { data, stats };
}

/** What the chart shows, for tests: point counts and where the final part ends and the provisional one begins. */
function markLiveChart(box, stats) {
  box.dataset.finalPoints = String(stats.finalPoints);
  box.dataset.provisionalPoints = String(stats.provisionalPoints);
  for (const [attr, v] of [['lastFinalMs', stats.lastFinalMs], ['firstProvisionalMs', stats.firstProvisionalMs]]) {
    if (v == null) delete box.dataset[attr]; else box.dataset[attr] = String(v);
  }
}

/** The provisional part's background: a light band from the last final point to the right edge. */
function drawProvisionalBand(u) {
  if (liveBandFrom == null) return;
  const { left, top, width, height } = u.bbox;
  const x = Math.max(left, Math.min(left + width, u.valToPos(liveBandFrom, 'x', true)));
  if (x >= left + width) return;
  const ctx = u.ctx, dpr = window.devicePixelRatio || 1;
  ctx.save();
  ctx.fillStyle = 'rgba(90, 98, 109, 0.09)';
  ctx.fillRect(x, top, left + width - x, height);
  ctx.fillStyle = '#5a626d';
  ctx.font = `italic ${11 * dpr}px system-ui, sans-serif`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  ctx.fillText('so far', left + width - 4 * dpr, top + 3 * dpr);
  ctx.restore();
}

function renderLiveChart(h) {
  const box = $('#live-chart');
  const series = (h.series || []).filter((s) => s.points.length > 0 || (s.provisional_points || []).length > 0);
  if (!hasUplot() || series.length === 0) {
    if (livePlot) { livePlot.destroy(); livePlot = null; liveSignature = ''; }
    box.replaceChildren(el('p', { className: 'placeholder' },
      hasUplot() ? 'no window yet' : 'the chart library did not load (/ui/vendor/uPlot.iife.min.js)'));
    markLiveChart(box, { finalPoints: 0, provisionalPoints: 0, lastFinalMs: null, firstProvisionalMs: null });
    return;
  }
  const { data, stats } = liveData(series);
  // the band starts where the final part ends; with no final point yet, at the first open window's start
  const bandMs = stats.lastFinalMs ?? (stats.firstProvisionalMs == null ? null : stats.firstProvisionalMs - (h.resolution_ms || 0));
  liveBandFrom = stats.provisionalPoints > 0 && bandMs != null ? bandMs / 1000 : null;
  liveResolutionS = (h.resolution_ms || 1000) / 1000;
  liveMarkers.clear();
  // uPlot series 1 + 4g .. 4 + 4g are group g's final mean, final peak, provisional mean and peak
  stats.markers.forEach(({ lone, open }, g) => { liveMarkers.set(1 + 4 * g, lone); liveMarkers.set(3 + 4 * g, open); });
  const signature = series.map((s) => s.key).join('\n');
  if (livePlot && signature === liveSignature) {
    livePlot.setData(data);
    markLiveChart(box, stats);
    return;
  }

  // new or changed set of groups: build the chart again
  if (livePlot) livePlot.destroy();
  box.replaceChildren();
  const value = (u, v) => (v == null ? DASH : v.toFixed(1));
  // 24-hour clock, like the header; seconds only where a tick is not on a whole minute
  const hm = uPlot.fmtDate('{HH}:{mm}'), hms = uPlot.fmtDate('{HH}:{mm}:{ss}');
  const uSeries = [{ label: 'time', value: (u, v) => (v == null ? DASH : hms(new Date(v * 1000))) }];
  // a final point with no neighbour, which a line cannot show, gets a dot
  const lone = (u, si) => liveMarkers.get(si) || null;
  // a marker per open window, where windows are far enough apart for markers not to run together
  const markers = (u, si) => {
    const perWindow = (u.bbox.width * liveResolutionS) / (u.scales.x.max - u.scales.x.min);
    return perWindow >= 8 * (window.devicePixelRatio || 1) ? liveMarkers.get(si) || null : null;
  };
  for (const s of series) {
    const c = colourFor(s.key);
    uSeries.push({ label: s.key, stroke: c, width: 2, value, points: { show: false, filter: lone, size: 5, fill: c } });
    // a window's peak holds for the whole window that ends at its timestamp: step back to the previous point
    uSeries.push({ label: `${s.key} peak`, stroke: c, width: 1.25, dash: [6, 4], value: (u, v) => fmt.int(v),
      paths: uPlot.paths.stepped({ align: -1 }), points: { show: false } });
    // the open windows so far: same colour, fainter and dotted, a hollow marker per window
    uSeries.push({ label: `${s.key} so far`, stroke: c, width: 2, dash: [2, 3], alpha: 0.7, spanGaps: true,
      value: (u, v) => (v == null ? DASH : `~${v.toFixed(1)}`),
      points: { show: false, filter: markers, size: 6, width: 1.5, fill: '#fff' } });
    uSeries.push({ label: `${s.key} peak so far`, stroke: c, width: 1, dash: [1, 3], alpha: 0.55, spanGaps: true,
      value: (u, v) => (v == null ? DASH : `~${fmt.int(v)}`),
      paths: uPlot.paths.stepped({ align: -1 }), points: { show: false } });
  }
  livePlot = new uPlot({
    ...chartSize(box, 280),
    series: uSeries,
    scales: {
      // always the last #live-range minutes up to the newest window (open ones included), so the axis
      // does not breathe as data fills in
      x: { time: true, range: (u, min, max) => [max - liveRangeS(), max] },
      y: { range: (u, min, max) => [0, Math.max(1, Math.ceil((max || 0) * 1.1))] },
    },
    axes: [
      { values: (u, ticks) => ticks.map((v) => (v % 60 ? hms : hm)(new Date(v * 1000))) },
      { label: 'active workers', size: 50 },
    ],
    cursor: { drag: { x: false, y: false } },
    hooks: { drawClear: [drawProvisionalBand] },
  }, data, box);
  liveSignature = signature;
  markLiveChart(box, stats);
}

let liveBusy = false;
let lastUpdate = null; // when the numbers on screen were fetched, to say so while the server is unreachable
async function refreshLive() {
  if (liveBusy) return; // a slow server: never stack requests
  liveBusy = true;
  try {
    const [w, h] = await Promise.all([getJson('/api/v1/workers?provisional=true'),
      getJson(`/api/v1/history?minutes=${HISTORY_MINUTES}&provisional=true`)]);
    renderHeader(w);
    const empty = w.worker_types.length === 0 && (h.series || []).length === 0;
    $('#empty').hidden = !empty;
    $('#live-chart').hidden = empty;
    $('#workers').hidden = w.worker_types.length === 0;
    renderTable(w);
    renderProcess(w);
    if (!empty) renderLiveChart(h);
    const last = w.worker_types.reduce((m, g) => (g.final === false ? m : Math.max(m, g.window_end_unix_ms || 0)), 0);
    setStatus(`updated ${fmt.clock(w.time_unix_ms)}` + (last ? ` · last closed window ended ${fmt.clock(last)}` : ''));
    lastUpdate = w.time_unix_ms;
  } catch (e) {
    // keep the last numbers on screen, and say how old they are
    setStatus(e.message + (lastUpdate ? ` · showing numbers from ${fmt.clock(lastUpdate)}` : ''), true);
  } finally {
    liveBusy = false;
  }
}

// ---------------------------------------------------------------- recent traces

let recentJson = '';
async function refreshRecent() {
  let body;
  try { body = await getJson('/api/v1/traces?limit=20'); } catch { return; } // the live status reports outages
  const text = JSON.stringify(body.traces);
  if (text === recentJson) return; // unchanged: do not rebuild under the pointer
  recentJson = text;
  const list = $('#recent-list');
  if (body.traces.length === 0) {
    list.replaceChildren(el('li', { className: 'placeholder' }, 'no traces in the store yet'));
    return;
  }
  list.replaceChildren(...body.traces.map((t) => {
    const button = el('button', { type: 'button', className: 'linkish', title: 'show this trace' }, t.trace_id);
    button.addEventListener('click', () => {
      $('#trace-id').value = t.trace_id;
      showTrace();
    });
    return el('li', {}, button,
      ` ${fmt.clock(t.start_time_unix_ms)} · ${fmt.ms(t.duration_ms)} ms · ${t.span_count} spans · ${t.worker_types.join(', ')}`);
  }));
}

// ---------------------------------------------------------------- trace view

let tracePlot = null;
let traceSeq = 0; // answers to older requests are dropped when a newer one was made

/** `#trace=<id>&bucket_ms=N` makes a trace view linkable. */
function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  return { id: p.get('trace') || '', bucket: p.get('bucket_ms') || '' };
}

/** Submit and recent-trace clicks: remember the trace in the URL, then load it. */
function showTrace() {
  const id = $('#trace-id').value.trim();
  const bucket = $('#bucket-ms').value.trim();
  const hash = `#trace=${encodeURIComponent(id)}` + (bucket ? `&bucket_ms=${encodeURIComponent(bucket)}` : '');
  if (id && location.hash !== hash) history.pushState(null, '', hash); // pushState fires no hashchange
  loadTrace(id, bucket);
}

async function loadTrace(id, bucket) {
  const seq = ++traceSeq;
  const view = $('#trace-view');
  view.dataset.state = 'loading';
  $('#trace-chart').removeAttribute('data-points');
  $('#timeline').removeAttribute('data-bars');
  $('#trace-error').hidden = true;
  if (!id) { showTraceError('enter a trace id (up to 32 hex digits)'); return; }
  const query = new URLSearchParams({ spans: 'true' });
  if (bucket) query.set('bucket_ms', bucket);
  try {
    const t = await getJson(`/trace/${encodeURIComponent(id)}?${query}`);
    if (seq !== traceSeq) return;
    renderTrace(t);
    view.dataset.state = 'done';
  } catch (e) {
    if (seq !== traceSeq) return;
    showTraceError(e.message);
  }
}

function showTraceError(message) {
  $('#trace-result').hidden = true;
  const box = $('#trace-error');
  box.textContent = message; // the server's own sentence, unchanged
  box.hidden = false;
  $('#trace-view').dataset.state = 'error';
}

function renderTrace(t) {
  $('#trace-result').hidden = false;
  const types = Object.entries(t.worker_types || {});
  const spans = t.spans || [];
  $('#trace-summary').textContent =
    `trace ${t.trace_id} · ${fmt.ms(t.duration_ms)} ms · started ${new Date(t.start_time_unix_ms).toLocaleString([], { hour12: false })}` +
    ` · ${spans.length} worker spans · bucket ${t.bucket_ms} ms · from ${t.source}`;

  $('#trace-types').replaceChildren(...(types.length ? types.map(([name, s]) => {
    const value = (field, text) => { const dd = el('dd', {}, text); dd.dataset.field = field; return dd; };
    const card = el('div', { className: 'card' },
      el('h4', {}, el('span', { className: 'swatch', ariaHidden: 'true', style: `background:${colourFor(name)}` }), name),
      el('dl', {},
        el('dt', {}, 'spans'), value('span_count', fmt.int(s.span_count)),
        el('dt', {}, 'max concurrent'), value('max_concurrent', fmt.int(s.max_concurrent)),
        el('dt', {}, 'utilization %'), value('utilization_pct', fmt.one(s.utilization_pct))));
    card.dataset.workerType = name;
    return card;
  }) : [el('p', { className: 'placeholder' }, 'no worker spans in this trace')]));

  // the timeline uses the chart's x range, so bars and steps line up
  renderTimeline(t, spans, renderTraceChart(t, types));
}

/** Draws the per-bucket chart; returns the x range's end (ms), which the timeline shares. */
function renderTraceChart(t, types) {
  const box = $('#trace-chart');
  if (tracePlot) { tracePlot.destroy(); tracePlot = null; }
  box.replaceChildren();
  const xs = [...new Set(types.flatMap(([, s]) => s.series.map((p) => p.time_ms)))].sort((a, b) => a - b);
  if (!hasUplot() || xs.length === 0) {
    box.replaceChildren(el('p', { className: 'placeholder' }, hasUplot() ? 'no buckets' : 'the chart library did not load'));
    box.dataset.points = String(xs.length);
    $('#timeline').style.removeProperty('--plot-left');
    $('#timeline').style.removeProperty('--plot-width');
    return Math.max(t.duration_ms, t.bucket_ms) || 1;
  }
  // One extra x at the end of the last bucket, so the last step is drawn as wide as the others.
  const end = xs[xs.length - 1] + t.bucket_ms;
  const xMax = Math.max(end, t.duration_ms);
  const index = new Map(xs.map((x, i) => [x, i]));
  const data = [[...xs, end]];
  const uSeries = [{ label: 'ms', value: (u, v) => (v == null ? DASH : `${fmt.ms(v)} ms`) }];
  for (const [name, s] of types) {
    const ys = new Array(xs.length + 1).fill(null);
    for (const p of s.series) ys[index.get(p.time_ms)] = p.active;
    ys[xs.length] = ys[xs.length - 1];
    data.push(ys);
    const c = colourFor(name);
    // `active` is the peak within [time_ms, time_ms + bucket_ms): the value holds forward (align 1)
    uSeries.push({ label: name, stroke: c, fill: `${c}22`, width: 2, value: (u, v) => fmt.int(v),
      paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } });
  }
  tracePlot = new uPlot({
    ...chartSize(box, 240),
    series: uSeries,
    scales: {
      x: { time: false, range: () => [0, xMax] },
      y: { range: (u, min, max) => [0, Math.max(1, Math.ceil((max || 0) * 1.1))] },
    },
    axes: [{ label: 'ms since trace start' }, { label: 'active workers', size: 50 }],
    cursor: { drag: { x: false, y: false } },
    // uPlot lays out asynchronously: take the plotting area when it draws (also after a resize)
    hooks: { draw: [alignTimeline] },
  }, data, box);
  box.dataset.points = String(xs.length);
  return xMax;
}

/** Puts the timeline's bars under the trace chart's plotting area, so both share one time axis. */
function alignTimeline(u) {
  const dpr = window.devicePixelRatio || 1;
  $('#timeline').style.setProperty('--plot-left', `${u.bbox.left / dpr}px`);
  $('#timeline').style.setProperty('--plot-width', `${u.bbox.width / dpr}px`);
}

/** Round tick step (1, 2 or 5 × 10^k) giving about `count` ticks over `span`. */
function niceStep(span, count) {
  if (!(span > 0) || !Number.isFinite(span)) return 1; // never 0: the tick loop must advance
  const raw = span / count, pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw);
}

function renderTimeline(t, spans, total) {
  const box = $('#timeline');
  const pos = (ms) => `${(100 * ms) / total}%`;

  const axis = el('div', { className: 'tl-axis', ariaHidden: 'true' });
  const step = niceStep(total, 8);
  for (let ms = 0; ms <= total + 1e-9; ms += step) {
    // a tick at the right edge is right-aligned, so its label stays inside the page
    axis.append(el('span', { className: ms > 0.95 * total ? 'tl-tick end' : 'tl-tick', style: `left:${pos(ms)}` },
      `${+ms.toFixed(3)} ms`));
  }

  const rows = spans.map((s) => {
    const duration = s.end_ms - s.start_ms;
    const error = s.status === 'error';
    const tip = [
      s.name,
      `${s.worker_type}${error ? ' · ERROR' : s.status === 'unset' ? ' · status unset' : ''}`,
      `span ${s.span_id}${s.parent_span_id ? ` · parent ${s.parent_span_id}` : ' · no parent'}`,
      `${fmt.ms(s.start_ms)} → ${fmt.ms(s.end_ms)} ms · ${fmt.ms(duration)} ms`,
    ].join('\n');
    const bar = el('span', { className: error ? 'tl-bar failed' : 'tl-bar' });
    bar.style.left = pos(s.start_ms);
    bar.style.width = pos(duration);
    bar.style.setProperty('--c', colourFor(s.worker_type));
    // the name sits right of the bar; left of it when the bar ends near the right edge; on it when it spans both
    const label = el('span', { className: 'tl-label' }, `${error ? '✕ ' : ''}${s.name} · ${fmt.ms(duration)} ms`);
    if (s.end_ms / total <= 0.7) {
      label.style.left = `calc(${pos(s.end_ms)} + 4px)`;
    } else if (s.start_ms / total >= 0.3) {
      label.style.right = `calc(${100 - (100 * s.start_ms) / total}% + 4px)`;
    } else {
      label.style.left = `calc(${pos(s.start_ms)} + 4px)`;
      label.classList.add('on-bar');
    }
    const row = el('div', { className: 'tl-row', title: tip }, bar, label);
    row.dataset.spanId = s.span_id;
    return row;
  });
  box.replaceChildren(axis, el('div', { className: 'tl-rows' },
    ...(rows.length ? rows : [el('p', { className: 'placeholder' }, 'no worker spans')])));
  box.dataset.bars = String(rows.length);
}

// ---------------------------------------------------------------- start

// another range: redraw at once with the data on screen (the x range function reads the select)
$('#live-range').addEventListener('change', () => {
  if (livePlot) livePlot.setData(livePlot.data);
});
$('#trace-form').addEventListener('submit', (e) => { e.preventDefault(); showTrace(); });
// Back/forward or an edited URL: load what the hash names.
window.addEventListener('hashchange', () => {
  const { id, bucket } = readHash();
  if (!id) return;
  $('#trace-id').value = id;
  if (bucket) $('#bucket-ms').value = bucket;
  loadTrace(id, bucket || $('#bucket-ms').value.trim());
});
window.addEventListener('resize', () => {
  if (livePlot) livePlot.setSize(chartSize($('#live-chart'), 280));
  if (tracePlot) tracePlot.setSize(chartSize($('#trace-chart'), 240)); // its draw hook realigns the timeline
});

$('#empty').textContent = EMPTY_TEXT;
{
  const { id, bucket } = readHash();
  if (id) {
    $('#trace-id').value = id;
    if (bucket) $('#bucket-ms').value = bucket;
    loadTrace(id, $('#bucket-ms').value.trim());
  }
}
(async function liveLoop() { await refreshLive(); setTimeout(liveLoop, REFRESH_MS); })();
(async function recentLoop() { await refreshRecent(); setTimeout(recentLoop, RECENT_REFRESH_MS); })();
