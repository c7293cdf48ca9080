// The Node.js OpenTelemetry SDK as an independent OTLP client for NodeSdkIT.
//
//   node send-spans.mjs <traces-url> <json|proto>
//   (or OTLP_TRACES_URL / OTLP_PROTOCOL in the environment)
//
// Builds a fixed set of spans (fixed ids, explicit times, attributes of every type, events, links,
// trace state, statuses, dropped counts), exports them once through the SDK's OTLP/HTTP exporter
// (JSON: @opentelemetry/exporter-trace-otlp-http, protobuf: @opentelemetry/exporter-trace-otlp-proto)
// and prints to stdout, as one JSON line, what the SDK held for those spans: the expectation the test
// checks the received request against. That manifest is written from the SDK's ReadableSpans, not from
// the OTLP encoding, so a mistake in either side's OTLP/JSON handling shows as a difference.
//
// Exit code 0 when the export succeeded, 1 when it failed, 2 on bad arguments.
import { context, createTraceState, trace, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';

const url = process.argv[2] ?? process.env.OTLP_TRACES_URL;
const protocol = process.argv[3] ?? process.env.OTLP_PROTOCOL ?? 'json';
if (!url || !['json', 'proto'].includes(protocol)) {
  console.error('usage: node send-spans.mjs <traces-url> <json|proto>');
  process.exit(2);
}

// Fixed ids, so the test can name them. Span ids carry the protocol, so two runs never collide.
const tag = protocol === 'json' ? '1' : '2';
let nextTrace = 1;
let nextSpan = 1;
const idGenerator = {
  generateTraceId: () => `${tag}0f1e2d3c4b5a697` + (nextTrace++).toString(16).padStart(16, '0'),
  generateSpanId: () => `${tag}bcd` + (nextSpan++).toString(16).padStart(12, '0'),
};

const resource = resourceFromAttributes({
  'service.name': `node-sdk-it-${protocol}`,
  'service.version': '1.2.3',
  'host.cores': 8,
  'process.runtime.name': 'nodejs',
  'deployment.tags': ['blue', 'canary'],
});

const memory = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  resource,
  idGenerator,
  spanLimits: { attributeCountLimit: 32, eventCountLimit: 4, linkCountLimit: 2 },
  spanProcessors: [new SimpleSpanProcessor(memory)],
});
const tracer = provider.getTracer('dev.inflight.tests.node', '0.9.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });
const dbTracer = provider.getTracer('dev.inflight.tests.node.db');

const T0 = 1_700_000_000; // seconds; times are [seconds, nanoseconds] for nanosecond precision
const at = (ms, ns = 0) => [T0 + Math.floor(ms / 1000), (ms % 1000) * 1_000_000 + ns];

// 1. A server span with every attribute type, two events and an error status.
const root = tracer.startSpan('GET /checkout', {
  kind: SpanKind.SERVER,
  startTime: at(0, 123),
  attributes: {
    'http.request.method': 'GET',
    'http.response.status_code': 502,
    'http.route': '/checkout',
    'retry': false,
    'ratio': 0.25,
    'negative': -42,
    'big': Number.MAX_SAFE_INTEGER,
    'tiny': 1.5e-7,
    'empty': '',
    'unicode': 'héllo "quoted" \\ back\nslash 日本 🚀 \u0001',
    'strings': ['a', 'b', ''],
    'ints': [1, -2, 3],
    'doubles': [1.5, -0.5],
    'bools': [true, false],
  },
});
root.addEvent('cache miss', { 'cache.key': 'cart:42', 'cache.hit': false }, at(10, 5));
root.addEvent('retrying', at(100));
root.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined: card "4242" 💳' });

// 2. Its child, a client span with a link to a remote span that carries trace state.
const linked = {
  traceId: 'abcdef0123456789abcdef0123456789',
  spanId: 'fedcba9876543210',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: createTraceState('vendor=opaque,rojo=00f067aa0ba902b7'),
};
const child = tracer.startSpan('charge card', {
  kind: SpanKind.CLIENT,
  startTime: at(20),
  attributes: { 'peer.service': 'payments' },
  links: [{ context: linked, attributes: { 'link.reason': 'retry of', 'link.attempt': 2 } }],
}, trace.setSpan(context.active(), root));

// 3. A grandchild from another tracer (scope), no attributes, unset status.
const grandchild = dbTracer.startSpan('SELECT cards', { startTime: at(30) }, trace.setSpan(context.active(), child));
grandchild.end(at(40, 999_999));
child.setStatus({ code: SpanStatusCode.OK });
child.end(at(200));
root.end(at(250, 456));

// 4. A consumer span whose parent is remote (trace state inherited), in the remote parent's trace.
const remoteParent = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: createTraceState('congo=t61rcWkgMzE'),
};
const consumer = tracer.startSpan('orders process', {
  kind: SpanKind.CONSUMER,
  startTime: at(300),
  attributes: { 'messaging.system': 'kafka', 'messaging.batch.message_count': 3 },
}, trace.setSpanContext(context.active(), remoteParent));
consumer.end(at(310));

