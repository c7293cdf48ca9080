package dev.inflight.tools.loadgen;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds the load generator's requests: traces of the {@link TraceShape}, with the attributes an
 * HTTP server, a worker pool and a database client set, one resource per request (as an SDK
 * exports), children before parents (as spans end). Seeded, so a run is repeatable.
 */
public final class TraceGenerator {
  /** Span time the template is written at; {@link RequestTemplate#stamp} moves it to now. */
  private static final long BASE_NANOS = 1_700_000_000_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final String[] SERVICES = {"checkout", "accounts", "payments", "inventory", "shipping"};
  private static final String[] ROUTES = {"/api/checkout", "/api/accounts/{id}", "/api/orders", "/api/cart"};
  private static final String[] QUERIES = {"SELECT accounts", "UPDATE ledger", "SELECT orders", "INSERT events"};

  private final TraceShape shape;

  public TraceGenerator(TraceShape shape) {
    this.shape = shape;
  }

  /** {@code count} different requests, for senders to cycle through. */
  public List<RequestTemplate> templates(int count, boolean json, long seed) {
    List<RequestTemplate> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Random random = new Random(seed * 31 + i);
      List<Integer> traceOfSpan = new ArrayList<>(shape.spansPerRequest());
      ExportTraceServiceRequest request = request(i, random, traceOfSpan);
      out.add(RequestTemplate.of(request, traceOfSpan.stream().mapToInt(Integer::intValue).toArray(), json));
    }
    return out;
  }

  /**
   * One request of {@code spansPerRequest} spans; the trace index of each span, in order, is added
   * to {@code traceOfSpan}.
   */
  ExportTraceServiceRequest request(int index, Random random, List<Integer> traceOfSpan) {
    int service = index % shape.services();
    String serviceName = service < SERVICES.length ? SERVICES[service] : "service-" + service;
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("dev.inflight.loadgen").setVersion("1.0.0"));
    long traceStart = BASE_NANOS;
    int trace = 0;
    int workerName = 0;
    while (scope.getSpansCount() < shape.spansPerRequest()) {
      int room = shape.spansPerRequest() - scope.getSpansCount();
      ByteString traceId = ByteString.copyFrom(id(random, 16));
      long rootDuration = (40 + random.nextInt(160)) * MS;
      byte[] rootId = id(random, 8);
      int workers = Math.min(1 + random.nextInt(4), (room - 1) / 2);
      long slot = rootDuration / (workers + 1);
      // Children first: a worker span and, inside it, its database call.
      for (int w = 0; w < workers; w++) {
        long start = traceStart + (w * slot) + random.nextInt((int) (slot / 4));
        long duration = slot / 2 + random.nextInt((int) (slot / 2));
        byte[] workerId = id(random, 8);
        long dbStart = start + duration / 4;
        scope.addSpans(span(random, traceId, id(random, 8), workerId, QUERIES[random.nextInt(QUERIES.length)],
            Span.SpanKind.SPAN_KIND_CLIENT, dbStart, dbStart + duration / 2, false));
        boolean failed = random.nextInt(50) == 0;
        scope.addSpans(span(random, traceId, workerId, rootId,
            shape.workerNames().get(workerName++ % shape.workerNames().size()),
            Span.SpanKind.SPAN_KIND_INTERNAL, start, start + duration, failed));
        traceOfSpan.add(trace);
        traceOfSpan.add(trace);
      }
      scope.addSpans(span(random, traceId, rootId, null, "POST " + ROUTES[random.nextInt(ROUTES.length)],
          Span.SpanKind.SPAN_KIND_SERVER, traceStart, traceStart + rootDuration, false));
      traceOfSpan.add(trace);
      trace++;
      // Requests arrive every few milliseconds, so the traces of one export overlap.
      traceStart += (1 + random.nextInt(8)) * MS;
    }
    Resource.Builder resource = Resource.newBuilder()
        .addAttributes(string("service.name", serviceName))
        .addAttributes(string("service.version", "2.4." + service))
        .addAttributes(string("service.instance.id", serviceName + "-" + Long.toHexString(random.nextLong())))
        .addAttributes(string("host.name", "node-" + service))
        .addAttributes(string("telemetry.sdk.name", "opentelemetry"))
        .addAttributes(string("telemetry.sdk.language", "java"))
        .addAttributes(string("telemetry.sdk.version", "1.65.0"));
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope)
            .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0"))
        .build();
  }

  private Span span(Random random, ByteString traceId, byte[] spanId, byte[] parentId, String name,
      Span.SpanKind kind, long start, long end, boolean failed) {
    Span.Builder span = Span.newBuilder()
        .setTraceId(traceId)
        .setSpanId(ByteString.copyFrom(spanId))
        .setName(name)
        .setKind(kind)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(end)
        .setFlags(0x101);
    if (parentId != null) {
      span.setParentSpanId(ByteString.copyFrom(parentId));
    }
    if (failed) {
      span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("timeout"));
    }
    for (int a = 0; a < shape.attributes(); a++) {
      span.addAttributes(attribute(a, random));
    }
    return span.build();
  }

  /** The attributes instrumentation sets, in their semantic-convention spelling and types. */
  private static KeyValue attribute(int a, Random random) {
    return switch (a) {
      case 0 -> string("http.request.method", "POST");
      case 1 -> string("url.path", ROUTES[random.nextInt(ROUTES.length)]);
      case 2 -> integer("http.response.status_code", random.nextInt(100) == 0 ? 503 : 200);
      case 3 -> string("server.address", "api.example.com");
      case 4 -> integer("server.port", 8080);
      case 5 -> string("network.protocol.version", "1.1");
      case 6 -> string("thread.name", "pool-1-thread-" + random.nextInt(16));
      case 7 -> integer("thread.id", 20 + random.nextInt(16));
      case 8 -> string("code.function", "handle");
      case 9 -> string("code.namespace", "com.example.checkout.CheckoutHandler");
      case 10 -> string("db.system", "postgresql");
      case 11 -> string("db.namespace", "accounts");
      case 12 -> string("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36");
      case 13 -> string("app.request.id", Long.toHexString(random.nextLong()));
      case 14 -> string("app.tenant.id", "tenant-" + random.nextInt(100));
      case 15 -> bool("app.cache.hit", random.nextBoolean());
      case 16 -> integer("app.retry.attempt", random.nextInt(3));
      case 17 -> integer("app.payload.bytes", random.nextInt(65536));
      case 18 -> real("app.queue.load", random.nextDouble());
      case 19 -> string("app.region", "eu-west-1");
      default -> string("app.attribute." + a, "value-" + random.nextInt(1000));
    };
  }

  private static byte[] id(Random random, int length) {
    byte[] id = new byte[length];
    random.nextBytes(id);
    id[0] |= 1; // never all zero
    return id;
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  private static KeyValue bool(String key, boolean value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setBoolValue(value)).build();
  }

  private static KeyValue real(String key, double value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
  }
}
