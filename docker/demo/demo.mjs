// Load generator for the inflight stack: a simulated service, `demo-accounts`, traced and logging
// with the OpenTelemetry JS SDK, both exported over OTLP/HTTP (protobuf) to inflight.
//
//   node demo.mjs
//
// Jobs arrive at random (a Poisson process) at DEMO_RATE jobs per second. Each job is one trace:
//
//   POST /accounts                       (matches no worker type)
//   ├─ queue wait                        from arrival until one of the DEMO_WORKERS workers is free:
//   │                                    inflight's task_queue, whose active count is the queue depth
//   └─ account worker process            20-300 ms of work, ~3% end with status ERROR: account_workers
//      └─ storage write                  part of the work: storage_workers
//
// plus a `GET /health` span every second (matches no worker type). Each job also logs one record in
// its worker span's trace context: INFO `account created`, or ERROR `account rejected: ...` for the
// failed ones, with the job id and worker as attributes. With 16 workers and a mean job
// of 160 ms the pool serves about 100 jobs/s: the default 50 jobs/s keeps it half busy, and every
// DEMO_BURST_EVERY_SECONDS the rate doubles for DEMO_BURST_SECONDS, so the queue fills and drains.
//
// Environment:
//   OTEL_EXPORTER_OTLP_ENDPOINT  base URL, /v1/traces and /v1/logs are appended (http://localhost:4318)
//   OTEL_SERVICE_NAME            service.name                           (demo-accounts)
//   DEMO_RATE                    mean jobs per second                   (50)
//   DEMO_WORKERS                 worker pool size                       (16)
//   DEMO_ERROR_RATIO             share of jobs that fail                (0.03)
//   DEMO_BURST_EVERY_SECONDS     period of the bursts, 0 for none       (60)
//   DEMO_BURST_SECONDS           length of a burst                      (10)
//   DEMO_DURATION_SECONDS        stop after this long                   (unset: run until SIGTERM/SIGINT)
//   OTEL_BSP_SCHEDULE_DELAY      batch export delay in ms               (500)
//   OTEL_BLRP_SCHEDULE_DELAY     log batch export delay in ms           (500)
//
// On SIGTERM/SIGINT, or when DEMO_DURATION_SECONDS is up, no new job arrives, the jobs in flight
// finish, every span and log record is flushed, and the process exits 0 (1 if jobs ran but no span
// or no log record was exported).
import { context, diag, DiagConsoleLogger, DiagLogLevel, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';

diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

function numberFromEnv(name, fallback, { min = 0 } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    console.error(`demo: ${name}=${raw} is not a number >= ${min}`);
    process.exit(2);
  }
  return value;
}

