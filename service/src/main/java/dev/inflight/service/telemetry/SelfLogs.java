package dev.inflight.service.telemetry;

import dev.inflight.service.config.TelemetryConfig;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporterBuilder;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.SdkLoggerProviderBuilder;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * inflight's own logs over OTLP, through the processors of {@code service.telemetry.logs}: an SDK
 * logger provider the logging backend's appender writes every event to, as the Collector tees its
 * zap core into the OpenTelemetry SDK. Without processors there is nothing to export to.
 */
public final class SelfLogs implements AutoCloseable {
  private final @Nullable SdkLoggerProvider sdk;

  private SelfLogs(@Nullable SdkLoggerProvider sdk) {
    this.sdk = sdk;
  }

  /** Builds the exporters of {@code logs.processors}; none connects before its first export. */
  public static SelfLogs start(TelemetryConfig config, String serviceVersion) {
    SdkLoggerProviderBuilder builder = SdkLoggerProvider.builder().setResource(SelfResource.of(config, serviceVersion));
    int added = 0;
    for (TelemetryConfig.LogProcessor p : config.logs().processors()) {
      TelemetryConfig.OtlpLogPush otlp = p.exporter().otlp();
      if (otlp == null) {
        continue; // console: accepted, not implemented (the loader warned)
      }
      builder.addLogRecordProcessor(processor(p, exporter(otlp)));
      added++;
    }
    return new SelfLogs(added == 0 ? null : builder.build());
  }

  private static LogRecordProcessor processor(TelemetryConfig.LogProcessor p, LogRecordExporter exporter) {
    if (p.simple() != null) {
      return SimpleLogRecordProcessor.create(exporter);
    }
    TelemetryConfig.BatchLogProcessor b = p.batch();
    return BatchLogRecordProcessor.builder(exporter)
        .setScheduleDelay(Duration.ofMillis(b.scheduleDelay()))
        .setExporterTimeout(Duration.ofMillis(b.exportTimeout()))
        .setMaxQueueSize(b.maxQueueSize())
        .setMaxExportBatchSize(b.maxExportBatchSize())
        .build();
  }

  private static LogRecordExporter exporter(TelemetryConfig.OtlpLogPush otlp) {
    Duration timeout = Duration.ofMillis(otlp.timeout());
    if (otlp.protocol().equals("grpc")) {
      OtlpGrpcLogRecordExporterBuilder b = OtlpGrpcLogRecordExporter.builder()
          .setEndpoint(otlp.endpoint()).setTimeout(timeout).setCompression(otlp.compression());
      otlp.headers().forEach(h -> b.addHeader(h.name(), h.value()));
      return b.build();
    }
    OtlpHttpLogRecordExporterBuilder b = OtlpHttpLogRecordExporter.builder()
        .setEndpoint(otlp.endpoint()).setTimeout(timeout).setCompression(otlp.compression());
    otlp.headers().forEach(h -> b.addHeader(h.name(), h.value()));
    return b.build();
  }

  /** The provider to write log records to; null when no processor exports anywhere. */
  public @Nullable LoggerProvider provider() {
    return sdk;
  }

  /** Exports what is queued (within 5 s) and stops. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
