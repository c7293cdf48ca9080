// The Node.js OpenTelemetry SDK's logs as an independent OTLP client for NodeSdkLogsIT.
//
//   node send-logs.mjs <url> <json|proto|grpc>
//   (or OTLP_LOGS_URL / OTLP_PROTOCOL in the environment)
//
// <url> is the logs URL (http://host:4318/v1/logs) for json and proto, the gRPC endpoint
// (http://host:4317) for grpc. Builds a fixed set of log records (explicit times and observed times,
// bodies of every kind the API takes, severities with and without text, attributes of every type,
// trace context from sampled and unsampled span contexts, an event name, dropped attributes, two
// resources and three scopes), exports them once through the SDK's OTLP exporter (JSON:
// @opentelemetry/exporter-logs-otlp-http, protobuf: @opentelemetry/exporter-logs-otlp-proto, gRPC:
// @opentelemetry/exporter-logs-otlp-grpc) and prints to stdout, as one JSON line, what the SDK held
// for those records: the expectation the test checks the received requests against. That manifest is
// written from the SDK's ReadableLogRecords, not from the OTLP encoding.
//
// Exit code 0 when every export succeeded, 1 when one failed, 2 on bad arguments.
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as GrpcExporter } from '@opentelemetry/exporter-logs-otlp-grpc';

const url = process.argv[2] ?? process.env.OTLP_LOGS_URL;
const protocol = process.argv[3] ?? process.env.OTLP_PROTOCOL ?? 'json';
if (!url || !['json', 'proto', 'grpc'].includes(protocol)) {
  console.error('usage: node send-logs.mjs <url> <json|proto|grpc>');
  process.exit(2);
}

// Observed times carry the protocol, so the records of two runs never share one (they are the key).
const tag = { json: 1, proto: 2, grpc: 3 }[protocol];
const T0 = 1_700_000_000 + tag; // seconds; times are [seconds, nanoseconds] for nanosecond precision
const at = (ms, ns = 0) => [T0 + Math.floor(ms / 1000), (ms % 1000) * 1_000_000 + ns];

