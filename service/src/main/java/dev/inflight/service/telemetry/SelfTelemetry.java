package dev.inflight.service.telemetry;

import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.ListenException;
import dev.inflight.config.confignet.ListenEndpoint;
import dev.inflight.component.telemetry.SpanTotals;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.service.config.TelemetryConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * inflight's own metrics, under the Collector's names, served in Prometheus format on {@code
 * service.telemetry.metrics.address} at {@code /metrics} (default {@value
 * TelemetryConfig#DEFAULT_METRICS_ADDRESS}). Built on the OpenTelemetry SDK: components record
 * with OTel instruments and the SDK's Prometheus exporter writes the exposition format.
 */
public final class SelfTelemetry implements AutoCloseable {
  private final MeterProvider provider;
  private final SdkMeterProvider sdk;
  private final PrometheusHttpServer server;
  private final ExecutorService scrapeExecutor;
  private final SpanTotals spanTotals = new SpanTotals();

  private SelfTelemetry(
      MeterProvider provider,
      SdkMeterProvider sdk,
      PrometheusHttpServer server,
      ExecutorService scrapeExecutor) {
    this.provider = provider;
    this.sdk = sdk;
    this.server = server;
    this.scrapeExecutor = scrapeExecutor;
  }

  /** Records nothing and serves nothing ({@code level: none}, tests, CLI tools). */
  public static SelfTelemetry noop() {
    return new SelfTelemetry(MeterProvider.noop(), null, null, null);
  }

  /**
   * Starts the {@code /metrics} endpoint.
   *
   * @throws ListenException if the address cannot be bound
   */
  public static SelfTelemetry start(TelemetryConfig config, String serviceVersion)
      throws ListenException {
    if (config.metrics().level() == TelemetryConfig.Level.NONE) {
      return noop();
    }
    String address = config.metrics().address();
    InetSocketAddress listen = ListenEndpoint.resolve("telemetry", address);
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "telemetry-metrics-http");
              t.setDaemon(true);
              return t;
            });
    PrometheusHttpServer server = ListenEndpoint.bind("telemetry", address, () -> {
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
        executor.shutdownNow();
        // The SDK wraps the bind's IOException; the message is about the IOException.
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw e;
      }
    });
    AttributesBuilder resource =
        Attributes.builder()
            .put(AttributeKey.stringKey("service.name"), "inflight")
            .put(AttributeKey.stringKey("service.version"), serviceVersion)
            .put(AttributeKey.stringKey("service.instance.id"), UUID.randomUUID().toString());
    for (Map.Entry<String, String> e : config.resource().entrySet()) {
      resource.put(AttributeKey.stringKey(e.getKey()), e.getValue());
    }
    SdkMeterProvider sdk =
        SdkMeterProvider.builder()
            .setResource(Resource.create(resource.build()))
            .registerMetricReader(server)
            .build();
    SelfTelemetry telemetry = new SelfTelemetry(sdk, sdk, server, executor);
    ProcessTelemetry.register(sdk.get("dev.inflight.service"));
    return telemetry;
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
