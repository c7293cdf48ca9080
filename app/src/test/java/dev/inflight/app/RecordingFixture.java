package dev.inflight.app;

import com.google.protobuf.ByteString;
import dev.inflight.exporter.file.FileExporterConfig;
import dev.inflight.exporter.file.FileExporterFactory;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Host;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.component.telemetry.ComponentTelemetry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Recordings for the analyze and convert tests, written by the real {@code file} exporter (through
 * its factory, as a pipeline would create it), and a known set of spans whose statistics are worked
 * out by hand in the tests.
 */
final class RecordingFixture {
  /** 2023-11-14T22:13:20Z. */
  static final long BASE = 1_700_000_000_000_000_000L;
  static final long MS = 1_000_000L;
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4737";

  private RecordingFixture() {}

  /**
   * The known spans, over [BASE, BASE + 100 ms) (the root {@code GET /checkout} span spans it):
   *
   * <pre>
   * db query  [0, 10)  thread t1  ERROR     cpu work [60, 62)   thread t1
   * db query  [5, 15)  thread t2            cpu work [80, 80.5) thread t3
   * db query  [10, 20) thread t1            GET /checkout [0, 100): no worker type
   * db query  [40, 70) thread t2
   * </pre>
   *
   * Split over two requests (the second with the cpu spans), as batches arrive.
   */
  static List<ExportTraceServiceRequest> knownRequests() {
    ExportTraceServiceRequest first = request(
        span("00000000000000a1", "db query", 0, 10 * MS, "t1", true),
        span("00000000000000a2", "db query", 5 * MS, 15 * MS, "t2", false),
        span("00000000000000a3", "db query", 10 * MS, 20 * MS, "t1", false),
        span("00000000000000a4", "db query", 40 * MS, 70 * MS, "t2", false),
        span("00000000000000f0", "GET /checkout", 0, 100 * MS, null, false));
    ExportTraceServiceRequest second = request(
        span("00000000000000c1", "cpu work", 60 * MS, 62 * MS, "t1", false),
        span("00000000000000c2", "cpu work", 80 * MS, 80 * MS + 500_000, "t3", false));
    return List.of(first, second);
  }

  static ExportTraceServiceRequest request(Span... spans) {
    Resource resource = Resource.newBuilder()
        .addAttributes(string("service.name", "checkout"))
        .addAttributes(string("service.instance.id", "pod-a"))
        .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
            .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
        .build();
  }

  static Span span(String spanId, String name, long start, long end, String thread, boolean error) {
    Span.Builder s = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId)))
        .setName(name)
        .setStartTimeUnixNano(BASE + start)
        .setEndTimeUnixNano(BASE + end);
    if (!name.startsWith("GET")) {
      s.setParentSpanId(ByteString.copyFrom(HexFormat.of().parseHex("00000000000000f0")));
    }
    if (thread != null) {
      s.addAttributes(string("thread.name", thread));
    }
    if (error) {
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    return s.build();
  }

  static ExportMetricsServiceRequest metrics() {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("queue.depth").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(BASE).setAsInt(3))))))
        .build();
  }

  static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /** Writes the requests (and then a metrics request, when given) with the real file exporter. */
  static void record(Path file, FileExporterConfig.Format format, FileExporterConfig.Compression compression,
      List<ExportTraceServiceRequest> requests, ExportMetricsServiceRequest metrics) throws Exception {
    record(file, format, compression, requests, metrics, List.of());
  }

  /** As above, then the logs requests. */
  static void record(Path file, FileExporterConfig.Format format, FileExporterConfig.Compression compression,
      List<ExportTraceServiceRequest> requests, ExportMetricsServiceRequest metrics,
      List<ExportLogsServiceRequest> logs) throws Exception {
    ComponentId id = ComponentId.of(FileExporterFactory.TYPE);
    CreateSettings settings = new CreateSettings(id, ComponentKind.EXPORTER,
        ComponentTelemetry.noop(ComponentKind.EXPORTER, id), new HashMap<>());
    FileExporterConfig config = new FileExporterConfig(file.toString(), format, compression, null, null);
    FileExporterFactory factory = new FileExporterFactory();
    var traces = factory.createTraces(settings, config);
    var metricsExporter = factory.createMetrics(settings, config);
    Host host = Map::of;
    traces.start(host);
    for (ExportTraceServiceRequest r : requests) {
      traces.consumeTraces(Traces.of(r));
    }
    if (metrics != null) {
      metricsExporter.consumeMetrics(Metrics.of(metrics));
    }
    var logsExporter = factory.createLogs(settings, config);
    for (ExportLogsServiceRequest r : logs) {
      logsExporter.consumeLogs(Logs.of(r));
    }
    traces.shutdown();
  }

  /** What a command printed and returned. */
  record Run(int exitCode, String out, String err) {}

  static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
