package dev.inflight.processor.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.service.config.ConfigLoader;
import dev.inflight.service.config.ConfigSource;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.service.config.CollectorConfig;
import dev.inflight.service.testing.PipelineEnds.KeepExporterFactory;
import dev.inflight.service.testing.PipelineEnds.PushReceiverFactory;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.service.Service;
import dev.inflight.service.telemetry.SelfTelemetry;
import dev.inflight.processor.memorylimiter.MemoryLimiterProcessorFactory;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's processors, as written there, in a running service: memory_limiter then resource on
 * the traces pipeline (and on a metrics pipeline sharing the same limiter).
 */
class Seed004ProcessorsTest {

  private static final String CONFIG =
      """
      receivers:
        push:

      processors:
        resource:
          attributes:
            - key: machine.id
              value: ${MACHINE_ID}
              action: upsert
            - key: deployment.environment \s
              value: ${RAILWAY_ENVIRONMENT}
              action: upsert
            - key: service.region
              value: ${RAILWAY_REGION}
              action: upsert

        memory_limiter:
          limit_mib: 256

      exporters:
        keep:

      service:
        pipelines:
          traces:
            receivers: [push]
            processors: [memory_limiter, resource]
            exporters: [keep]
          metrics:
            receivers: [push]
            processors: [memory_limiter, resource]
            exporters: [keep]
      """;

  private static KeyValue str(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  @Test
  void spansAndMetricsGetTheUpsertedResourceAttributes() throws Exception {
    PushReceiverFactory receiver = new PushReceiverFactory();
    KeepExporterFactory exporter = new KeepExporterFactory();
    FactoryRegistry registry =
        FactoryRegistry.of(
            List.of(receiver, exporter, new ResourceProcessorFactory(), new MemoryLimiterProcessorFactory()));
    Map<String, String> env =
        Map.of("MACHINE_ID", "machine-prod-01", "RAILWAY_ENVIRONMENT", "production", "RAILWAY_REGION", "us-west1");
    CollectorConfig config =
        new ConfigLoader(registry, env::get)
            .load(List.of(new ConfigSource("otel-collector-machine.yaml", CONFIG)), List.of())
            .config();
    Resource sent = Resource.newBuilder().addAttributes(str("service.name", "emp-job-queue-api")).build();
    Span span = Span.newBuilder().setName("process-job").build();

    Service service = Service.build(config, registry, SelfTelemetry.noop());
    service.start();
    try {
      receiver.traces.get().consumeTraces(Traces.of(ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(ResourceSpans.newBuilder().setResource(sent).addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
          .build()));
      receiver.metrics.get().consumeMetrics(Metrics.of(ExportMetricsServiceRequest.newBuilder()
          .addResourceMetrics(ResourceMetrics.newBuilder().setResource(sent))
          .build()));
    } finally {
      assertThat(service.shutdown()).isEmpty();
    }

    List<KeyValue> expected =
        List.of(
            str("service.name", "emp-job-queue-api"),
            str("machine.id", "machine-prod-01"),
            str("deployment.environment", "production"),
            str("service.region", "us-west1"));
    ExportTraceServiceRequest got = exporter.traces.get(0).request();
    assertThat(got.getResourceSpans(0).getResource().getAttributesList()).isEqualTo(expected);
    assertThat(got.getResourceSpans(0).getScopeSpans(0).getSpansList()).containsExactly(span);
    assertThat(exporter.metrics.get(0).request().getResourceMetrics(0).getResource().getAttributesList())
        .isEqualTo(expected);
    // The limiter's checker stops with the service (its thread may take a moment to exit).
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (checkerAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(checkerAlive()).isFalse();
  }

  private static boolean checkerAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().startsWith("memory-limiter "));
  }
}
