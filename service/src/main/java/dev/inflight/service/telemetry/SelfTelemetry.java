package dev.inflight.service.telemetry;

import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.ListenException;
import dev.inflight.config.confignet.ListenEndpoint;
import dev.inflight.component.telemetry.SpanTotals;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.service.config.TelemetryConfig;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * inflight's own metrics, under the Collector's names, through the readers of {@code
 * service.telemetry.metrics}: Prometheus format at {@code /metrics} of each pull reader (default
 * {@value TelemetryConfig#DEFAULT_METRICS_ADDRESS}), OTLP from each periodic one. Built on the OpenTelemetry SDK: components record
 * with OTel instruments and the SDK's Prometheus exporter writes the exposition format.
 */
public final class SelfTelemetry implements AutoCloseable {
  private final MeterProvider provider;
  private final SdkMeterProvider sdk;
  private final ExecutorService scrapeExecutor;
  private final SpanTotals spanTotals = new SpanTotals();

  private SelfTelemetry(
      MeterProvider provider,
      SdkMeterProvider sdk,
      ExecutorService scrapeExecutor) {
    this.provider = provider;
    this.sdk = sdk;
    this.scrapeExecutor = scrapeExecutor;
  }

  /** Records nothing and serves nothing ({@code level: none}, tests, CLI tools). */
  public static SelfTelemetry noop() {
    return new SelfTelemetry(MeterProvider.noop(), null, null);
  }

  /**
   * Starts the readers of {@code service.telemetry.metrics}: each pull reader's {@code /metrics}
   * endpoint, each periodic reader's OTLP push.
   *
   * @throws ListenException if an address cannot be bound
   */
  public static SelfTelemetry start(TelemetryConfig config, String serviceVersion)
      throws ListenException {
    if (config.metrics().level() == TelemetryConfig.Level.NONE) {
      return noop();
    }
    SdkMeterProviderBuilder builder = SdkMeterProvider.builder().setResource(SelfResource.of(config, serviceVersion));
    List<PrometheusHttpServer> servers = new ArrayList<>();
    ExecutorService executor = null;
    try {
      for (TelemetryConfig.Reader reader : config.metrics().effectiveReaders()) {
        if (reader.pull() != null) {
          if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
              Thread t = new Thread(r, "telemetry-metrics-http");
              t.setDaemon(true);
              return t;
            });
          }
          PrometheusHttpServer server = pullServer(reader.pull().exporter().prometheus().address(), executor);
          servers.add(server);
          builder.registerMetricReader(server);
        } else {
          builder.registerMetricReader(periodicReader(reader.periodic()));
        }
      }
    } catch (ListenException | RuntimeException e) {
      servers.forEach(PrometheusHttpServer::shutdown);
      if (executor != null) {
        executor.shutdownNow();
      }
      throw e;
    }
    SdkMeterProvider sdk = builder.build();
    SelfTelemetry telemetry = new SelfTelemetry(sdk, sdk, executor);
    ProcessTelemetry.register(sdk.get("dev.inflight.service"));
    return telemetry;
  }

  private static PrometheusHttpServer pullServer(String address, ExecutorService executor) throws ListenException {
    InetSocketAddress listen = ListenEndpoint.resolve("telemetry", address);
    return ListenEndpoint.bind("telemetry", address, () -> {
      try {
        return PrometheusHttpServer.builder()
            .setHost(listen.getHostString())
            .setPort(listen.getPort())
            .setExecutor(executor)
            .setOtelScopeLabelsEnabled(false)
            // The SDK refuses reusable data with an executor of our own: scrapes may overlap.
            .setMemoryMode(MemoryMode.IMMUTABLE_DATA)
            .build();
      } catch (RuntimeException e) {
        // The SDK wraps the bind's IOException; the message is about the IOException.
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw e;
      }
    });
  }

  /** A periodic reader pushing OTLP with the SDK's exporter, as the Collector's periodic reader does. */
  private static PeriodicMetricReader periodicReader(TelemetryConfig.Periodic periodic) {
    TelemetryConfig.OtlpPush otlp = periodic.exporter().otlp();
    Duration timeout = Duration.ofMillis(periodic.timeout());
    AggregationTemporalitySelector temporality = switch (otlp.temporalityPreference()) {
      case "delta" -> AggregationTemporalitySelector.deltaPreferred();
      case "lowmemory" -> AggregationTemporalitySelector.lowMemory();
      default -> AggregationTemporalitySelector.alwaysCumulative();
    };
    MetricExporter exporter;
    if (otlp.protocol().equals("grpc")) {
      OtlpGrpcMetricExporterBuilder b = OtlpGrpcMetricExporter.builder()
          .setEndpoint(otlp.endpoint()).setTimeout(timeout).setCompression(otlp.compression())
          .setAggregationTemporalitySelector(temporality);
      otlp.headers().forEach(h -> b.addHeader(h.name(), h.value()));
      exporter = b.build();
    } else {
      OtlpHttpMetricExporterBuilder b = OtlpHttpMetricExporter.builder()
          .setEndpoint(otlp.endpoint()).setTimeout(timeout).setCompression(otlp.compression())
          .setAggregationTemporalitySelector(temporality);
      otlp.headers().forEach(h -> b.addHeader(h.name(), h.value()));
      exporter = b.build();
    }
    return PeriodicMetricReader.builder(exporter).setInterval(Duration.ofMillis(periodic.interval())).build();
  }

  public ComponentTelemetry forComponent(ComponentKind kind, ComponentId id) {
    return ComponentTelemetry.of(provider, kind, id, spanTotals);
  }

  public Meter meter(String scope) {
    return provider.get(scope);
  }

  @Override
  public void close() {
    if (sdk != null) {
      sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
    if (scrapeExecutor != null) {
      scrapeExecutor.shutdownNow();
    }
  }
}
