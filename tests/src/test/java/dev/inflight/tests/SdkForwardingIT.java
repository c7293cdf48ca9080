package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java SDK's own OTLP exporters ({@link OtlpGrpcSpanExporter}, {@link OtlpHttpSpanExporter}
 * with protobuf) send a fixed set of spans to a running inflight, which forwards them through its {@code otlp}
 * exporter (to a gRPC recorder, and to a second inflight) and that one's {@code otlphttp} exporter (to an HTTP
 * recorder): see {@link ForwardingChain}. At both recorders every span arrives exactly once and equals what
 * the SDK sent, attribute for attribute, ids, times, events, links, statuses and dropped counts included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkForwardingIT {
  @TempDir static Path dir;

  private ForwardingChain chain;

  @BeforeAll
  void startChain() throws Exception {
    chain = ForwardingChain.start(dir);
  }

  @AfterAll
  void stopChain() {
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void otlpGrpcSpanExporterToInflightArrivesUnchanged() throws Exception {
    chain.clearRecorders();
    List<SpanData> sent = fixedSpans('1');
    OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
        .setEndpoint(chain.grpcEndpoint()).setCompression("gzip").setTimeout(Duration.ofSeconds(10)).build();
    try {
      CompletableResultCode result = exporter.export(sent).join(15, TimeUnit.SECONDS);
      assertThat(result.isSuccess()).as("OtlpGrpcSpanExporter export succeeded; %s", chain.stderr()).isTrue();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
    assertArrivedUnchanged(sent);
  }

  @Test
  void otlpHttpSpanExporterProtobufToInflightArrivesUnchanged() throws Exception {
    chain.clearRecorders();
    List<SpanData> sent = fixedSpans('2');
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(chain.httpTracesUrl()).setTimeout(Duration.ofSeconds(10)).build();
    try {
      CompletableResultCode result = exporter.export(sent).join(15, TimeUnit.SECONDS);
      assertThat(result.isSuccess()).as("OtlpHttpSpanExporter export succeeded; %s", chain.stderr()).isTrue();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
    assertArrivedUnchanged(sent);
  }

  private void assertArrivedUnchanged(List<SpanData> sent) throws Exception {
    Map<String, CanonicalSpans.Span> expected = CanonicalSpans.bySpanId(sent.stream().map(CanonicalSpans::fromSdk).toList());
    // The fixture is what the test means it to be (so an SDK change cannot quietly make it trivial).
    assertThat(expected).hasSize(6);
    assertThat(expected.values()).extracting(CanonicalSpans.Span::statusCode).contains(2, 1, 0);
    assertThat(expected.values()).filteredOn(s -> s.droppedAttributes() == 8 && s.droppedEvents() == 2 && s.droppedLinks() == 1).hasSize(1);

    for (OtlpRecorders.Recorder recorder : List.of(chain.grpc, chain.http)) {
      List<CanonicalSpans.Span> got = recorder.awaitSpans(expected.size(), Duration.ofSeconds(30), Duration.ofMillis(300), chain::stderr);
      Map<String, CanonicalSpans.Span> actual = CanonicalSpans.bySpanId(got);
      String where = recorder.getClass().getSimpleName();
      assertThat(actual.keySet()).as("span ids at the %s", where).containsExactlyElementsOf(expected.keySet());
      for (String id : expected.keySet()) {
        assertThat(actual.get(id)).as("span %s at the %s", id, where).isEqualTo(expected.get(id));
      }
    }
    assertThat(chain.grpc.received()).allSatisfy(r -> assertThat(r.contentType()).startsWith("application/grpc"));
    assertThat(chain.http.received()).allSatisfy(r -> {
      assertThat(r.contentType()).isEqualTo("application/x-protobuf");
      assertThat(r.contentEncoding()).isEqualTo("gzip"); // the otlphttp default
    });
  }

  // ---- the fixed spans, built by the SDK

  private static final long T0 = 1_700_000_000_000_000_000L;

  /** Ids start with {@code tag}, so the spans of two runs never share an id. */
  private static IdGenerator ids(char tag) {
    AtomicLong traces = new AtomicLong();
    AtomicLong spans = new AtomicLong();
    return new IdGenerator() {
      @Override
      public String generateSpanId() {
        return tag + "a" + String.format("%014x", spans.incrementAndGet());
      }

      @Override
      public String generateTraceId() {
        return tag + "e" + String.format("%030x", traces.incrementAndGet());
      }
    };
  }

  static List<SpanData> fixedSpans(char tag) {
    CollectingSpanExporter collect = new CollectingSpanExporter();
    List<SpanData> finished = collect.finished();
    Resource resource = Resource.getDefault().merge(Resource.builder()
        .put("service.name", "sdk-forwarding-it")
        .put("service.version", "1.2.3")
        .put("host.cores", 8L)
        .put(AttributeKey.stringArrayKey("deployment.tags"), List.of("blue", "canary"))
        .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
        .build());
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(resource)
        .setIdGenerator(ids(tag))
        .setSpanLimits(SpanLimits.builder().setMaxNumberOfAttributes(32).setMaxNumberOfEvents(4).setMaxNumberOfLinks(2).build())
        .addSpanProcessor(SimpleSpanProcessor.create(collect))
        .build()) {
      Tracer tracer = provider.tracerBuilder("dev.inflight.tests.java").setInstrumentationVersion("0.9.0")
          .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0").build();
      Tracer dbTracer = provider.get("dev.inflight.tests.java.db");

      // 1. A server span with every attribute type, two events and an error status.
      Span root = tracer.spanBuilder("GET /checkout").setNoParent().setSpanKind(SpanKind.SERVER)
          .setStartTimestamp(T0 + 123, TimeUnit.NANOSECONDS)
          .setAttribute("http.request.method", "GET")
          .setAttribute("http.response.status_code", 502L)
          .setAttribute("retry", false)
          .setAttribute("ratio", 0.25)
          .setAttribute("negative", -42L)
          .setAttribute("big", Long.MAX_VALUE)
          .setAttribute("min", Long.MIN_VALUE)
          .setAttribute("tiny", 1.5e-7)
          .setAttribute("whole double", 3.0)
          .setAttribute("empty", "")
          .setAttribute("unicode", "héllo \"quoted\" \\ back\nslash 日本 🚀 \u0001")
          .setAttribute(AttributeKey.stringArrayKey("strings"), List.of("a", "b", ""))
          .setAttribute(AttributeKey.longArrayKey("longs"), List.of(1L, -2L, 3L))
          .setAttribute(AttributeKey.doubleArrayKey("doubles"), List.of(1.5, -0.5))
          .setAttribute(AttributeKey.booleanArrayKey("bools"), List.of(true, false))
          .startSpan();
      root.addEvent("cache miss", Attributes.builder().put("cache.key", "cart:42").put("cache.hit", false).build(),
          T0 + 10_000_005, TimeUnit.NANOSECONDS);
      root.addEvent("retrying", T0 + 100_000_000, TimeUnit.NANOSECONDS);
      root.setStatus(StatusCode.ERROR, "payment declined: card \"4242\" 💳");

      // 2. Its child, a client span with a link to a remote span that carries trace state.
      SpanContext linked = SpanContext.createFromRemoteParent("abcdef0123456789abcdef0123456789", "fedcba9876543210",
          TraceFlags.getSampled(), TraceState.builder().put("vendor", "opaque").put("rojo", "00f067aa0ba902b7").build());
      Span child = tracer.spanBuilder("charge card").setParent(Context.root().with(root)).setSpanKind(SpanKind.CLIENT)
          .setStartTimestamp(T0 + 20_000_000, TimeUnit.NANOSECONDS)
          .setAttribute("peer.service", "payments")
          .addLink(linked, Attributes.builder().put("link.reason", "retry of").put("link.attempt", 2L).build())
          .startSpan();

      // 3. A grandchild from another tracer (scope), no attributes, unset status.
      dbTracer.spanBuilder("SELECT cards").setParent(Context.root().with(child))
          .setStartTimestamp(T0 + 30_000_000, TimeUnit.NANOSECONDS).startSpan()
          .end(T0 + 40_999_999, TimeUnit.NANOSECONDS);
      child.setStatus(StatusCode.OK);
      child.end(T0 + 200_000_000, TimeUnit.NANOSECONDS);
      root.end(T0 + 250_000_456, TimeUnit.NANOSECONDS);

      // 4. A consumer span whose parent is remote (trace state inherited), in the remote parent's trace.
      SpanContext remoteParent = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
          TraceFlags.getSampled(), TraceState.builder().put("congo", "t61rcWkgMzE").build());
      tracer.spanBuilder("orders process").setParent(Context.root().with(Span.wrap(remoteParent)))
          .setSpanKind(SpanKind.CONSUMER).setStartTimestamp(T0 + 300_000_000, TimeUnit.NANOSECONDS)
          .setAttribute("messaging.system", "kafka").setAttribute("messaging.batch.message_count", 3L)
          .startSpan().end(T0 + 310_000_000, TimeUnit.NANOSECONDS);

      // 5. A producer root in a second trace that overflows the limits: dropped attributes, events, links.
      var overflowBuilder = tracer.spanBuilder("overflow").setNoParent().setSpanKind(SpanKind.PRODUCER)
          .setStartTimestamp(T0 + 400_000_000, TimeUnit.NANOSECONDS);
      for (int i = 0; i < 40; i++) {
        overflowBuilder.setAttribute(String.format("extra.%02d", i), (long) i);
      }
      for (int i = 0; i < 3; i++) {
        overflowBuilder.addLink(SpanContext.createFromRemoteParent(linked.getTraceId(), "fedcba98765432" + i + "0",
            TraceFlags.getSampled(), TraceState.getDefault()), Attributes.of(AttributeKey.longKey("i"), (long) i));
      }
      Span overflow = overflowBuilder.startSpan();
      for (int i = 0; i < 6; i++) {
        overflow.addEvent("event " + i, Attributes.of(AttributeKey.longKey("i"), (long) i),
            T0 + (401 + i) * 1_000_000L, TimeUnit.NANOSECONDS);
      }
      overflow.end(T0 + 500_000_000, TimeUnit.NANOSECONDS);

      // 6. An internal span, defaults only.
      tracer.spanBuilder("internal").setNoParent().setStartTimestamp(T0 + 600_000_000, TimeUnit.NANOSECONDS)
          .startSpan().end(T0 + 600_000_001, TimeUnit.NANOSECONDS);
    }
    return new ArrayList<>(finished);
  }
}
