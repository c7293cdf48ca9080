package dev.inflight.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.inflight.component.ConnectorFactory;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Extension;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.ExtensionFactory;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.ProcessorFactory;
import dev.inflight.component.ReceiverFactory;
import dev.inflight.component.Signal;
import dev.inflight.component.config.ByteSize;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.Endpoints;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small factories with configs shaped like real ones, to load YAML against. */
final class TestComponents {
  private TestComponents() {}

  static FactoryRegistry registry() {
    return FactoryRegistry.of(List.of(
        new Receiver(), new Exporter(), new Processor(), new Connector(), new Ext()));
  }

  record Tls(boolean insecure, String caFile) {}

  enum Compression {
    @JsonProperty("gzip") GZIP,
    @JsonProperty("none") NONE,
    @JsonProperty("zstd") ZSTD
  }

  record ExporterConfig(
      String endpoint, Map<String, String> headers, Compression compression, Duration timeout, Tls tls, ByteSize maxSize)
      implements ComponentConfig {
    @Override
    public void validate(ConfigProblems problems) {
      if (endpoint == null || endpoint.isBlank()) {
        problems.add("endpoint", "endpoint must not be empty");
      }
      if (timeout.isNegative()) {
        problems.add("timeout", "timeout must not be negative");
      }
    }
  }

  static final class Exporter implements ExporterFactory<ExporterConfig> {
    @Override public String type() { return "otlp"; }
    @Override public Class<ExporterConfig> configClass() { return ExporterConfig.class; }
    @Override public ExporterConfig createDefaultConfig() {
      return new ExporterConfig("", Map.of(), Compression.GZIP, Duration.ofSeconds(5), new Tls(false, null), ByteSize.ofMebibytes(4));
    }
    @Override public Set<Signal> signals() { return Set.of(Signal.TRACES, Signal.METRICS); }
  }

  record Protocol(String endpoint, int maxRecvMsgSizeMib) {}

  record Protocols(Protocol grpc, Protocol http) {}

  record ReceiverConfig(Protocols protocols) implements ComponentConfig {
    @Override
    public void validate(ConfigProblems problems) {
      if (protocols.grpc() != null) {
        String p = Endpoints.checkHostPort(protocols.grpc().endpoint());
        if (p != null) {
          problems.at("protocols").at("grpc").add("endpoint", "endpoint " + p);
        }
      }
    }
  }

  static final class Receiver implements ReceiverFactory<ReceiverConfig> {
    @Override public String type() { return "otlp"; }
    @Override public Class<ReceiverConfig> configClass() { return ReceiverConfig.class; }
    @Override public ReceiverConfig createDefaultConfig() {
      return new ReceiverConfig(new Protocols(new Protocol("localhost:4317", 4), new Protocol("localhost:4318", 0)));
    }
    @Override public Set<Signal> signals() { return Set.of(Signal.TRACES, Signal.METRICS); }
  }

  record BatchConfig(Duration timeout, int sendBatchSize, int sendBatchMaxSize) implements ComponentConfig {
    @Override
    public void validate(ConfigProblems problems) {
      if (sendBatchMaxSize > 0 && sendBatchMaxSize < sendBatchSize) {
        problems.add("send_batch_max_size", "send_batch_max_size must be greater or equal to send_batch_size");
      }
    }
  }

  static final class Processor implements ProcessorFactory<BatchConfig> {
    @Override public String type() { return "batch"; }
    @Override public Class<BatchConfig> configClass() { return BatchConfig.class; }
    @Override public BatchConfig createDefaultConfig() { return new BatchConfig(Duration.ofMillis(200), 8192, 0); }
    @Override public Set<Signal> signals() { return Set.of(Signal.TRACES, Signal.METRICS); }
  }

  record Empty() implements ComponentConfig {}

  static final class Connector implements ConnectorFactory<Empty> {
    @Override public String type() { return "spans_to_metrics"; }
    @Override public Class<Empty> configClass() { return Empty.class; }
    @Override public Empty createDefaultConfig() { return new Empty(); }
    @Override public Set<Route> routes() { return Set.of(new Route(Signal.TRACES, Signal.METRICS)); }
  }

  record HealthConfig(String endpoint) implements ComponentConfig {}

  static final class Ext implements ExtensionFactory<HealthConfig> {
    @Override public String type() { return "health_check"; }
    @Override public Class<HealthConfig> configClass() { return HealthConfig.class; }
    @Override public HealthConfig createDefaultConfig() { return new HealthConfig("0.0.0.0:13133"); }
    @Override public Extension create(CreateSettings settings, HealthConfig config) { return new Extension() {}; }
  }
}
