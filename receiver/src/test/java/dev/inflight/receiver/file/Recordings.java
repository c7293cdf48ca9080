package dev.inflight.receiver.file;

import com.github.luben.zstd.ZstdOutputStream;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import dev.inflight.recording.RecordingFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Recording files as the file exporter writes them (length-prefixed records, optionally zstd), for tests. */
final class Recordings {
  private Recordings() {}

  /** A traces request with one span per {@code [start, end]} pair, named {@code name-i}. */
  static byte[] traces(String name, long... startEnd) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < startEnd.length; i += 2) {
      scope.addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(new byte[16]).concat(ByteString.EMPTY))
          .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(i / 2 + 1).array()))
          .setName(name + "-" + i / 2)
          .setStartTimeUnixNano(startEnd[i])
          .setEndTimeUnixNano(startEnd[i + 1]));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build().toByteArray();
  }

  /** A metrics request with one gauge point per time. */
  static byte[] metrics(long... times) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (long t : times) {
      gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t).setAsDouble(1));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("m").setGauge(gauge))))
        .build().toByteArray();
  }

  /**
   * A logs request with one record per {@code [time, observed time]} pair (0: unset), its body
   * {@code name-i}, as the file exporter writes it (marked when its first record has no time).
   */
  static byte[] logs(String name, long... timeObserved) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < timeObserved.length; i += 2) {
      scope.addLogRecords(LogRecord.newBuilder()
          .setTimeUnixNano(timeObserved[i])
          .setObservedTimeUnixNano(timeObserved[i + 1])
          .setBody(AnyValue.newBuilder().setStringValue(name + "-" + i / 2)));
    }
    byte[] encoded = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope))
        .build().toByteArray();
    try {
      return RecordingFormat.markAsLogs(encoded); // as the exporter writes records without times
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The records, each a 4-byte big-endian length and the bytes. */
  static byte[] records(List<byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] r : records) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(r.length).array());
      out.writeBytes(r);
    }
    return out.toByteArray();
  }

  static Path write(Path file, List<byte[]> records, boolean zstd) throws IOException {
    byte[] bytes = records(records);
    if (zstd) {
      ByteArrayOutputStream compressed = new ByteArrayOutputStream();
      try (OutputStream z = new ZstdOutputStream(compressed)) {
        z.write(bytes);
      }
      bytes = compressed.toByteArray();
    }
    return Files.write(file, bytes);
  }
}