const RATE = numberFromEnv('DEMO_RATE', 50);
const WORKERS = Math.floor(numberFromEnv('DEMO_WORKERS', 16, { min: 1 }));
const ERROR_RATIO = numberFromEnv('DEMO_ERROR_RATIO', 0.03);
const BURST_EVERY = numberFromEnv('DEMO_BURST_EVERY_SECONDS', 60);
const BURST_SECONDS = numberFromEnv('DEMO_BURST_SECONDS', 10);
const DURATION = process.env.DEMO_DURATION_SECONDS ? numberFromEnv('DEMO_DURATION_SECONDS', 0) : undefined;
const ENDPOINT = (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://localhost:4318').replace(/\/+$/, '');
const TRACES_URL = `${ENDPOINT}/v1/traces`;
const LOGS_URL = `${ENDPOINT}/v1/logs`;
const SERVICE = process.env.OTEL_SERVICE_NAME || 'demo-accounts';

// The exporter, counting what it delivered so the demo can say so (and exit 1 if nothing arrived).
const stats = { jobs: 0, done: 0, failed: 0, exportedSpans: 0, failedSpans: 0, exportedLogs: 0, failedLogs: 0 };
const otlp = new OTLPTraceExporter({ url: TRACES_URL });
const exporter = {
  export(spans, done) {
    otlp.export(spans, (result) => {
      // ExportResultCode.SUCCESS is 0.
      if (result.code === 0) {
        stats.exportedSpans += spans.length;
      } else {
        stats.failedSpans += spans.length;
      }
      done(result);
    });
  },
  shutdown: () => otlp.shutdown(),
  forceFlush: () => otlp.forceFlush(),
};

const resource = resourceFromAttributes({
  'service.name': SERVICE,
  'service.version': '1.0.0',
  'deployment.environment.name': 'demo',
});
const provider = new BasicTracerProvider({
  resource,
  spanProcessors: [
    new BatchSpanProcessor(exporter, {
      scheduledDelayMillis: numberFromEnv('OTEL_BSP_SCHEDULE_DELAY', 500),
      maxQueueSize: numberFromEnv('OTEL_BSP_MAX_QUEUE_SIZE', 16384),
      maxExportBatchSize: numberFromEnv('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 1024),
    }),
  ],
});
const tracer = provider.getTracer('inflight-demo', '1.0.0');

// The logs, to the same endpoint, counted like the spans.
const otlpLogs = new OTLPLogExporter({ url: LOGS_URL });
const logExporter = {
  export(records, done) {
    otlpLogs.export(records, (result) => {
      if (result.code === 0) {
        stats.exportedLogs += records.length;
      } else {
        stats.failedLogs += records.length;
      }
      done(result);
    });
  },
  shutdown: () => otlpLogs.shutdown(),
  forceFlush: () => otlpLogs.forceFlush(),
};
const loggerProvider = new LoggerProvider({
  resource,
  processors: [
    new BatchLogRecordProcessor({
      exporter: logExporter,
      scheduledDelayMillis: numberFromEnv('OTEL_BLRP_SCHEDULE_DELAY', 500),
      maxQueueSize: numberFromEnv('OTEL_BLRP_MAX_QUEUE_SIZE', 16384),
      maxExportBatchSize: numberFromEnv('OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', 1024),
    }),
  ],
});
const logger = loggerProvider.getLogger('inflight-demo', '1.0.0');

// Every start and end time comes from one monotonic clock with sub-millisecond precision. (Left to
// itself the SDK starts spans at Date.now(), whole milliseconds, but measures their length precisely,
// so a worker's next job could appear to start a fraction of a millisecond before its last one ended:
// 17 busy workers out of 16.)
const clock = () => performance.timeOrigin + performance.now();
const uniform = (lo, hi) => lo + Math.random() * (hi - lo);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const childContext = (span) => trace.setSpan(context.active(), span);

// --- the worker pool: WORKERS slots, and the jobs waiting for one, first come first served ---
const idle = Array.from({ length: WORKERS }, (_, i) => WORKERS - i); // worker ids, next on top
const waiting = [];
let inFlight = 0;

function acquireWorker() {
  if (idle.length > 0) {
    return Promise.resolve(idle.pop());
  }
  return new Promise((resolve) => waiting.push(resolve));
}

function releaseWorker(id) {
  const next = waiting.shift();
  if (next) {
    next(id);
  } else {
    idle.push(id);
  }
}

async function job(n) {
  inFlight++;
  stats.jobs++;
  const root = tracer.startSpan('POST /accounts', {
    kind: SpanKind.SERVER,
    startTime: clock(),
    attributes: { 'http.request.method': 'POST', 'http.route': '/accounts', 'job.id': n },
  });
  const ctx = childContext(root);

  // Waiting for a worker: the span of the time spent queued.
  const wait = tracer.startSpan('queue wait', { startTime: clock(), attributes: { 'queue.name': 'accounts' } }, ctx);
  const worker = await acquireWorker();
  wait.setAttribute('queue.depth_at_dequeue', waiting.length);
  const dequeued = clock();
  wait.end(dequeued);

  const work = tracer.startSpan('account worker process', {
    startTime: dequeued,
    attributes: { 'thread.name': `account-worker-${worker}`, 'job.id': n },
  }, ctx);
  const total = uniform(20, 300);
  const fails = Math.random() < ERROR_RATIO;
  try {
    // Some work, then a storage write taking a part of the rest, then a little more work.
    const before = total * uniform(0.1, 0.4);
    const write = total * uniform(0.3, 0.5);
    await sleep(before);
    const storage = tracer.startSpan('storage write', {
      kind: SpanKind.CLIENT,
      startTime: clock(),
      attributes: { 'db.system.name': 'postgresql', 'db.operation.name': 'INSERT' },
    }, childContext(work));
    await sleep(write);
    storage.end(clock());
    await sleep(Math.max(0, total - before - write));
    if (fails) {
      const error = new Error('account rejected: insufficient funds');
      work.recordException(error);
      work.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      root.setStatus({ code: SpanStatusCode.ERROR });
      root.setAttribute('http.response.status_code', 422);
      stats.failed++;
      logger.emit({
        severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: error.message,
        attributes: { 'job.id': n, 'thread.name': `account-worker-${worker}`, 'exception.type': error.name },
        context: childContext(work),
      });
    } else {
      root.setAttribute('http.response.status_code', 201);
      logger.emit({
        severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'account created',
        attributes: { 'job.id': n, 'thread.name': `account-worker-${worker}`, 'duration_ms': Math.round(total) },
        context: childContext(work),
      });
    }
  } finally {
    const finished = clock();
    work.end(finished);
    releaseWorker(worker);
    root.end(finished);
    stats.done++;
    inFlight--;
  }
}

function healthCheck() {
  const start = clock();
  tracer.startSpan('GET /health', {
    kind: SpanKind.SERVER,
    startTime: start,
    attributes: { 'http.request.method': 'GET', 'http.route': '/health', 'http.response.status_code': 200 },
  }).end(start + uniform(0.1, 0.5));
}

// --- arrivals: exponential gaps around an absolute schedule, so timer lateness does not lower the rate ---
const started = Date.now();
let stopping = false;
let arrivalTimer;
let nextArrival = started;
let jobNumber = 0;

function currentRate(now) {
  if (BURST_EVERY > 0 && BURST_SECONDS > 0) {
    const intoPeriod = ((now - started) / 1000) % BURST_EVERY;
    if (intoPeriod >= BURST_EVERY - BURST_SECONDS) {
      return RATE * 2;
    }
  }
  return RATE;
}

function scheduleArrivals() {
  if (stopping || RATE <= 0) {
    return;
  }
  const now = Date.now();
  while (nextArrival <= now) {
    job(++jobNumber).catch((e) => console.error('demo: job failed', e));
    nextArrival += -Math.log(1 - Math.random()) * 1000 / currentRate(nextArrival);
  }
  arrivalTimer = setTimeout(scheduleArrivals, Math.max(1, nextArrival - now));
}

const healthTimer = setInterval(healthCheck, 1000);
const reportTimer = setInterval(() => {
  console.log(`demo: ${stats.jobs} jobs, ${stats.failed} failed, ${WORKERS - idle.length}/${WORKERS} busy, `
    + `${waiting.length} queued, ${stats.exportedSpans} spans exported, ${stats.failedSpans} failed to export, `
    + `${stats.exportedLogs} log records exported, ${stats.failedLogs} log records failed to export`);
}, 10_000);

async function stop(reason) {
  if (stopping) {
    return;
  }
  stopping = true;
  console.log(`demo: ${reason}: finishing ${inFlight} jobs in flight, then flushing`);
  clearTimeout(arrivalTimer);
  clearInterval(healthTimer);
  clearInterval(reportTimer);
  const deadline = Date.now() + 10_000;
  while (inFlight > 0 && Date.now() < deadline) {
    await sleep(20);
  }
  try {
    await provider.forceFlush();
    await provider.shutdown();
    await loggerProvider.forceFlush();
    await loggerProvider.shutdown();
  } catch (e) {
    console.error('demo: flushing failed', e);
  }
  console.log(`demo: done: ${stats.jobs} jobs (${stats.failed} failed), ${stats.exportedSpans} spans exported, `
    + `${stats.failedSpans} failed to export, ${stats.exportedLogs} log records exported, `
    + `${stats.failedLogs} log records failed to export`);
  process.exit(stats.jobs === 0 || (stats.exportedSpans > 0 && stats.exportedLogs > 0) ? 0 : 1);
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
if (DURATION !== undefined) {
  setTimeout(() => stop(`${DURATION}s elapsed`), DURATION * 1000);
}

console.log(`demo: ${SERVICE}: ${RATE} jobs/s (x2 for ${BURST_SECONDS}s every ${BURST_EVERY}s) on ${WORKERS} workers, `
  + `spans to ${TRACES_URL}, logs to ${LOGS_URL}${DURATION !== undefined ? `, for ${DURATION}s` : ''}`);
healthCheck();
scheduleArrivals();
