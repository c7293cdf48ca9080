package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.connector.concurrency.SweepOracle;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Span schedules sent the way applications send them: spans recorded by the OpenTelemetry Java SDK
 * with explicit start and end times, exported by its OTLP exporters.
 */
final class SdkSpans {
  private SdkSpans() {}

  /** The SDK's OTLP transports. */
  enum Transport { GRPC, HTTP }

  /**
   * One span of a schedule.
   *
   * @param workerType the worker type its name should match, null for a span none matches
   * @param resource extra resource attributes of its service, besides service.name
   */
  record Planned(String service, String name, long start, long end, StatusCode status, String workerType,
      Map<String, String> resource) {
    Planned(String service, String name, long start, long end, StatusCode status, String workerType) {
      this(service, name, start, end, status, workerType, Map.of());
    }

    int oracleStatus() {
      return switch (status) {
        case UNSET -> SweepOracle.UNSET;
        case OK -> SweepOracle.OK;
        case ERROR -> SweepOracle.ERROR;
      };
    }

    SweepOracle.Span oracleSpan() {
      return new SweepOracle.Span(start, end, 1, oracleStatus());
    }
  }

  static SpanExporter exporter(Transport transport, Ports ports) {
    return switch (transport) {
      case GRPC -> OtlpGrpcSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + ports.grpc()).setTimeout(Duration.ofSeconds(10)).build();
      case HTTP -> OtlpHttpSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + ports.http() + "/v1/traces").setTimeout(Duration.ofSeconds(10)).build();
    };
  }

  static void export(SpanExporter exporter, List<SpanData> spans, InflightProcess p) {
    CompletableResultCode result = exporter.export(spans).join(15, TimeUnit.SECONDS);
    assertThat(result.isSuccess()).as("the SDK's export of %d spans succeeded; inflight stderr:\n%s",
        spans.size(), p.stderr()).isTrue();
  }

  /** Records and exports {@code planned} over {@code transport}, then checks the SDK sent exactly them. */
  static List<SpanData> send(Transport transport, Ports ports, List<Planned> planned, InflightProcess p) {
    SpanExporter exporter = exporter(transport, ports);
    try {
      List<SpanData> sent = build(planned);
      export(exporter, sent, p);
      assertSentExactly(planned, sent);
      return sent;
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  /** The spans as the SDK records them, one tracer provider (resource) per service. */
  static List<SpanData> build(List<Planned> planned) {
    CollectingSpanExporter collect = new CollectingSpanExporter();
    List<SpanData> finished = collect.finished();
    Map<String, SdkTracerProvider> providers = new LinkedHashMap<>();
    try {
      for (Planned s : planned) {
        SdkTracerProvider provider = providers.computeIfAbsent(s.service(), service -> {
          var resource = Resource.builder().put("service.name", service);
          s.resource().forEach(resource::put);
          return SdkTracerProvider.builder()
              .setResource(Resource.getDefault().merge(resource.build()))
              .addSpanProcessor(SimpleSpanProcessor.create(collect))
              .build();
        });
        Span span = provider.get("dev.inflight.tests.concurrency").spanBuilder(s.name()).setNoParent()
            .setStartTimestamp(s.start(), TimeUnit.NANOSECONDS).startSpan();
        if (s.status() != StatusCode.UNSET) {
          span.setStatus(s.status());
        }
        span.end(s.end(), TimeUnit.NANOSECONDS);
      }
    } finally {
      providers.values().forEach(SdkTracerProvider::close);
    }
    return new ArrayList<>(finished);
  }

  /** The spans the SDK exported carry exactly the planned names, nanoseconds and statuses. */
  static void assertSentExactly(List<Planned> planned, List<SpanData> sent) {
    assertThat(sent).hasSize(planned.size());
    for (Planned s : planned) {
      assertThat(sent).as("the SDK's span %s/%s", s.service(), s.name())
          .filteredOn(d -> d.getName().equals(s.name())
              && s.service().equals(d.getResource().getAttribute(AttributeKey.stringKey("service.name"))))
          .singleElement()
          .satisfies(d -> {
            assertThat(d.getStartEpochNanos()).isEqualTo(s.start());
            assertThat(d.getEndEpochNanos()).isEqualTo(s.end());
            assertThat(d.getStatus().getStatusCode()).isEqualTo(s.status());
          });
    }
  }

  static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Sleeps until the wall clock reaches {@code epochNanos}. */
  static void sleepUntil(long epochNanos) throws InterruptedException {
    long wait;
    while ((wait = epochNanos - nowNanos()) > 0) {
      Thread.sleep(Math.max(1, wait / 1_000_000L));
    }
  }
}
