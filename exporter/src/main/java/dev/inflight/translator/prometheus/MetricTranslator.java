package dev.inflight.translator.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns OTLP metrics into Prometheus points, for the {@code prometheus} and {@code
 * prometheusremotewrite} exporters alike, following the OpenTelemetry → Prometheus compatibility
 * specification:
 *
 * <ul>
 *   <li>names from {@link PrometheusNames}; labels from the point's attributes, keys sanitized,
 *       values of keys that collide after sanitizing joined with {@code ;} in key order;
 *   <li>{@code job} = {@code service.namespace/service.name} and {@code instance} = {@code
 *       service.instance.id} from the resource, the other resource attributes on one {@code
 *       target_info} series per resource (or on every series with {@code
 *       resource_to_telemetry_conversion});
 *   <li>{@code otel_scope_name} and {@code otel_scope_version} from the instrumentation scope;
 *   <li>gauges and non-monotonic sums → gauge, monotonic sums → counter, explicit-bucket
 *       histograms → histogram, summaries → summary. Exponential histograms have no form in the
 *       text formats and are dropped (counted with reason {@code unsupported_type}).
 * </ul>
 *
 * Temporality is passed on ({@link TranslatedPoint#delta}); each exporter decides what to do with
 * deltas. Not the span hot path: metrics arrive once per window per group.
 */
public final class MetricTranslator {
  /** Where translated points go. */
  public interface Sink {
    void accept(TranslatedPoint point);

    /** {@code points} OTLP data points that were not translated, and why. */
    void dropped(String reason, long points);
  }

  /** Reason for points of a kind Prometheus' text formats cannot carry. */
  public static final String UNSUPPORTED_TYPE = "unsupported_type";
  /** Reason for points that break OTLP's own rules (bucket counts not matching the bounds, ...). */
  public static final String MALFORMED = "malformed";

  private static final JsonFactory JSON = new JsonFactory();

  private final String namespace;
  private final Map<String, String> constLabels;
  private final boolean resourceToTelemetry;
  private final boolean addMetricSuffixes;

  /**
   * @param namespace prefix of every metric name; empty for none
   * @param constLabels labels added to every series (the point's own labels win); keys are
   *     sanitized like attribute keys
   * @param resourceToTelemetry copy every resource attribute onto every series
   * @param addMetricSuffixes unit, {@code _total} and {@code _ratio} suffixes (the Collector's
   *     {@code add_metric_suffixes}, default true)
   */
  public MetricTranslator(
      String namespace, Map<String, String> constLabels, boolean resourceToTelemetry, boolean addMetricSuffixes) {
    this.namespace = namespace == null ? "" : namespace;
    Map<String, String> c = new LinkedHashMap<>();
    if (constLabels != null) {
      constLabels.forEach((k, v) -> c.put(PrometheusNames.labelName(k), v));
    }
    this.constLabels = Map.copyOf(c);
    this.resourceToTelemetry = resourceToTelemetry;
    this.addMetricSuffixes = addMetricSuffixes;
  }

  public void translate(ExportMetricsServiceRequest request, Sink sink) {
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      translate(rm, sink);
    }
  }

  private void translate(ResourceMetrics rm, Sink sink) {
    List<KeyValue> resource = rm.getResource().getAttributesList();
    String serviceName = null;
    String serviceNamespace = null;
    String serviceInstance = null;
    for (KeyValue kv : resource) {
      switch (kv.getKey()) {
        case "service.name" -> serviceName = valueString(kv.getValue());
        case "service.namespace" -> serviceNamespace = valueString(kv.getValue());
        case "service.instance.id" -> serviceInstance = valueString(kv.getValue());
        default -> {}
      }
    }
    Map<String, String> base = new LinkedHashMap<>(constLabels);
    if (resourceToTelemetry) {
      base.putAll(merge(resource));
    }
    Map<String, String> identity = new LinkedHashMap<>(2);
    if (serviceName != null && !serviceName.isEmpty()) {
      identity.put("job", serviceNamespace == null || serviceNamespace.isEmpty()
          ? serviceName : serviceNamespace + "/" + serviceName);
    }
    if (serviceInstance != null && !serviceInstance.isEmpty()) {
      identity.put("instance", serviceInstance);
    }

    long latest = 0;
    boolean any = false;
    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
      Map<String, String> scope = new LinkedHashMap<>(2);
      if (!sm.getScope().getName().isEmpty()) {
        scope.put("otel_scope_name", sm.getScope().getName());
      }
      if (!sm.getScope().getVersion().isEmpty()) {
        scope.put("otel_scope_version", sm.getScope().getVersion());
      }
      for (Metric m : sm.getMetricsList()) {
        long t = translate(m, base, scope, identity, sink);
        if (t >= 0) {
          any = true;
          latest = Math.max(latest, t);
        }
      }
    }

    // target_info: the resource's attributes other than the ones job and instance come from.
    Map<String, String> info = new LinkedHashMap<>(constLabels);
    boolean hasOther = false;
    for (KeyValue kv : resource) {
      String k = kv.getKey();
      if (!k.equals("service.name") && !k.equals("service.namespace") && !k.equals("service.instance.id")) {
        hasOther = true;
        break;
      }
    }
    if (any && hasOther) {
      List<KeyValue> rest = resource.stream()
          .filter(kv -> !kv.getKey().equals("service.name") && !kv.getKey().equals("service.namespace")
              && !kv.getKey().equals("service.instance.id"))
          .toList();
      info.putAll(merge(rest));
      info.putAll(identity);
      // Never namespaced: target_info is the name every Prometheus user joins on.
      sink.accept(new TranslatedPoint("target", MetricType.INFO, "Target metadata", null, labels(info),
          latest, 0, false, false, 1, null, null, 0, Double.NaN, null, null));
    }
  }

  /** Emits a metric's points; returns the latest point time in ms, or -1 when none was emitted. */
  private long translate(
      Metric m, Map<String, String> base, Map<String, String> scope, Map<String, String> identity, Sink sink) {
    long latest = -1;
    switch (m.getDataCase()) {
      case GAUGE -> {
        Family f = family(m, PrometheusNames.Kind.GAUGE, MetricType.GAUGE);
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          sink.accept(number(f, p, false, base, scope, identity));
          latest = Math.max(latest, p.getTimeUnixNano() / 1_000_000);
        }
      }
      case SUM -> {
        boolean monotonic = m.getSum().getIsMonotonic();
        boolean delta = m.getSum().getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        Family f = monotonic
            ? family(m, PrometheusNames.Kind.MONOTONIC_SUM, MetricType.COUNTER)
            : family(m, PrometheusNames.Kind.NON_MONOTONIC_SUM, MetricType.GAUGE);
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          sink.accept(number(f, p, delta, base, scope, identity));
          latest = Math.max(latest, p.getTimeUnixNano() / 1_000_000);
        }
      }
      case HISTOGRAM -> {
        boolean delta =
            m.getHistogram().getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        Family f = family(m, PrometheusNames.Kind.HISTOGRAM, MetricType.HISTOGRAM);
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          TranslatedPoint t = histogram(f, p, delta, base, scope, identity);
          if (t == null) {
            sink.dropped(MALFORMED, 1);
          } else {
            sink.accept(t);
            latest = Math.max(latest, t.timestampMillis());
          }
        }
      }
      case SUMMARY -> {
        Family f = family(m, PrometheusNames.Kind.SUMMARY, MetricType.SUMMARY);
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          int n = p.getQuantileValuesCount();
          double[] q = new double[n];
          double[] v = new double[n];
          for (int i = 0; i < n; i++) {
            q[i] = p.getQuantileValues(i).getQuantile();
            v[i] = p.getQuantileValues(i).getValue();
          }
          sink.accept(new TranslatedPoint(f.name, MetricType.SUMMARY, f.help, f.unit,
              labels(base, p.getAttributesList(), scope, identity), p.getTimeUnixNano() / 1_000_000,
              p.getStartTimeUnixNano() / 1_000_000, false, noRecordedValue(p.getFlags()), Double.NaN, null, null,
              p.getCount(), p.getSum(), q, v));
          latest = Math.max(latest, p.getTimeUnixNano() / 1_000_000);
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        int n = m.getExponentialHistogram().getDataPointsCount();
        if (n > 0) {
          sink.dropped(UNSUPPORTED_TYPE, n);
        }
      }
      default -> {}
    }
    return latest;
  }

  private record Family(String name, MetricType type, String help, String unit) {}

  private Family family(Metric m, PrometheusNames.Kind kind, MetricType type) {
    String full = PrometheusNames.metricName(m.getName(), m.getUnit(), kind, namespace, addMetricSuffixes);
    String name = PrometheusNames.familyName(full, type == MetricType.COUNTER);
    return new Family(name, type, m.getDescription(), PrometheusNames.unitOf(name, m.getUnit(), kind));
  }

  private TranslatedPoint number(
      Family f, NumberDataPoint p, boolean delta, Map<String, String> base, Map<String, String> scope,
      Map<String, String> identity) {
    double value = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
    return new TranslatedPoint(f.name, f.type, f.help, f.unit,
        labels(base, p.getAttributesList(), scope, identity), p.getTimeUnixNano() / 1_000_000,
        p.getStartTimeUnixNano() / 1_000_000, delta, noRecordedValue(p.getFlags()), value, null, null, 0, Double.NaN,
        null, null);
  }

  private TranslatedPoint histogram(
      Family f, HistogramDataPoint p, boolean delta, Map<String, String> base, Map<String, String> scope,
      Map<String, String> identity) {
    int bounds = p.getExplicitBoundsCount();
    int buckets = p.getBucketCountsCount();
    double[] upper;
    long[] counts;
    if (buckets == 0) {
      // Only count and sum: one +Inf bucket holding everything.
      if (bounds != 0) {
        return null;
      }
      upper = new double[] {Double.POSITIVE_INFINITY};
      counts = new long[] {p.getCount()};
    } else {
      if (buckets != bounds + 1) {
        return null;
      }
      upper = new double[buckets];
      counts = new long[buckets];
      long total = 0;
      for (int i = 0; i < buckets; i++) {
        upper[i] = i < bounds ? p.getExplicitBounds(i) : Double.POSITIVE_INFINITY;
        if (i > 0 && !(upper[i] > upper[i - 1])) {
          return null; // bounds must increase strictly
        }
        counts[i] = p.getBucketCounts(i);
        total += counts[i];
      }
      if (total != p.getCount()) {
        return null;
      }
    }
    return new TranslatedPoint(f.name, MetricType.HISTOGRAM, f.help, f.unit,
        labels(base, p.getAttributesList(), scope, identity), p.getTimeUnixNano() / 1_000_000,
        p.getStartTimeUnixNano() / 1_000_000, delta, noRecordedValue(p.getFlags()), Double.NaN, upper, counts,
        p.getCount(), p.hasSum() ? p.getSum() : Double.NaN, null, null);
  }

  private static boolean noRecordedValue(int flags) {
    return (flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) != 0;
  }

  /**
   * base (const labels, resource attributes) &lt; the point's attributes &lt; scope &lt; job and
   * instance.
   */
  private static Labels labels(
      Map<String, String> base, List<KeyValue> attributes, Map<String, String> scope, Map<String, String> identity) {
    Map<String, String> all = new LinkedHashMap<>(base);
    all.putAll(merge(attributes));
    all.putAll(scope);
    all.putAll(identity);
    return labels(all);
  }

  private static Labels labels(Map<String, String> all) {
    String[] names = new String[all.size()];
    String[] values = new String[all.size()];
    int i = 0;
    for (Map.Entry<String, String> e : all.entrySet()) {
      names[i] = e.getKey();
      values[i++] = e.getValue();
    }
    return Labels.of(names, values);
  }

  /**
   * Attributes as labels: sanitized keys; keys that become the same label have their values joined
   * with {@code ;}, ordered by the original keys (as the specification says).
   */
  static Map<String, String> merge(List<KeyValue> attributes) {
    if (attributes.isEmpty()) {
      return Map.of();
    }
    Map<String, TreeMap<String, String>> byLabel = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      byLabel.computeIfAbsent(PrometheusNames.labelName(kv.getKey()), k -> new TreeMap<>())
          .put(kv.getKey(), valueString(kv.getValue()));
    }
    Map<String, String> out = new LinkedHashMap<>(byLabel.size() * 2);
    byLabel.forEach((label, values) -> out.put(label, String.join(";", values.values())));
    return out;
  }

  /** An attribute value as a label value: strings as they are, other scalars as text, the rest as JSON. */
  static String valueString(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> doubleString(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE, KVLIST_VALUE -> json(v);
      default -> "";
    };
  }

  private static String doubleString(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  private static String json(AnyValue v) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      writeJson(g, v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static void writeJson(JsonGenerator g, AnyValue v) throws IOException {
    switch (v.getValueCase()) {
      case STRING_VALUE -> g.writeString(v.getStringValue());
      case BOOL_VALUE -> g.writeBoolean(v.getBoolValue());
      case INT_VALUE -> g.writeNumber(v.getIntValue());
      case DOUBLE_VALUE -> g.writeNumber(v.getDoubleValue());
      case BYTES_VALUE -> g.writeString(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        g.writeStartArray();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          writeJson(g, e);
        }
        g.writeEndArray();
      }
      case KVLIST_VALUE -> {
        g.writeStartObject();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          g.writeFieldName(kv.getKey());
          writeJson(g, kv.getValue());
        }
        g.writeEndObject();
      }
      default -> g.writeNull();
    }
  }
}
