package dev.inflight.connector.spanmetrics;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;

import com.google.protobuf.ByteString;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Configs through the real loader, spans and the readers of emitted metrics the tests share. */
final class SpanMetricsFixture {
  static final long S = 1_000_000_000L;
  static final long MS = 1_000_000L;
  /** 2026-11-23T00:00:00Z. */
  static final long T0 = 1_795_392_000L * S;

  private SpanMetricsFixture() {}

  static String yaml(String connectorBody) {
    return "receivers:\n  nop:\nexporters:\n  nop:\nconnectors:\n  spanmetrics:\n" + connectorBody
        + "service:\n  pipelines:\n"
        + "    traces:\n      receivers: [nop]\n      exporters: [spanmetrics]\n"
        + "    metrics:\n      receivers: [spanmetrics]\n      exporters: [nop]\n";
  }

  /** The connector's config from YAML lines under {@code connectors.spanmetrics} (indented 4). */
  static SpanMetricsConnectorConfig config(String connectorBody) {
    try {
      return (SpanMetricsConnectorConfig)
          ConfigFixture.load(yaml(connectorBody), nopReceiver(), nopExporter(), new SpanMetricsConnectorFactory())
              .config().of(ComponentKind.CONNECTOR).get(ComponentId.of("spanmetrics"));
    } catch (InvalidConfigException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static List<String> problems(String connectorBody) {
    return ConfigFixture.problems(yaml(connectorBody), nopReceiver(), nopExporter(), new SpanMetricsConnectorFactory());
  }

  static KeyValue str(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  static Span.Builder span(String name, Span.SpanKind kind, Status.StatusCode status, long start, long end) {
    return Span.newBuilder().setName(name).setKind(kind)
        .setStatus(Status.newBuilder().setCode(status))
        .setStartTimeUnixNano(start).setEndTimeUnixNano(end);
  }

  static ByteString bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed * 31 + i + 1);
    }
    return ByteString.copyFrom(b);
  }

  static Metric metric(ResourceMetrics rm, String name) {
    return rm.getScopeMetrics(0).getMetricsList().stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + rm.getScopeMetrics(0).getMetricsList()
            .stream().map(Metric::getName).toList()));
  }

  /** Attributes as a map of their string forms, to compare with what a test expects. */
  static Map<String, String> attrs(List<KeyValue> kvs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      m.put(kv.getKey(), switch (v.getValueCase()) {
        case STRING_VALUE -> v.getStringValue();
        case INT_VALUE -> "int:" + v.getIntValue();
        case BOOL_VALUE -> "bool:" + v.getBoolValue();
        default -> v.toString();
      });
    }
    return m;
  }

  static String service(ResourceMetrics rm) {
    return rm.getResource().getAttributesList().stream().filter(kv -> kv.getKey().equals("service.name"))
        .map(kv -> kv.getValue().getStringValue()).findFirst().orElse("");
  }
}