// 5. A producer root in a second trace that overflows the limits: dropped attributes, events, links.
const overflowAttributes = {};
for (let i = 0; i < 40; i++) overflowAttributes[`extra.${String(i).padStart(2, '0')}`] = i;
const overflow = tracer.startSpan('overflow', {
  kind: SpanKind.PRODUCER,
  root: true,
  startTime: at(400),
  attributes: overflowAttributes,
  links: [0, 1, 2].map(i => ({ context: { ...linked, spanId: `fedcba98765432${i}0`, traceState: undefined }, attributes: { i } })),
});
for (let i = 0; i < 6; i++) overflow.addEvent(`event ${i}`, { i }, at(401 + i));
overflow.end(at(500));

// 6. An internal span, defaults only.
tracer.startSpan('internal', { startTime: at(600), root: true }).end(at(600, 1));

await provider.forceFlush();
const spans = memory.getFinishedSpans();

// What the SDK holds, in a neutral typed form: values as [type, value] with type s|b|i|d|a.
const typed = v => {
  if (Array.isArray(v)) return ['a', v.map(typed)];
  if (typeof v === 'string') return ['s', v];
  if (typeof v === 'boolean') return ['b', v];
  if (typeof v === 'number') return Number.isInteger(v) ? ['i', String(v)] : ['d', v];
  throw new Error(`attribute value of type ${typeof v}`);
};
const attrs = a => Object.fromEntries(Object.entries(a ?? {}).map(([k, v]) => [k, typed(v)]));
const nanos = ([s, n]) => (BigInt(s) * 1_000_000_000n + BigInt(n)).toString();
const flags = (traceFlags, isRemote) => (traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0);
const manifest = spans.map(s => ({
  resource: { attributes: attrs(s.resource.attributes), schemaUrl: s.resource.schemaUrl ?? '' },
  scope: { name: s.instrumentationScope.name, version: s.instrumentationScope.version ?? '', schemaUrl: s.instrumentationScope.schemaUrl ?? '' },
  traceId: s.spanContext().traceId,
  spanId: s.spanContext().spanId,
  traceState: s.spanContext().traceState?.serialize() ?? '',
  parentSpanId: s.parentSpanContext?.spanId ?? '',
  flags: flags(s.spanContext().traceFlags, s.parentSpanContext?.isRemote),
  name: s.name,
  kind: s.kind + 1, // API kinds start at INTERNAL = 0, OTLP's at UNSPECIFIED = 0
  startTimeUnixNano: nanos(s.startTime),
  endTimeUnixNano: nanos(s.endTime),
  attributes: attrs(s.attributes),
  droppedAttributesCount: s.droppedAttributesCount,
  events: s.events.map(e => ({ name: e.name, timeUnixNano: nanos(e.time), attributes: attrs(e.attributes), droppedAttributesCount: e.droppedAttributesCount ?? 0 })),
  droppedEventsCount: s.droppedEventsCount,
  links: s.links.map(l => ({
    traceId: l.context.traceId, spanId: l.context.spanId, traceState: l.context.traceState?.serialize() ?? '',
    flags: flags(l.context.traceFlags, l.context.isRemote),
    attributes: attrs(l.attributes), droppedAttributesCount: l.droppedAttributesCount ?? 0,
  })),
  droppedLinksCount: s.droppedLinksCount,
  status: { code: s.status.code, message: s.status.message ?? '' },
}));

const exporter = protocol === 'json' ? new JsonExporter({ url }) : new ProtoExporter({ url });
const result = await new Promise(resolve => exporter.export(spans, resolve));
await exporter.shutdown();
await provider.shutdown();
if (result.code !== 0) {
  console.error(`export over OTLP/HTTP ${protocol} to ${url} failed: ${result.error?.stack ?? result.error}`);
  process.exit(1);
}
process.stdout.write(JSON.stringify({ protocol, spans: manifest }) + '\n');