const memory = new InMemoryLogRecordExporter();
const checkout = new LoggerProvider({
  resource: resourceFromAttributes({
    'service.name': `node-sdk-logs-it-${protocol}`,
    'service.version': '1.2.3',
    'host.cores': 8,
    'deployment.tags': ['blue', 'canary'],
  }),
  logRecordLimits: { attributeCountLimit: 32 },
  processors: [new SimpleLogRecordProcessor({ exporter: memory })],
});
const workers = new LoggerProvider({
  resource: resourceFromAttributes({ 'service.name': `node-sdk-logs-it-${protocol}-worker` }),
  processors: [new SimpleLogRecordProcessor({ exporter: memory })],
});
const app = checkout.getLogger('dev.inflight.tests.node.logs', '0.9.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });
const audit = checkout.getLogger('dev.inflight.tests.node.logs.audit');
const jobs = workers.getLogger('dev.inflight.tests.node.jobs', '2.0');

const sampled = trace.setSpanContext(context.active(), {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true,
});
const unsampled = trace.setSpanContext(context.active(), {
  traceId: 'abcdef0123456789abcdef0123456789', spanId: 'fedcba9876543210', traceFlags: TraceFlags.NONE, isRemote: true,
});

// 1. A string body (escapes, unicode) with attributes of every type, in a sampled span's context.
app.emit({
  timestamp: at(0, 123), observedTimestamp: at(0, 1),
  severityNumber: SeverityNumber.INFO, severityText: 'INFO',
  body: 'checkout done: héllo "quoted" \\ back\nslash 日本 🚀 \u0001',
  context: sampled,
  attributes: {
    'http.request.method': 'GET',
    'http.response.status_code': 502,
    'retry': false,
    'ratio': 0.25,
    'negative': -42,
    'big': Number.MAX_SAFE_INTEGER,
    'tiny': 1.5e-7,
    'empty': '',
    'strings': ['a', 'b', ''],
    'ints': [1, -2, 3],
    'doubles': [1.5, -0.5],
    'bools': [true, false],
    'map': { 'k': 'v', 'n': 1, 'nested': { 'deep': true } },
    'digest': new Uint8Array([1, 2, 3]),
  },
});
// 2. A bool body, severity number without text.
app.emit({ timestamp: at(2), observedTimestamp: at(0, 2), severityNumber: SeverityNumber.WARN2, body: true });
// 3. An integer body, in an unsampled span's context (flags 0, ids kept).
app.emit({ timestamp: at(3), observedTimestamp: at(0, 3), severityNumber: SeverityNumber.ERROR, severityText: 'error',
  body: -9_007_199_254_740_991, context: unsampled });
// 4. A double body.
app.emit({ timestamp: at(4), observedTimestamp: at(0, 4), severityNumber: SeverityNumber.FATAL4, severityText: 'CRIT', body: -1.5e-7 });
// 5. A bytes body, every byte value a protobuf or JSON codec might mangle.
app.emit({ timestamp: at(5), observedTimestamp: at(0, 5), severityNumber: SeverityNumber.DEBUG3,
  body: new Uint8Array([0, 1, 0x7f, 0x80, 0xff, 0x22, 0x5c, 0x0a]) });
// 6. An array body of mixed values, nested.
app.emit({ timestamp: at(6), observedTimestamp: at(0, 6), severityNumber: SeverityNumber.TRACE,
  body: ['one', 2, 3.5, false, ['nested'], { k: 'v' }, new Uint8Array([9])] });
// 7. A map body, nested (a structured log line).
audit.emit({ timestamp: at(7), observedTimestamp: at(0, 7), severityNumber: SeverityNumber.INFO4, severityText: 'audit',
  body: { id: 'o-42', items: [1, 2], paid: true, payload: new Uint8Array([0xca, 0xfe]), customer: { name: 'Zoë', tier: 3 } },
  attributes: { 'audit.kind': 'order' } });
// 8. No body, no severity: the SDK sends an empty AnyValue.
audit.emit({ timestamp: at(8), observedTimestamp: at(0, 8) });
// 9. An event, in the sampled span's context.
app.emit({ timestamp: at(9), observedTimestamp: at(0, 9), severityNumber: SeverityNumber.INFO,
  eventName: 'checkout.completed', attributes: { 'cart.items': 3 }, context: sampled });
// 10. More attributes than the limit: dropped attributes.
const extra = {};
for (let i = 0; i < 40; i++) extra[`extra.${String(i).padStart(2, '0')}`] = i;
app.emit({ timestamp: at(10), observedTimestamp: at(0, 10), severityNumber: SeverityNumber.ERROR3, severityText: 'ERROR',
  body: 'payment failed', attributes: extra });
// 11 and 12. The second resource's logger: a plain line, and one at a fatal severity in a trace.
jobs.emit({ timestamp: at(11), observedTimestamp: at(0, 11), severityNumber: SeverityNumber.DEBUG, body: 'job claimed',
  attributes: { 'job.id': 'j-1' } });
jobs.emit({ timestamp: at(12), observedTimestamp: at(0, 12), severityNumber: SeverityNumber.FATAL, severityText: 'FATAL',
  body: 'worker died', context: sampled });

await checkout.forceFlush();
await workers.forceFlush();
const records = memory.getFinishedLogRecords();

// What the SDK holds, in a neutral typed form: values as [type, value] with type s|b|i|d|a|m|y|e
// (string, bool, integer as a decimal string, double, array, map, bytes as hex, empty).
const typed = v => {
  if (v === null || v === undefined) return ['e', null];
  if (Array.isArray(v)) return ['a', v.map(typed)];
  if (v instanceof Uint8Array) return ['y', Buffer.from(v).toString('hex')];
  if (typeof v === 'string') return ['s', v];
  if (typeof v === 'boolean') return ['b', v];
  if (typeof v === 'number') return Number.isInteger(v) ? ['i', String(v)] : ['d', v];
  if (typeof v === 'object') return ['m', attrs(v)];
  throw new Error(`value of type ${typeof v}`);
};
const attrs = a => Object.fromEntries(Object.entries(a ?? {}).map(([k, v]) => [k, typed(v)]));
const nanos = ([s, n]) => (BigInt(s) * 1_000_000_000n + BigInt(n)).toString();
const manifest = records.map(l => ({
  resource: { attributes: attrs(l.resource.attributes), schemaUrl: l.resource.schemaUrl ?? '' },
  scope: { name: l.instrumentationScope.name, version: l.instrumentationScope.version ?? '', schemaUrl: l.instrumentationScope.schemaUrl ?? '' },
  timeUnixNano: nanos(l.hrTime),
  observedTimeUnixNano: nanos(l.hrTimeObserved),
  severityNumber: l.severityNumber ?? 0,
  severityText: l.severityText ?? '',
  body: typed(l.body), // the OTLP encoders send a missing body as an empty AnyValue
  attributes: attrs(l.attributes),
  droppedAttributesCount: l.droppedAttributesCount,
  flags: l.spanContext?.traceFlags ?? 0, // the W3C trace flags alone
  traceId: l.spanContext?.traceId ?? '',
  spanId: l.spanContext?.spanId ?? '',
  eventName: l.eventName ?? '',
}));

const exporter = protocol === 'json' ? new JsonExporter({ url })
  : protocol === 'proto' ? new ProtoExporter({ url })
  : new GrpcExporter({ url, compression: 'gzip' });
const result = await new Promise(resolve => exporter.export(records, resolve));
await exporter.shutdown();
await checkout.shutdown();
await workers.shutdown();
if (result.code !== 0) {
  console.error(`export over OTLP ${protocol} to ${url} failed: ${result.error?.stack ?? result.error}`);
  process.exit(1);
}
process.stdout.write(JSON.stringify({ protocol, logs: manifest }) + '\n');
