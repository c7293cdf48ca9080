package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.FactoryRegistry;
import dev.inflight.connector.forward.ForwardConnectorFactory;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.testing.TestData;
import dev.inflight.processor.batch.BatchProcessorFactory;
import dev.inflight.processor.memorylimiter.MemoryLimiterProcessorFactory;
import dev.inflight.processor.resource.ResourceProcessorFactory;
import dev.inflight.service.Service;
import dev.inflight.service.config.CollectorConfig;
import dev.inflight.service.config.ConfigLoader;
import dev.inflight.service.config.ConfigSource;
import dev.inflight.service.telemetry.SelfTelemetry;
import dev.inflight.service.testing.PipelineEnds.KeepExporterFactory;
import dev.inflight.service.testing.PipelineEnds.PushReceiverFactory;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A logs pipeline of the real processors and connector, as a user writes it, in a running service:
 * push → batch → memory_limiter → resource → forward → keep. This module is the one that sees
 * every component module, so the chain across processor and connector is checked here.
 */
class LogsPipelineTest {
  private static final String CONFIG =
      """
      receivers:
        push:
      processors:
        batch:
          timeout: 1m
          send_batch_size: 6
          send_batch_max_size: 8
        memory_limiter:
          limit_percentage: 99
          spike_limit_percentage: 1
        resource:
          attributes:
            - key: deployment.environment
              value: production
              action: upsert
            - key: host.name
              action: delete
      connectors:
        forward:
      exporters:
        keep:
      service:
        pipelines:
          logs/in:
            receivers: [push]
            processors: [batch, memory_limiter, resource]
            exporters: [forward]
          logs/out:
            receivers: [forward]
            exporters: [keep]
      """;

  /** One log record with where it was, as the exporter should see it. */
  private record Located(Resource resource, String resourceSchema, InstrumentationScope scope, String scopeSchema, LogRecord record) {}

  private static List<Located> records(ExportLogsServiceRequest request) {
    List<Located> out = new ArrayList<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord lr : sl.getLogRecordsList()) {
          out.add(new Located(rl.getResource(), rl.getSchemaUrl(), sl.getScope(), sl.getSchemaUrl(), lr));
        }
      }
    }
    return out;
  }

  /** What the resource actions make of a resource of {@link TestData#logsRequest}. */
  private static Resource processed(Resource in) {
    Resource.Builder b = Resource.newBuilder();
    for (KeyValue kv : in.getAttributesList()) {
      if (!kv.getKey().equals("host.name")) {
        b.addAttributes(kv);
      }
    }
    return b.addAttributes(
            KeyValue.newBuilder()
                .setKey("deployment.environment")
                .setValue(AnyValue.newBuilder().setStringValue("production")))
        .build();
  }

  @Test
  void logsGoThroughBatchMemoryLimiterResourceAndForward() throws Exception {
    PushReceiverFactory receiver = new PushReceiverFactory();
    KeepExporterFactory exporter = new KeepExporterFactory();
    FactoryRegistry registry =
        FactoryRegistry.of(
            List.of(
                receiver,
                exporter,
                new BatchProcessorFactory(),
                new MemoryLimiterProcessorFactory(),
                new ResourceProcessorFactory(),
                new ForwardConnectorFactory()));
    CollectorConfig config =
        new ConfigLoader(registry, Map.<String, String>of()::get)
            .load(List.of(new ConfigSource("config.yaml", CONFIG)), List.of())
            .config();
    List<ExportLogsServiceRequest> sent =
        List.of(
            TestData.logsRequest(new int[][] {{3, 2}}), // 5: held
            TestData.logsRequest(new int[][] {{4}, {2}}), // 11 held: sends 5, then 6
            TestData.logsRequest(new int[][] {{2}}), // 2: held
            TestData.logsRequest(new int[][] {{1, 9}})); // 12 held: sends 8 (cut), 4 wait

    Service service = Service.build(config, registry, SelfTelemetry.noop());
    service.start();
    try {
      for (ExportLogsServiceRequest request : sent) {
        receiver.logs.get().consumeLogs(Logs.ofEncoded(request.toByteArray()));
      }
      assertThat(exporter.logs).extracting(Logs::logRecordCount).containsExactly(5, 6, 8);
    } finally {
      assertThat(service.shutdown()).isEmpty(); // sends the 4 held
    }

    assertThat(exporter.logs).extracting(Logs::logRecordCount).containsExactly(5, 6, 8, 4);
    List<Located> expected = new ArrayList<>();
    for (ExportLogsServiceRequest request : sent) {
      for (Located l : records(request)) {
        expected.add(new Located(processed(l.resource()), l.resourceSchema(), l.scope(), l.scopeSchema(), l.record()));
      }
    }
    List<Located> got = new ArrayList<>();
    for (Logs l : exporter.logs) {
      got.addAll(records(ExportLogsServiceRequest.parseFrom(l.encoded())));
    }
    // Every record once, in order, with its own (processed) resource and its scope.
    assertThat(got).isEqualTo(expected);
  }
}
